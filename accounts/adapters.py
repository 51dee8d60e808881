from allauth.account.adapter import DefaultAccountAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts import phone_sign_in, signin_limits


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
        if signin_limits.account_is_limited(_account_of(credentials)):
            raise forms.ValidationError(signin_limits.account_limited_message())

    def authentication_failed(self, request, **credentials):
        signin_limits.account_failure_record(request, _account_of(credentials))

    def get_login_stages(self):
        # An account with a verified phone and no proven email signs in with codes by SMS:
        # the email stage asks for an email only of those who sign in with one.
        return [
            "accounts.stages.EmailVerificationUnlessPhoneStage"
            if path == "allauth.account.stages.EmailVerificationStage"
            else path
            for path in super().get_login_stages()
        ]

    # Phone numbers (allauth's phone support, kept on `User.phone` in E.164) --------------------

    def phone_form_field(self, **kwargs):
        return phone_sign_in.SignInPhoneField(**kwargs)

    def set_phone(self, user, phone, verified):
        from accounts.services import audit_record

        before = user.phone
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])
        audit_record(
            actor=user,
            verb="user.phone_change",
            obj=user,
            partner=None,
            before={"phone": before},
            after={"phone": phone, "verified": verified},
        )

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone):
        # A changed number replaces the old one only now that a code sent to it came back:
        # a typo never cuts a family off from its codes.
        if user.phone != phone:
            self.set_phone(user, phone, True)
        elif not user.phone_verified:
            from accounts.services import audit_record

            user.phone_verified = True
            user.save(update_fields=["phone_verified"])
            audit_record(
                actor=user, verb="user.phone_verified", obj=user, partner=None, after={"by": "code"}
            )

    def get_user_by_phone(self, phone):
        from accounts.models import User

        try:
            phone = phone_sign_in.read_sign_in_phone(phone)
        except ValueError:
            return None
        return User.objects.filter(phone=phone, is_active=True).first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        from families.selectors import family_for_user
        from messaging.services import send_sms

        minutes = max(1, self._code_timeout(kwargs) // 60)
        family = family_for_user(user)
        send_sms(
            to=phone,
            body=_("A sign-in code was sent."),
            private_body=phone_sign_in.code_message(user, code, minutes=minutes),
            template="signin_code",
            language=user.language,
            partner=family.partner if family else None,
            family=family,
            user=user,
        )

    def send_unknown_account_sms(self, phone, **kwargs):
        # Nothing: a text to a number nobody signs in with would let anyone send our texts,
        # at our cost, to any number. The page says the same whether or not it is known.
        return None

    def send_account_already_exists_sms(self, phone):
        return None

    @staticmethod
    def _code_timeout(kwargs) -> int:
        from allauth.account import app_settings

        return app_settings.LOGIN_BY_CODE_TIMEOUT


def _account_of(credentials) -> str:
    return credentials.get("email") or credentials.get("phone") or ""


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
