"""An Android phone as the SMS gateway, through the "SMS Gateway for Android" app
(capcom6/android-sms-gateway): `http://USER:PASSWORD@PHONE_IP:8080/message` for its local
server, or `https://USER:PASSWORD@api.sms-gate.app/3rdparty/v1/message` for its cloud relay.
It takes `POST` JSON `{"message": ..., "phoneNumbers": [...]}` with basic auth and answers
202 with `{"id": ..., "state": "Pending", "recipients": [...]}`."""

from urllib.parse import unquote, urlunsplit

import requests

from messaging.backends import SendError, SendResult, SmsBackend

TIMEOUT_SECONDS = (3.05, 15)


class AndroidGatewayBackend(SmsBackend):
    name = "android"

    def __init__(self, url: str):
        super().__init__(url)
        host = self.url.hostname or ""
        if self.url.port:
            host = f"{host}:{self.url.port}"
        self.endpoint = urlunsplit((self.url.scheme, host, self.url.path or "/message", "", ""))
        self.auth = (unquote(self.url.username or ""), unquote(self.url.password or ""))
        self.session = requests.Session()

    def send(self, *, to: str, body: str, sender: str = "") -> SendResult:
        try:
            response = self.session.post(
                self.endpoint,
                json={"message": body, "phoneNumbers": [to]},
                auth=self.auth,
                timeout=TIMEOUT_SECONDS,
            )
        except requests.RequestException as error:
            raise SendError(f"SMS gateway unreachable: {error}") from error
        if response.status_code == 429 or response.status_code >= 500:
            raise SendError(f"SMS gateway {response.status_code}")
        if response.status_code >= 400:
            return SendResult(
                provider_id="",
                status="failed",
                error=f"SMS gateway {response.status_code}: {response.text[:200]}",
            )
        answer = response.json() if response.content else {}
        state = str(answer.get("state", "")).lower()
        return SendResult(
            provider_id=str(answer.get("id", "")),
            status="failed" if state == "failed" else "sent",
        )
