"""Africa's Talking, through its official client: `africastalking://USERNAME:API_KEY@` with an
optional `?from=SENDER_ID_OR_SHORT_CODE` and, for a test, `?base_url=http://127.0.0.1:PORT`
(the client's `/version1/messaging` is added to it). The user name `sandbox` uses their
sandbox."""

from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs, unquote

import requests
from africastalking.Service import AfricasTalkingException
from africastalking.SMS import SMSService

from messaging.backends import SendError, SendResult, SmsBackend

# Per-recipient statusCode values (their SMS documentation): accepted, or worth trying again.
ACCEPTED_CODES = {100, 101, 102}
TRANSIENT_CODES = {500, 501}


class AfricasTalkingBackend(SmsBackend):
    name = "africastalking"

    def __init__(self, url: str):
        super().__init__(url)
        query = parse_qs(self.url.query)
        self.default_sender = query.get("from", [""])[0]
        self.service = SMSService(
            unquote(self.url.username or ""), unquote(self.url.password or "")
        )
        base_url = query.get("base_url", [""])[0]
        if base_url:
            self.service._baseUrl = base_url.rstrip("/") + "/version1"

    def send(self, *, to: str, body: str, sender: str = "") -> SendResult:
        sender_id = self.default_sender or sender or None
        try:
            answer = self.service.send(body, [to], sender_id=sender_id)
        except ValueError as error:  # the client refuses a number that is not E.164
            return SendResult(provider_id="", status="failed", error=str(error))
        except (AfricasTalkingException, requests.RequestException) as error:
            raise SendError(f"Africa's Talking: {error}") from error
        try:
            recipient = answer["SMSMessageData"]["Recipients"][0]
        except (TypeError, KeyError, IndexError):
            message = (
                answer.get("SMSMessageData", {}).get("Message", "")
                if isinstance(answer, dict)
                else ""
            )
            return SendResult(
                provider_id="",
                status="failed",
                error=f"Africa's Talking: {message or answer}"[:300],
            )
        code = int(recipient.get("statusCode", 0))
        if code in TRANSIENT_CODES:
            raise SendError(f"Africa's Talking {code}: {recipient.get('status', '')}")
        cost, currency = _cost(recipient.get("cost", ""))
        if code not in ACCEPTED_CODES:
            return SendResult(
                provider_id=recipient.get("messageId", "") or "",
                status="failed",
                error=f"Africa's Talking {code}: {recipient.get('status', '')}",
            )
        return SendResult(
            provider_id=recipient.get("messageId", ""),
            status="sent",
            cost=cost,
            cost_currency=currency,
        )


def _cost(text: str) -> tuple[Decimal | None, str]:
    """ "KES 0.8000" is (Decimal("0.8000"), "KES"); "0" or nothing is no cost known."""
    parts = str(text or "").split()
    if len(parts) != 2:
        return None, ""
    try:
        return Decimal(parts[1]), parts[0][:3]
    except InvalidOperation:
        return None, ""
