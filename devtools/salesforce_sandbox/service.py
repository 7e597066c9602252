"""SalesforceSandbox: wires the org, tokens, faults and the HTTPS server together and runs
the server on a background thread."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from .auth import TOKEN_PATH, Credentials, TokenEndpoint, TokenStore
from .certs import CertificateFiles, server_context, write_certificates
from .faults import Faults
from .gateway import Gateway
from .org import Org
from .server import SandboxServer

_DEFAULTS = Credentials()


class SalesforceSandbox:
    """A Salesforce-compatible HTTPS server on this machine, for development, demos and tests.

        sandbox = SalesforceSandbox().start()
        ... point clients at sandbox.instance_url, trusting sandbox.ca_bundle ...
        sandbox.stop()

    Also a context manager that starts and stops it."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_version: str = "62.0",
        daily_api_limit: int = 15000,
        cert_dir: str | Path | None = None,
        *,
        token_ttl_seconds: float = 2 * 60 * 60,
        client_id: str = _DEFAULTS.client_id,
        client_secret: str = _DEFAULTS.client_secret,
        username: str = _DEFAULTS.username,
        password: str = _DEFAULTS.password,
        security_token: str = _DEFAULTS.security_token,
    ):
        self.host = host
        self.port = port
        self.api_version = api_version
        self.credentials = Credentials(client_id, client_secret, username, password, security_token)
        self.org = Org(daily_api_limit)
        self.tokens = TokenStore(token_ttl_seconds)
        self.faults = Faults(self.org, self.tokens)
        self._cert_dir = Path(cert_dir) if cert_dir is not None else None
        self._temporary_dir: Path | None = None
        self._certificates: CertificateFiles | None = None
        self._server: SandboxServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SalesforceSandbox:
        if self._server is not None:
            return self
        if self._cert_dir is None:
            self._temporary_dir = Path(tempfile.mkdtemp(prefix="salesforce-sandbox-"))
        self._certificates = write_certificates(self._cert_dir or self._temporary_dir, self.host)
        self._server = SandboxServer((self.host, self.port), server_context(self._certificates))
        token_endpoint = TokenEndpoint(self.credentials, self.tokens, self.instance_url)
        self._server.gateway = Gateway(self.org, self.tokens, self.faults, token_endpoint, self.api_version)
        # A short poll interval makes stop() quick, which keeps test suites fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="salesforce-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None
        if self._temporary_dir is not None:
            shutil.rmtree(self._temporary_dir, ignore_errors=True)
            self._temporary_dir = None

    def __enter__(self) -> SalesforceSandbox:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def instance_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox is not running: call start() first")
        return f"https://{self.host}:{self._server.server_port}"

    @property
    def login_url(self) -> str:
        return self.instance_url

    @property
    def token_url(self) -> str:
        return self.login_url + TOKEN_PATH

    @property
    def ca_bundle(self) -> str:
        if self._certificates is None:
            raise RuntimeError("the sandbox is not running: call start() first")
        return str(self._certificates.ca_bundle)

    @property
    def client_id(self) -> str:
        return self.credentials.client_id

    @property
    def client_secret(self) -> str:
        return self.credentials.client_secret

    @property
    def username(self) -> str:
        return self.credentials.username

    @property
    def password(self) -> str:
        return self.credentials.password

    @property
    def security_token(self) -> str:
        return self.credentials.security_token
