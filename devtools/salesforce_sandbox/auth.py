"""OAuth 2.0 as Salesforce's token endpoint does it (client credentials and username-password
flows), and the access tokens it hands out."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qsl

from . import ids
from .responses import Reply

TOKEN_PATH = "/services/oauth2/token"


@dataclass
class Credentials:
    """What the sandbox's connected app and integration user accept."""

    client_id: str = "callsync-sandbox-client-id"
    client_secret: str = "callsync-sandbox-client-secret"
    username: str = "integration@callsync.sandbox"
    password: str = "sandbox-password"
    security_token: str = "SandboxSecurityToken"  # may be appended to the password, as Salesforce allows

    def client_matches(self, client_id: str, client_secret: str) -> bool:
        return _same(client_id, self.client_id) and _same(client_secret, self.client_secret)

    def user_matches(self, username: str, password: str) -> bool:
        return _same(username, self.username) and (
            _same(password, self.password) or _same(password, self.password + self.security_token)
        )


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


class TokenStore:
    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._expiry: dict[str, float] = {}
        self._lock = threading.Lock()

    def issue(self) -> str:
        token = f"{ids.ORG_ID[:15]}!{secrets.token_urlsafe(48)}"  # Salesforce's shape: org id, '!', opaque part
        with self._lock:
            self._expiry[token] = self._clock() + self.ttl_seconds
        return token

    def is_valid(self, token: str) -> bool:
        with self._lock:
            return self._expiry.get(token, float("-inf")) > self._clock()

    def expire_all(self) -> None:
        with self._lock:
            self._expiry.clear()


class TokenEndpoint:
    def __init__(self, credentials: Credentials, tokens: TokenStore, instance_url: str):
        self._credentials = credentials
        self._tokens = tokens
        self._instance_url = instance_url

    def handle(self, body: bytes, authorization: str | None) -> Reply:
        form = dict(parse_qsl(body.decode("utf-8", "replace")))
        client_id, client_secret = self._client(form, authorization)
        grant_type = form.get("grant_type", "")
        if grant_type not in ("client_credentials", "password"):
            return _oauth_error("unsupported_grant_type", "grant type not supported")
        if not self._credentials.client_matches(client_id, client_secret):
            return _oauth_error("invalid_client", "invalid client credentials")
        if grant_type == "password" and not self._credentials.user_matches(form.get("username", ""), form.get("password", "")):
            return _oauth_error("invalid_grant", "authentication failure")
        return Reply(200, self._token_response(client_secret))

    @staticmethod
    def _client(form: dict[str, str], authorization: str | None) -> tuple[str, str]:
        """Client id and secret from the form or, as simple-salesforce sends them, HTTP Basic auth."""
        scheme, _, encoded = (authorization or "").partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(encoded, validate=True).decode("utf-8", "replace")
            except ValueError:
                return "", ""
            client_id, _, client_secret = decoded.partition(":")
            return client_id, client_secret
        return form.get("client_id", ""), form.get("client_secret", "")

    def _token_response(self, client_secret: str) -> dict[str, str]:
        identity = f"{self._instance_url}/id/{ids.ORG_ID}/{ids.USER_ID}"
        issued_at = str(int(time.time() * 1000))
        # Salesforce signs id + issued_at with the client secret so clients can check the response.
        signature = hmac.new(client_secret.encode(), (identity + issued_at).encode(), hashlib.sha256).digest()
        return {
            "access_token": self._tokens.issue(),
            "instance_url": self._instance_url,
            "id": identity,
            "token_type": "Bearer",
            "issued_at": issued_at,
            "signature": base64.b64encode(signature).decode(),
        }


def _oauth_error(error: str, description: str) -> Reply:
    return Reply(400, {"error": error, "error_description": description})


def bearer_token(authorization: str | None) -> str:
    """The token from 'Bearer <token>' (or Salesforce's older 'OAuth <token>')."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() in ("bearer", "oauth") else ""
