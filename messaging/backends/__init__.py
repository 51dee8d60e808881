"""The SMS sending interface, chosen by `SMS_URL` as email is by `EMAIL_URL`:
`console://` prints (the default for `make run`); providers add their own schemes."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

BACKENDS = {
    "console": "messaging.backends.console.ConsoleBackend",
    "twilio": "messaging.backends.twilio.TwilioBackend",
    "africastalking": "messaging.backends.africastalking.AfricasTalkingBackend",
    "http": "messaging.backends.android_gateway.AndroidGatewayBackend",
    "https": "messaging.backends.android_gateway.AndroidGatewayBackend",
}


@dataclass(frozen=True)
class SendResult:
    provider_id: str
    status: str  # a Message.Status value: "sent", "queued" (accepted, not yet out), "failed"
    cost: Decimal | None = None
    cost_currency: str = ""
    error: str = ""


class SendError(Exception):
    """The provider could not be reached or refused for a reason worth retrying."""


class SmsBackend:
    name = ""

    def __init__(self, url: str):
        self.url = urlsplit(url)

    def send(self, *, to: str, body: str, sender: str = "") -> SendResult:
        raise NotImplementedError


def get_backend(url: str | None = None) -> SmsBackend:
    url = url or settings.SMS_URL
    scheme = urlsplit(url).scheme
    try:
        dotted = BACKENDS[scheme]
    except KeyError:
        raise ImproperlyConfigured(f"SMS_URL has an unknown scheme: {scheme!r}") from None
    return import_string(dotted)(url)
