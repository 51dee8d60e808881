from allauth.account.adapter import DefaultAccountAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django import forms
from django.core.exceptions import PermissionDenied

from accounts import signin_limits


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Nobody signs up alone: families join through an invitation from a family or their
        # partner, and staff through an invitation from their partner.
        return False

    def get_client_ip(self, request):
        # The same address django-axes locks, so that allauth's per-address limits and the
        # sessions list see the client rather than the proxy in front of us.
        ip = signin_limits.client_ip(request)
        if ip is None:
            raise PermissionDenied("Unable to determine the client's address.")
        return ip

    def pre_authenticate(self, request, **credentials):
        # Replaces allauth's limit on failed sign-ins, which counts every address together for
        # five minutes and so lets anyone keep an account's owner out. Axes locks the pair
        # (account, address); this limit only slows guessing spread over many addresses.
        if signin_limits.account_is_limited(credentials.get("email", "")):
            raise forms.ValidationError(signin_limits.account_limited_message())

    def authentication_failed(self, request, **credentials):
        signin_limits.account_failure_record(request, credentials.get("email", ""))


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions):
        # A user signing out their other sessions from the sessions page: audited like every
        # other ending of sessions.
        from accounts import services

        sessions = list(sessions)
        super().end_sessions(sessions)
        for user in {session.user for session in sessions}:
            services.audit_record(
                actor=user,
                verb="user.sessions_end",
                obj=user,
                partner=None,
                after={"reason": "signed_out_elsewhere", "sessions": len(sessions)},
            )
