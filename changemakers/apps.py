from django.apps import AppConfig


class ChangemakersConfig(AppConfig):
    name = "changemakers"

    def ready(self):
        from django.db.backends.signals import connection_created

        from changemakers import receivers, trends
        from surveys.signals import survey_verified

        connection_created.connect(trends.register_sqlite_functions)
        survey_verified.connect(receivers.recompute_trends_after_verification)
