from django.apps import AppConfig


class VenturesConfig(AppConfig):
    name = "ventures"
