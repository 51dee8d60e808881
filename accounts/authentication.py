from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from accounts.models import ApiToken


def speak_their_language(request, user) -> None:
    """A token caller who sent no `Accept-Language` is answered in their saved language.

    Browser sessions get this from `UserLanguageMiddleware`; a token is only read here, after
    the locale middleware has already chosen the language from the (missing) header.
    """
    if user.language and not request.META.get("HTTP_ACCEPT_LANGUAGE"):
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <token>`; tokens are stored only as digests and expire."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            token = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), expires_at__gt=timezone.now())
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        # Imported here: DRF imports this module while `rest_framework.views`, which the
        # policy's errors need, is still loading.
        from accounts import policy

        # The session middleware's two-factor rule, for tokens issued before it applied
        # (in demo mode, or before the user was given a role that requires it).
        if policy.mfa_setup_pending(api_token.user):
            raise exceptions.PermissionDenied(_("Set up two-factor authentication to continue."))
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        speak_their_language(request, api_token.user)
        return api_token.user, api_token

    def authenticate_header(self, request):
        return self.keyword


def axes_username(request, credentials):
    """The address a sign-in attempt was for, whichever form sent it (allauth or the API)."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or credentials.get("login")
        or request.POST.get("login")
        or request.POST.get("email")
        or ""
    )
    return value.strip().lower()
