"""Small helpers shared by the accounts tests: the code an authenticator app would show."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt


def totp_code(user) -> str:
    """The code the user's authenticator app shows right now."""
    # Codes change every 30 seconds; don't compute one that expires before it is checked.
    if time.time() % 30 > 28:
        time.sleep(2.5)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the current one, without the tolerance around it
    return format_hotp_value(hotp_value(secret, counter))


def wrong_code(code: str) -> str:
    """A code of the right shape that is not this one."""
    return f"{(int(code) + 1) % 1_000_000:06d}"
