"""Limits on signing in that an attacker cannot turn against the account's owner.

django-axes locks the pair (account, client address) after repeated failures: whoever guesses
from one address is locked out there, while the owner still signs in from theirs. On top of
that, each account takes at most a few failed attempts a minute from all addresses together,
which slows a guesser spread over many addresses without ever locking the account: the limit
lifts when the minute is over.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

WINDOW_SECONDS = 60


def client_ip(request) -> str | None:
    """The address of the client, as the proxies we trust saw it.

    With N proxies in front (`AXES_PROXY_COUNT`), each appends to `X-Forwarded-For` the address
    of whoever connected to it, so the client is N entries from the right; anything further
    left was written by the client and proves nothing. Without the header (a request that did
    not come through the proxies) the connection's own address counts.
    """
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= proxies and _is_address(hops[-proxies]):
            return str(ipaddress.ip_address(hops[-proxies]))
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _is_address(remote) else None


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _account_key(email: str) -> str:
    digest = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()
    # Whole minutes of the clock: the window and its key change together.
    window = int(time.time() // WINDOW_SECONDS)
    return f"signin-failures:{digest}:{window}"


def account_is_limited(email: str) -> bool:
    """Whether this account took its failed attempts for the current minute."""
    limit = settings.SIGNIN_ATTEMPTS_PER_ACCOUNT_PER_MINUTE
    return limit > 0 and cache.get(_account_key(email), 0) >= limit


def account_failure_record(request, email: str) -> None:
    """Count a wrong password for the account, unless axes already refused the address: an
    address that is locked out tests no password, so it cannot use up the owner's minute."""
    if getattr(request, "axes_locked_out", False):
        return
    key = _account_key(email)
    cache.add(key, 0, timeout=2 * WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=2 * WINDOW_SECONDS)


def account_limited_message() -> str:
    return _("Too many attempts for this account. Try again in a minute.")
