"""Authentication of Vapi server messages.

Vapi can authenticate a delivery in any of these ways, and an assistant may use any of them:

- a Vapi **HMAC credential** (`HmacAuthenticationPlan`): a signature in ``x-signature`` over
  ``{timestamp}.{body}``, the timestamp in ``x-timestamp``, hex, HMAC-SHA256. Every option of the
  plan (headers, prefix, payload format, encoding, algorithm, base64 secret) is a setting, and its
  defaults are Vapi's, so a credential left at its defaults works with only the secret set;
- the older ``X-Vapi-Signature``: hex HMAC-SHA256 of the body, or of ``{timestamp}.{body}`` when a
  timestamp header comes with it;
- a bearer token in ``Authorization``;
- the legacy shared secret sent raw in ``X-Vapi-Secret``.

A request passes when it carries any configured credential that matches. Comparisons are
constant-time. Whenever a timestamp is signed it must be finite and inside the replay window, and
a timestamp header that arrives beside a signature must be covered by it: a signature over the
body alone is never accepted next to a timestamp it did not sign.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

SECRET_HEADER = "X-Vapi-Secret"
LEGACY_SIGNATURE_HEADER = "X-Vapi-Signature"
LEGACY_TIMESTAMP_HEADER = "X-Vapi-Timestamp"
ALGORITHMS = {"sha256": hashlib.sha256, "sha1": hashlib.sha1, "sha512": hashlib.sha512}
ENCODINGS = ("hex", "base64")
PLACEHOLDERS = ("{body}", "{timestamp}", "{method}", "{url}", "{svix-id}")


class VapiAuthError(Exception):
    """The request carries no valid credential; `reason` says what was wrong (for the log only)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class HmacPlan:
    """Vapi's `HmacAuthenticationPlan`, with its defaults."""

    secret: str = ""
    secret_is_base64: bool = False
    algorithm: str = "sha256"
    signature_header: str = "x-signature"
    timestamp_header: str = "x-timestamp"
    signature_prefix: str = ""
    include_timestamp: bool = True
    payload_format: str = "{timestamp}.{body}"
    message_id_header: str = ""
    signature_encoding: str = "hex"

    def __post_init__(self):
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"unknown HMAC algorithm {self.algorithm!r}: use one of {', '.join(ALGORITHMS)}")
        if self.signature_encoding not in ENCODINGS:
            raise ValueError(f"unknown signature encoding {self.signature_encoding!r}: use hex or base64")
        if "{body}" not in self.payload_format:
            raise ValueError("the HMAC payload format must contain {body}: a signature must cover the body")
        if "{svix-id}" in self.payload_format and not self.message_id_header:
            raise ValueError("the HMAC payload format uses {svix-id}: set the message-id header too")
        if self.secret_is_base64:
            self.key()  # a secret that is not base64 is a configuration error, found at start-up

    def key(self) -> bytes:
        if not self.secret_is_base64:
            return self.secret.encode()
        encoded = self.secret.removeprefix("whsec_")  # Svix-style secrets carry this prefix
        try:
            return base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("the HMAC secret is marked base64 but is not valid base64") from None

    @property
    def signs_timestamp(self) -> bool:
        return self.include_timestamp and "{timestamp}" in self.payload_format

    def payload(self, *, body: bytes, timestamp: str, method: str, url: str, message_id: str) -> bytes:
        """The bytes Vapi signs: the payload format with its placeholders filled in."""
        fmt = self.payload_format if self.include_timestamp else _without_timestamp(self.payload_format)
        values = {"{timestamp}": timestamp, "{method}": method, "{url}": url, "{svix-id}": message_id}
        out, rest = [], fmt
        while rest:  # one left-to-right pass: a value is never scanned for another placeholder
            start, name = min(((rest.find(p), p) for p in PLACEHOLDERS if p in rest), default=(-1, ""))
            if start < 0:
                out.append(rest.encode())
                break
            out.append(rest[:start].encode())
            out.append(body if name == "{body}" else values[name].encode())
            rest = rest[start + len(name):]
        return b"".join(out)

    def digest(self, payload: bytes) -> bytes:
        return hmac.new(self.key(), payload, ALGORITHMS[self.algorithm]).digest()

    def encode(self, digest: bytes) -> str:
        if self.signature_encoding == "base64":
            return base64.b64encode(digest).decode()
        return digest.hex()


def _without_timestamp(fmt: str) -> str:
    """The default `{timestamp}.{body}` without its timestamp is the body alone."""
    return fmt.replace("{timestamp}.", "").replace("{timestamp}", "")


@dataclass(frozen=True)
class VapiCredentials:
    secret: str = ""
    bearer_token: str = ""
    hmac: HmacPlan = field(default_factory=HmacPlan)
    tolerance_seconds: int = 300

    @property
    def configured(self) -> bool:
        return bool(self.secret or self.hmac.secret or self.bearer_token)


@dataclass(frozen=True)
class Delivery:
    """What a signature may cover besides the body."""

    headers: Mapping[str, str]
    body: bytes
    method: str = "POST"
    url: str = ""


def legacy_plan(secret: str, *, timestamp_header: str = LEGACY_TIMESTAMP_HEADER, timestamped: bool) -> HmacPlan:
    """The older `X-Vapi-Signature`, as an HMAC plan: hex SHA-256 of the body, or of ``{timestamp}.{body}``."""
    return HmacPlan(secret=secret, signature_header=LEGACY_SIGNATURE_HEADER, timestamp_header=timestamp_header,
                    include_timestamp=timestamped)


def sign(body: bytes, secret: str, timestamp: str | None = None) -> str:
    """The hex HMAC-SHA256 of the older `X-Vapi-Signature`: over the body, or over ``{timestamp}.{body}``."""
    return sign_with_plan(legacy_plan(secret, timestamped=timestamp is not None), body, timestamp=timestamp or "")


def sign_with_plan(plan: HmacPlan, body: bytes, *, timestamp: str = "", method: str = "POST", url: str = "",
                   message_id: str = "") -> str:
    """The header value Vapi sends under `plan` (prefix included)."""
    payload = plan.payload(body=body, timestamp=timestamp, method=method, url=url, message_id=message_id)
    return plan.signature_prefix + plan.encode(plan.digest(payload))


def _timestamp_seconds(raw: str) -> float:
    """Seconds or milliseconds since the epoch, or an ISO 8601 time; finite, or VapiAuthError."""
    try:
        stamp = float(raw)
    except ValueError:
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp()
        except ValueError:
            raise VapiAuthError("timestamp header is not a number or an ISO 8601 time") from None
    if not math.isfinite(stamp):
        raise VapiAuthError("timestamp header is not a finite number")
    return stamp / 1000 if stamp > 1e11 else stamp  # milliseconds since the epoch


def _check_window(raw: str, tolerance: int, now: float) -> None:
    if abs(now - _timestamp_seconds(raw)) > tolerance:
        raise VapiAuthError(f"timestamp is outside the {tolerance}-second window")


def _presented(value: str, prefixes: tuple[str, ...]) -> list[str]:
    """The signatures in a header: several may be sent space-separated (Svix rotates keys that way)."""
    found = []
    for part in value.split():
        for prefix in prefixes:
            if prefix and part[:len(prefix)].lower() == prefix.lower():
                part = part[len(prefix):]
                break
        found.append(part)
    return found


def _decoded(signature: str, encoding: str) -> bytes | None:
    try:
        if encoding == "hex":
            return bytes.fromhex(signature)
        padded = signature + "=" * (-len(signature) % 4)
        return base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (ValueError, binascii.Error):
        return None


def _matches(given: list[str], expected: bytes, encoding: str) -> bool:
    matched = False
    for signature in given:  # no early exit: the same work whichever one matches
        decoded = _decoded(signature, encoding)
        matched |= hmac.compare_digest(decoded if decoded is not None else b"", expected)
    return matched


def _check_plan(creds: VapiCredentials, delivery: Delivery, now: float) -> None:
    plan = creds.hmac
    headers = delivery.headers
    timestamp = ""
    if plan.signs_timestamp:
        timestamp = (headers.get(plan.timestamp_header) or "").strip()
        if not timestamp:
            raise VapiAuthError(f"{plan.timestamp_header} is missing: the signature covers a timestamp")
        _check_window(timestamp, creds.tolerance_seconds, now)
    message_id = (headers.get(plan.message_id_header) or "").strip() if plan.message_id_header else ""
    payload = plan.payload(body=delivery.body, timestamp=timestamp, method=delivery.method, url=delivery.url,
                           message_id=message_id)
    prefixes = (plan.signature_prefix, f"{plan.algorithm}=")
    if not _matches(_presented(headers[plan.signature_header], prefixes), plan.digest(payload),
                    plan.signature_encoding):
        raise VapiAuthError(f"{plan.signature_header} does not match the body")


def _check_legacy(creds: VapiCredentials, delivery: Delivery, now: float) -> None:
    """A timestamp sent beside the older signature must be signed by it, or anyone could refresh it."""
    headers = delivery.headers
    stamp_header = next((name for name in (LEGACY_TIMESTAMP_HEADER, creds.hmac.timestamp_header)
                         if (headers.get(name) or "").strip()), LEGACY_TIMESTAMP_HEADER)
    plan = legacy_plan(creds.hmac.secret, timestamp_header=stamp_header,
                       timestamped=bool((headers.get(stamp_header) or "").strip()))
    _check_plan(replace(creds, hmac=plan), delivery, now)


def _bearer(headers: Mapping[str, str]) -> str | None:
    value = headers.get("Authorization")
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def verify_request(creds: VapiCredentials, headers: Mapping[str, str], body: bytes, now: float | None = None, *,
                   method: str = "POST", url: str = "") -> str:
    """Return the name of the method that authenticated the request, or raise VapiAuthError.

    `headers` must look names up case-insensitively (Django's `request.headers` does); `url` is
    the public URL Vapi posted to, for payload formats that sign `{url}`."""
    now = time.time() if now is None else now
    delivery = Delivery(headers=headers, body=body, method=method, url=url)
    if creds.hmac.secret:
        if headers.get(creds.hmac.signature_header):
            _check_plan(creds, delivery, now)
            return "hmac"
        if headers.get(LEGACY_SIGNATURE_HEADER):
            _check_legacy(creds, delivery, now)
            return "hmac"
    presented = []
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
