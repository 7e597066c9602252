"""A local stand-in for Vapi's REST API, over real HTTP on 127.0.0.1.

Each test sets how it behaves: answer with a call (and its TwiML), answer slowly,
fail with a status code, or answer with a body that is not JSON.  `body` may also be
a function of the recorded request, like `queued_outbound_call`, to answer each
request as Vapi would.  Requests are recorded for assertions.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ORG_ID = "5b6c7d8e-0000-4000-8000-000000000001"
CALL_HOST = "phone-call-websocket.aws-us-west-2-backend-production2.vapi.ai"


def queued_outbound_call(request: dict) -> dict:
    """Vapi's answer to `POST /call` for an outbound phone call: a new call, queued, echoing what was sent."""
    sent = request["json"] or {}
    call_id = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {
        "id": call_id,
        "assistantId": sent.get("assistantId"),
        "phoneNumberId": sent.get("phoneNumberId"),
        "type": "outboundPhoneCall",
        "createdAt": now,
        "updatedAt": now,
        "orgId": ORG_ID,
        "cost": 0,
        "customer": sent.get("customer"),
        "assistantOverrides": sent.get("assistantOverrides"),
        "status": "queued",
        "phoneCallProvider": "twilio",
        "phoneCallTransport": "pstn",
        "monitor": {
            "listenUrl": f"wss://{CALL_HOST}/{call_id}/listen",
            "controlUrl": f"https://{CALL_HOST}/{call_id}/control",
        },
    }


def vapi_error(status: int, error: str, *messages: str) -> dict:
    """Vapi's error body: `{"message": [...], "error": "Bad Request", "statusCode": 400}`."""
    return {"message": list(messages), "error": error, "statusCode": status}


class VapiStandIn:
    def __init__(self):
        self.requests: list[dict] = []
        self.status = 201
        self.body: dict | str | Callable[[dict], dict] = {}
        self.delay = 0.0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                request = {"method": self.command, "path": self.path, "headers": dict(self.headers),
                           "json": json.loads(raw) if raw else None}
                standin.requests.append(request)
                if standin.delay:
                    time.sleep(standin.delay)
                body = standin.body(request) if callable(standin.body) else standin.body
                payload = body if isinstance(body, str) else json.dumps(body)
                data = payload.encode()
                try:
                    self.send_response(standin.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as it should

            do_GET = do_POST = _serve

            def log_message(self, *args):
                pass

        return Handler

    def start(self) -> VapiStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
