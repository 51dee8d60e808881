from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts import (
            schema,  # noqa: F401  registers the API token scheme
            signals,
        )

        user_logged_in.connect(signals.on_user_logged_in, dispatch_uid="accounts.session_start")
