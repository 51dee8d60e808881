from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
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
        user_id = user.pk
        logout(request)
        if reason == sessions.IDLE:
            message = _("You were signed out after a while without activity. Sign in again.")
        else:
            message = _(
                "You were signed out because your session reached its time limit. Sign in again."
            )
        if request.path.startswith("/api/"):
            return JsonResponse({"message": message, "errors": {}}, status=401)
        if request.method == "GET":
            messages.info(request, message)
            return redirect_to_login(request.get_full_path())
        # What was being sent waits in the new session for the same user on the page it was
        # typed in (a post, a comment, the survey), and comes back in its form after sign-in.
        page = keep_typed_text(request, user_id=user_id)
        messages.info(
            request,
            message
            + " "
            + _(
                "What you typed is kept: it comes back in the form once you are signed in. "
                "Survey answers saved as a draft are kept too."
            ),
        )
        return redirect_to_login(page)


# Typed text kept across a sign-in ------------------------------------------------------------
KEPT_TEXT_SESSION_KEY = "kept_text"
KEPT_TEXT_MAX_CHARS = 20_000
# Never kept: secrets and the tokens of the form itself.
UNKEPT_FIELD_WORDS = ("password", "csrf", "token", "code", "otp", "next")


def keep_typed_text(request, *, user_id: int) -> str:
    """Keeps the fields of the POST being refused in the (new, anonymous) session, for the page
    the form was on; returns that page. Files are not kept: they are sent again."""
    page = request.path
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        page = urlsplit(referer).path or page
    fields, size = {}, 0
    for name in request.POST:
        if any(word in name.lower() for word in UNKEPT_FIELD_WORDS):
            continue
        values = [value for value in request.POST.getlist(name) if value]
        size += sum(len(value) for value in values)
        if values and size <= KEPT_TEXT_MAX_CHARS:
            fields[name] = values
    if fields:
        request.session[KEPT_TEXT_SESSION_KEY] = {"user": user_id, "path": page, "fields": fields}
    return page


def take_kept_text(request) -> dict[str, list[str]] | None:
    """The fields kept for this page and this user, once: a second visit shows a clean form."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated:
        return None
    kept = session.get(KEPT_TEXT_SESSION_KEY)
    if not kept:
        return None
    if kept.get("user") != user.pk:
        # Someone else signed in on this browser: what the other person typed is theirs.
        del session[KEPT_TEXT_SESSION_KEY]
        return None
    if kept.get("path") != request.path:
        return None
    del session[KEPT_TEXT_SESSION_KEY]
    return kept["fields"]
