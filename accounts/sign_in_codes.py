"""One-time sign-in codes for API clients (an app on a family's phone), which keep no session.

allauth's login by code keeps its state in the browser's session; a token client has none, so
the same codes are kept here, in the cache, under a digest of the number or address they went
to. Everything else is allauth's: the code's format (the adapter makes it), how it is sent
(the adapter's SMS, allauth's email), its lifetime and number of tries (the LOGIN_BY_CODE
settings) and the limits on asking for codes (allauth's `request_login_code` rate limit, per
client address and per number or address).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import phone_sign_in, services
from accounts.models import User
from mutuality.errors import InvalidInput, TooManyAttempts


def _key(identifier: str) -> str:
    return "signin-code:" + hashlib.sha256(identifier.encode()).hexdigest()


def _digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().upper().encode()).hexdigest()


def _identify(*, phone: str = "", email: str = "") -> tuple[str, User | None]:
    """The normalized number or address, and the active account it belongs to (if any)."""
    if phone:
        try:
            phone = phone_sign_in.read_sign_in_phone(phone)
        except ValueError as refused:
            raise InvalidInput.for_field("phone", str(refused)) from refused
        return phone, User.objects.filter(phone=phone, is_active=True).first()
    email = (email or "").strip().lower()
    if not email:
        raise InvalidInput.for_field("phone", _("Give your phone number or your email."))
    return email, User.objects.filter(email=email, is_active=True).first()


def code_request(request, *, phone: str = "", email: str = "") -> None:
    """Send a code to the number or address when an account signs in with it; say nothing
    either way (the caller answers the same for both)."""
    identifier, user = _identify(phone=phone, email=email)
    if not ratelimit.consume(request, action="request_login_code", key=identifier.lower()):
        raise TooManyAttempts(_("Too many codes were asked for. Wait a few minutes."))
    if user is None:
        return
    adapter = get_adapter(request)
    if phone:
        code = adapter.generate_phone_verification_code(user=user, phone=identifier)
    else:
        code = adapter.generate_login_code()
    timeout = allauth_settings.LOGIN_BY_CODE_TIMEOUT
    cache.set(
        _key(identifier),
        {"user": user.pk, "digest": _digest(code), "tries": 0, "until": time.time() + timeout},
        timeout,
    )
    if phone:
        adapter.send_verification_code_sms(user=user, phone=identifier, code=code)
    else:
        adapter.send_mail("account/email/login_code", identifier, {"code": code})


WRONG_CODE = gettext_lazy("This code is wrong or has expired. Ask for a new one.")


@transaction.atomic
def code_redeem(*, phone: str = "", email: str = "", code: str, otp: str = "") -> str:
    """An API token for the account the code was sent to. A code works once, for
    LOGIN_BY_CODE_TIMEOUT seconds and LOGIN_BY_CODE_MAX_ATTEMPTS tries; staff roles still
    give their two-factor code (`otp`)."""
    identifier, _user = _identify(phone=phone, email=email)
    key = _key(identifier)
    state = cache.get(key)
    if not state or state["until"] < time.time():
        raise InvalidInput.for_field("code", str(WRONG_CODE))
    if not hmac.compare_digest(state["digest"], _digest(code or "")):
        state["tries"] += 1
        if state["tries"] >= allauth_settings.LOGIN_BY_CODE_MAX_ATTEMPTS:
            cache.delete(key)
        else:
            cache.set(key, state, max(1, int(state["until"] - time.time())))
        raise InvalidInput.for_field("code", str(WRONG_CODE))
    cache.delete(key)  # single use, whatever happens next
    user = User.objects.select_for_update().get(pk=state["user"])
    if not user.is_active:
        raise InvalidInput.for_field("code", str(WRONG_CODE))
    if phone and user.phone == identifier and not user.phone_verified:
        user.phone_verified = True
        user.save(update_fields=["phone_verified"])
        services.audit_record(
            actor=user, verb="user.phone_verified", obj=user, partner=None, after={"by": "code"}
        )
    return services.api_token_issue(user=user, otp=otp)
