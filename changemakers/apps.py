from django.apps import AppConfig


class ChangemakersConfig(AppConfig):
    name = "changemakers"
