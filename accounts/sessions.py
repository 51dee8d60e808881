"""How long a signed-in session lasts, and ending a user's sessions.

The session itself keeps when it was signed in and when it was last used (seconds since the
epoch). Sessions are listed and ended through allauth's `usersessions`, which records each
one at sign-in.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from accounts import policy
from accounts.policy import SessionLimits

SIGNED_IN_AT = "mutuality_signed_in_at"
LAST_SEEN_AT = "mutuality_last_seen_at"
# Activity is written to the session at most this often, not on every request.
TOUCH_EVERY_SECONDS = 60

IDLE, ABSOLUTE = "idle", "absolute"


def _seconds(moment: datetime | None = None) -> int:
    return int((moment or timezone.now()).timestamp())


def session_start(session) -> None:
    now = _seconds()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now


def session_expiry(session, user) -> str | None:
    """Why this session is over (IDLE or ABSOLUTE), or None while it may go on."""
    if SIGNED_IN_AT not in session:
        # Signed in before these limits existed: they count from now.
        session_start(session)
        return None
    now = _seconds()
    idle = now - session.get(LAST_SEEN_AT, session[SIGNED_IN_AT])
    age = now - session[SIGNED_IN_AT]
    # Most requests are within every role's limits: no need to look up this user's role.
    if _within(policy.session_limits_for_everyone(), idle, age):
        return None
    limits = policy.session_limits_for(user)
    if idle > limits.idle.total_seconds():
        return IDLE
    if limits.absolute is not None and age > limits.absolute.total_seconds():
        return ABSOLUTE
    return None


def _within(limits: SessionLimits, idle: int, age: int) -> bool:
    return idle <= limits.idle.total_seconds() and (
        limits.absolute is None or age <= limits.absolute.total_seconds()
    )


def session_touch(session) -> None:
    now = _seconds()
    if now - session.get(LAST_SEEN_AT, 0) >= TOUCH_EVERY_SECONDS:
        session[LAST_SEEN_AT] = now


def session_record(request, user) -> None:
    """Record a new session for the sessions list, whichever way the user signed in (allauth
    records its own sign-ins; invitations sign in through Django directly)."""
    from allauth.usersessions.models import UserSession

    from accounts.signin_limits import client_ip

    session = getattr(request, "session", None)
    if session is None or not session.session_key or client_ip(request) is None:
        return
    if not UserSession.objects.filter(session_key=session.session_key).exists():
        UserSession.objects.create_from_request(request, user=user, session=session)


def sessions_end_for(user, *, keep_session_key: str | None = None) -> int:
    """End every recorded session of the user but the one kept; returns how many ended."""
    from allauth.usersessions.models import UserSession

    ending = list(
        UserSession.objects.filter(user_id=user.pk).exclude(session_key=keep_session_key or "")
    )
    count = 0
    for session in ending:
        if session.exists():  # not already gone (signed out, expired, or its key rotated)
            count += 1
        session.end()  # deletes it from the session store: its next request is anonymous
    return count
