"""Authentication of Vapi server messages.

Vapi can authenticate a delivery three ways, and an assistant may be set up with
any of them: the legacy shared secret sent raw in ``X-Vapi-Secret``, a bearer
token in ``Authorization``, or an HMAC-SHA256 of the raw body in
``X-Vapi-Signature``.  A request passes when it carries any configured credential
that matches.  Every comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass

SECRET_HEADER = "X-Vapi-Secret"
SIGNATURE_HEADER = "X-Vapi-Signature"


class VapiAuthError(Exception):
    """The request carries no valid credential; `reason` says what was wrong."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VapiCredentials:
    secret: str = ""
    hmac_secret: str = ""
    bearer_token: str = ""
    timestamp_header: str = "X-Vapi-Timestamp"
    tolerance_seconds: int = 300

    @property
    def configured(self) -> bool:
        return bool(self.secret or self.hmac_secret or self.bearer_token)


def _equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _bearer(headers: Mapping[str, str]) -> str | None:
    value = headers.get("Authorization")
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def sign(body: bytes, secret: str, timestamp: str | None = None) -> str:
    """The hex HMAC-SHA256 Vapi sends: over the body, or over ``{timestamp}.{body}``."""
    message = body if timestamp is None else timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _check_timestamp(raw: str, tolerance: int, now: float) -> None:
    try:
        stamp = float(raw)
    except ValueError:
        raise VapiAuthError("timestamp header is not a number") from None
    if stamp > 1e11:  # milliseconds since the epoch
        stamp /= 1000
    if abs(now - stamp) > tolerance:
        raise VapiAuthError(f"timestamp is outside the {tolerance}-second window")


def _check_signature(creds: VapiCredentials, headers: Mapping[str, str], body: bytes, now: float) -> bool:
    given = headers.get(SIGNATURE_HEADER)
    if not given:
        return False
    given = given.strip().lower().removeprefix("sha256=")
    timestamp = headers.get(creds.timestamp_header) if creds.timestamp_header else None
    if timestamp:
        _check_timestamp(timestamp.strip(), creds.tolerance_seconds, now)
        # Vapi's HMAC credential may or may not put the timestamp in the signed payload.
        candidates = (sign(body, creds.hmac_secret, timestamp.strip()), sign(body, creds.hmac_secret))
    else:
        candidates = (sign(body, creds.hmac_secret),)
    matched = False
    for expected in candidates:  # no early exit: same work whichever matches
        matched |= _equal(given, expected)
    if not matched:
        raise VapiAuthError(f"{SIGNATURE_HEADER} does not match the body")
    return True


def verify_request(creds: VapiCredentials, headers: Mapping[str, str], body: bytes, now: float | None = None) -> str:
    """Return the name of the method that authenticated the request, or raise VapiAuthError."""
    now = time.time() if now is None else now
    presented = []
    if creds.hmac_secret and headers.get(SIGNATURE_HEADER):
        presented.append(SIGNATURE_HEADER)
        if _check_signature(creds, headers, body, now):
            return "hmac"
    if creds.bearer_token:
        token = _bearer(headers)
        if token is not None:
            presented.append("Authorization")
            if _equal(token, creds.bearer_token):
                return "bearer"
    if creds.secret:
        secret = headers.get(SECRET_HEADER)
        if secret is not None:
            presented.append(SECRET_HEADER)
            if _equal(secret, creds.secret):
                return "secret"
    if presented:
        raise VapiAuthError(f"{' and '.join(presented)} did not match")
    raise VapiAuthError("no credential in the request")
