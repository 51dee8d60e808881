from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import policy

# Pages a user who still has to set up two-factor authentication may reach.
MFA_SETUP_ALLOWED_PREFIXES = (
    "/accounts/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/api/v1/auth/token/",
)


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's, until they pick another."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.language
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            response = self.get_response(request)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            )
            return response
        return self.get_response(request)


class MFARequiredMiddleware:
    """Admins, staff and liaisons set up two-factor authentication before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(MFA_SETUP_ALLOWED_PREFIXES)
            and policy.mfa_setup_pending(user)
        ):
            message = _("Set up two-factor authentication to continue.")
            if request.path.startswith("/api/"):
                return JsonResponse({"message": message, "errors": {}}, status=403)
            messages.info(request, message)
            return redirect("mfa_activate_totp")
        return self.get_response(request)
