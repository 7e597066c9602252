"""A local stand-in for Vapi's REST API, over real HTTP on 127.0.0.1.

Each test sets how it behaves: answer with a call (and its TwiML), answer slowly,
fail with a status code, or answer with a body that is not JSON.  Requests are
recorded for assertions.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class VapiStandIn:
    def __init__(self):
        self.requests: list[dict] = []
        self.status = 201
        self.body: dict | str = {}
        self.delay = 0.0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                standin.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "json": json.loads(raw) if raw else None}
                )
                if standin.delay:
                    time.sleep(standin.delay)
                payload = standin.body if isinstance(standin.body, str) else json.dumps(standin.body)
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
