from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from allauth.account.signals import password_changed, password_reset, password_set
        from django.contrib.auth.signals import user_logged_in

        from accounts import (
            schema,  # noqa: F401  registers the API token scheme
            signals,
        )

        user_logged_in.connect(signals.on_user_logged_in, dispatch_uid="accounts.session_start")
        password_changed.connect(signals.on_password_changed, dispatch_uid="accounts.pw_changed")
        password_set.connect(signals.on_password_changed, dispatch_uid="accounts.pw_set")
        password_reset.connect(signals.on_password_reset, dispatch_uid="accounts.pw_reset")
