"""HTTPS plumbing: HTTP requests in, gateway calls, HTTP responses out."""

from __future__ import annotations

import json
import logging
import socket
import ssl
import sys
import threading
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from .gateway import Gateway, Request
from .responses import ApiError, Reply

logger = logging.getLogger(__name__)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients of Salesforce expect
    server_version = "SalesforceSandbox"
    sys_version = ""
    timeout = 60  # idle keep-alive connections end eventually
    disable_nagle_algorithm = True  # headers and body go out in two writes; Nagle would hold the body ~40 ms
    server: SandboxServer

    def setup(self) -> None:
        super().setup()
        # The handshake happens here, in this connection's thread, so a slow client or one
        # that rejects the certificate never holds up the accept loop.
        self.request.do_handshake()

    def _serve(self) -> None:
        request = self._read()
        try:
            reply = self.server.gateway.handle(request)
        except Exception:  # a sandbox bug must still answer, like Salesforce's own 500s
            logger.exception("Salesforce sandbox failed on %s %s", request.method, request.path)
            reply = ApiError(500, "UNKNOWN_EXCEPTION", "The sandbox failed; its log has the traceback").reply()
        if reply is None:
            self._drop()
        else:
            self._write(reply)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def _read(self) -> Request:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        return Request(self.command, url.path, dict(parse_qsl(url.query, keep_blank_values=True)), self.headers, body)

    def _write(self, reply: Reply) -> None:
        data = _encoded(reply)
        self.send_response(reply.status)
        if data:
            self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _drop(self) -> None:
        self.close_connection = True
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s " + format, self.address_string(), *args)


def _encoded(reply: Reply) -> bytes:
    if reply.body is None:
        return b""
    return reply.body.encode() if isinstance(reply.body, str) else json.dumps(reply.body).encode()


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops bursts of concurrent connects, which then retry a second later

    def __init__(self, address: tuple[str, int], context: ssl.SSLContext, gateway: Gateway | None = None):
        super().__init__(address, _Handler)
        self.socket = context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)
        self.gateway = gateway  # set once the bound port, and so the instance URL, is known
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request, client_address) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End keep-alive connections, whose threads would otherwise wait for their next request."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # clients hanging up or refusing the certificate are expected, not bugs
        super().handle_error(request, client_address)
