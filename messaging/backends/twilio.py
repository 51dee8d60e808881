"""Twilio, through its official client: `twilio://ACCOUNT_SID:AUTH_TOKEN@` with an optional
`?from=+1...` and, for a sandbox or a test, `?base_url=http://127.0.0.1:PORT`."""

from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs, unquote

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from messaging.backends import SendError, SendResult, SmsBackend

# Twilio's HTTP answers worth trying again: rate limited or the service itself failing.
TRANSIENT_STATUSES = {429, 500, 502, 503, 504}


class TwilioBackend(SmsBackend):
    name = "twilio"

    def __init__(self, url: str):
        super().__init__(url)
        query = parse_qs(self.url.query)
        self.default_sender = query.get("from", [""])[0]
        self.client = Client(unquote(self.url.username or ""), unquote(self.url.password or ""))
        base_url = query.get("base_url", [""])[0]
        if base_url:
            self.client.api.base_url = base_url.rstrip("/")

    def send(self, *, to: str, body: str, sender: str = "") -> SendResult:
        try:
            message = self.client.messages.create(
                to=to, from_=self.default_sender or sender, body=body
            )
        except TwilioRestException as error:
            if error.status in TRANSIENT_STATUSES:
                raise SendError(f"Twilio {error.status}: {error.msg}") from error
            return SendResult(
                provider_id="", status="failed", error=f"Twilio {error.code}: {error.msg}"
            )
        except requests.RequestException as error:
            raise SendError(f"Twilio unreachable: {error}") from error
        if message.status == "failed":
            return SendResult(
                provider_id=message.sid,
                status="failed",
                error=f"Twilio {message.error_code}: {message.error_message or ''}",
            )
        return SendResult(
            provider_id=message.sid,
            # Accepted by Twilio: "sent" for us, so no retry sends it again.
            status="sent",
            cost=_price(message.price),
            cost_currency=(message.price_unit or "")[:3],
        )


def _price(price) -> Decimal | None:
    """Twilio writes a price as a negative string ("-0.00750") once it knows it."""
    if price in (None, ""):
        return None
    try:
        return abs(Decimal(str(price)))
    except InvalidOperation:
        return None
