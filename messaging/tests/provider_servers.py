"""Local HTTP servers that answer as Twilio and Africa's Talking do (their documented wire
protocol), so the official client libraries are tested end to end without the internet."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class ProviderServer:
    """Answers each POST from `answers` in turn (the last one repeats) and keeps what came."""

    def __init__(self, handler_answer):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    form = json.loads(raw)
                else:
                    form = {k: v[0] for k, v in parse_qs(raw).items()}
                server.requests.append(
                    {
                        "path": self.path,
                        "form": form,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                    }
                )
                status, payload = handler_answer(server, self.path, form)
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def next_answer(self):
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def twilio_answer(server, path, form):
    """`POST /2010-04-01/Accounts/{sid}/Messages.json`: the message resource, or an error."""
    status, answer = server.next_answer()
    if status >= 400:
        return status, answer
    sid = f"SM{len(server.requests):032d}"
    account = path.split("/")[3]
    return status, {
        "sid": sid,
        "account_sid": account,
        "to": form.get("To"),
        "from": form.get("From"),
        "body": form.get("Body"),
        "status": "queued",
        "num_segments": "1",
        "price": answer.get("price"),
        "price_unit": "USD",
        "error_code": None,
        "error_message": None,
        "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
    }


def africastalking_answer(server, path, form):
    """`POST /version1/messaging`: `SMSMessageData` with one entry per recipient."""
    status, recipient = server.next_answer()
    if status >= 400:
        return status, recipient
    entry = {"number": form.get("to"), "messageId": f"ATXid_{len(server.requests)}", **recipient}
    return status, {
        "SMSMessageData": {"Message": "Sent to 1/1 Total Cost: KES 0.8000", "Recipients": [entry]}
    }


def android_gateway_answer(server, path, form):
    """SMS Gateway for Android's `POST /message`: 202 and the message's state."""
    status, answer = server.next_answer()
    if status >= 400:
        return status, answer
    return status, {
        "id": f"gw{len(server.requests)}",
        "state": "Pending",
        "recipients": [{"phoneNumber": n, "state": "Pending"} for n in form["phoneNumbers"]],
    }
