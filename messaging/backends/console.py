import sys
import uuid

from messaging.backends import SendResult, SmsBackend


class ConsoleBackend(SmsBackend):
    """Prints each message (demo and development); staff in demo mode also see them on a page."""

    name = "console"

    def send(self, *, to: str, body: str, sender: str = "") -> SendResult:
        sys.stdout.write(f"SMS to {to}: {body}\n")
        sys.stdout.flush()
        return SendResult(provider_id=f"console-{uuid.uuid4().hex}", status="sent")
