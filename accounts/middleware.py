from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import policy, sessions

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


class SessionLimitsMiddleware:
    """Signs out a session left idle too long, or a staff session older than its limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated:
            return self.get_response(request)
        reason = sessions.session_expiry(session, user)
        if reason is None:
            sessions.session_touch(session)
            return self.get_response(request)
        logout(request)
        if reason == sessions.IDLE:
            message = _("You were signed out after a while without activity. Sign in again.")
        else:
            message = _(
                "You were signed out because your session reached its time limit. Sign in again."
            )
        if request.path.startswith("/api/"):
            return JsonResponse({"message": message, "errors": {}}, status=401)
        messages.info(request, message)
        if request.headers.get("HX-Request"):
            # htmx would swap the sign-in page into a fragment; send the whole page there.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return response
        if request.method == "GET":
            return redirect_to_login(request.get_full_path())
        return redirect(settings.LOGIN_URL)
