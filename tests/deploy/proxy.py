"""The production stack in processes: gunicorn (config/gunicorn.py) and, in front, Debian's nginx
running docs/deploy/nginx.conf, with only its ports, upstream and certificate paths changed.

nginx runs in the foreground with a prefix, pid file and temporary directories of its own (never
the system's service), and terminates TLS with a certificate the test makes; `slow_bodies`
is the attack the proxy exists for."""

from __future__ import annotations

import http.client
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.harness import ROOT, free_port, stop
from devtools.salesforce_sandbox.certs import CertificateFiles, write_certificates

SITE = ROOT / "docs" / "deploy" / "nginx.conf"
HOST = "callsync.example.com"  # the config's server_name, and the test certificate's name


def nginx_binary() -> str | None:
    # /usr/sbin is not on every user's PATH.
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def render_site(*, upstream_port: int, https_port: int, http_port: int, certificates: CertificateFiles) -> str:
    """docs/deploy/nginx.conf with the test's loopback ports and certificate; nothing else changes.
    Each line replaced must be there, so the test follows the file instead of passing beside it."""
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:443 ssl;": "",
        "listen [::]:80;": "",
        "/etc/ssl/callsync/fullchain.pem": str(certificates.certificate),
        "/etc/ssl/callsync/privkey.pem": str(certificates.private_key),
    }
    text = SITE.read_text()
    for old, new in replacements.items():
        assert text.count(old) == 1, f"docs/deploy/nginx.conf no longer has {old!r} once"
        text = text.replace(old, new)
    return text


@dataclass
class Nginx:
    """nginx in front of gunicorn on `upstream_port`, listening on loopback only."""

    directory: Path
    upstream_port: int

    def __post_init__(self):
        self.https_port, self.http_port = free_port(), free_port()
        self.certificates = write_certificates(self.directory / "tls", HOST)
        self.process: subprocess.Popen | None = None

    def start(self) -> Nginx:
        binary = nginx_binary()
        assert binary, "nginx is missing: run scripts/test-services.sh (`make test` does), which installs it"
        site = self.directory / "callsync.conf"
        site.write_text(render_site(upstream_port=self.upstream_port, https_port=self.https_port,
                                    http_port=self.http_port, certificates=self.certificates))
        main = self.directory / "nginx.conf"
        main.write_text(self._main_config(site))
        self.log = (self.directory / "nginx.log").open("wb")
        self.process = subprocess.Popen([binary, "-p", str(self.directory), "-c", str(main), "-e", "stderr"],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while not _accepts(self.https_port):
            assert self.process.poll() is None and time.monotonic() < deadline, (
                f"nginx did not start: {(self.directory / 'nginx.log').read_text()}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None
            self.log.close()

    def _main_config(self, site: Path) -> str:
        """What Debian's /etc/nginx/nginx.conf gives the site, in this test's directory."""
        temp = {name: self.directory / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        for path in temp.values():
            path.mkdir(exist_ok=True)
        # As root, nginx's workers would run as nobody, who cannot enter pytest's private tmp_path.
        user = f"user {pwd.getpwuid(os.getuid()).pw_name};" if os.getuid() == 0 else ""
        return f"""{user}
daemon off;
worker_processes 1;
pid {self.directory / 'nginx.pid'};
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {site};
}}
"""

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificates.ca_bundle))


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def request(port: int, method: str, path: str, *, body: bytes = b"", headers: dict[str, str] | None = None,
            context: ssl.SSLContext | None = None, timeout: float = 5.0, host: str = HOST) -> Response:
    """One request on a connection of its own: HTTPS when given a context (verified, for HOST)."""
    if context is None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    else:
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=context)
    try:
        connection.request(method, path, body=body, headers={"Host": host, **(headers or {})})
        answer = connection.getresponse()
        return Response(answer.status, answer.headers, answer.read())
    finally:
        connection.close()


def answers_within(port: int, path: str, seconds: float, context: ssl.SSLContext | None = None,
                   host: str = HOST) -> bool:
    """Whether GET `path` is answered 200 within `seconds`, connection included."""
    try:
        return request(port, "GET", path, context=context, timeout=seconds, host=host).status == 200
    except OSError:  # socket.timeout included
        return False


@contextmanager
def slow_bodies(port: int, count: int, context: ssl.SSLContext | None = None, host: str = HOST):
    """`count` connections, each a webhook POST announcing a 100,000-byte body and sending one byte
    of it; the block sends one more byte on each (`trickle`) as it likes. Closed on the way out."""
    head = (f"POST /webhooks/vapi/ HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            "Content-Length: 100000\r\n\r\n{").encode()
    sockets = []
    try:
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            if context is not None:
                sock = context.wrap_socket(sock, server_hostname=HOST)
            sock.sendall(head)
            sockets.append(sock)
        yield SlowBodies(sockets)
    finally:
        for sock in sockets:
            sock.close()


@dataclass
class SlowBodies:
    sockets: list[socket.socket]

    def trickle(self) -> None:
        for sock in self.sockets:
            sock.sendall(b" ")

    def dropped_within(self, seconds: float) -> int:
        """How many of the connections the server closes (or answers) within `seconds`."""
        deadline = time.monotonic() + seconds
        dropped = 0
        for sock in self.sockets:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                sock.recv(1024)  # end of stream, or a 408: either way the server let go
                dropped += 1
            except TimeoutError:
                pass
            except OSError:  # reset, or TLS torn down
                dropped += 1
        return dropped


def connections_to(port: int) -> int:
    """Established TCP connections to 127.0.0.1:`port` (Linux's /proc/net/tcp), counted on the
    server's side: how many gunicorn holds, whichever of its workers took them."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # 01: ESTABLISHED
            count += 1
    return count


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False
