"""Requests signed the way Vapi and Twilio sign them."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlencode

from integrations.twilio.auth import sign as twilio_sign
from integrations.vapi.auth import HmacPlan, sign_with_plan
from integrations.vapi.auth import sign as vapi_sign

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

VAPI_SECRET = "vapi-shared-secret-for-tests"
VAPI_HMAC_SECRET = "vapi-hmac-secret-for-tests"
VAPI_BEARER = "vapi-bearer-token-for-tests"
TWILIO_TOKEN = "twilio-auth-token-for-tests"
PUBLIC_BASE_URL = "https://callsync.example.com"


def vapi_fixture(name: str) -> dict:
    return json.loads((FIXTURES / "vapi" / f"{name}.json").read_text())


def twilio_fixture(name: str) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl((FIXTURES / "twilio" / f"{name}.txt").read_text().strip(), keep_blank_values=True))


def vapi_headers(body: bytes, mode: str = "hmac", timestamp: str | None = None) -> dict[str, str]:
    """Headers for a Vapi delivery authenticated with `mode`:

    - hmac: a Vapi HMAC credential at its defaults (x-signature over "{timestamp}.{body}", hex
      SHA-256, x-timestamp in milliseconds), as Vapi signs when only the secret is set;
    - hmac-legacy: the older X-Vapi-Signature over the body alone;
    - hmac-ts: X-Vapi-Signature over "{timestamp}.{body}" with X-Vapi-Timestamp;
    - secret, bearer, or none."""
    if mode == "secret":
        return {"HTTP_X_VAPI_SECRET": VAPI_SECRET}
    if mode == "bearer":
        return {"HTTP_AUTHORIZATION": f"Bearer {VAPI_BEARER}"}
    if mode == "hmac":
        stamp = timestamp or str(int(time.time() * 1000))
        signature = sign_with_plan(HmacPlan(secret=VAPI_HMAC_SECRET), body, timestamp=stamp)
        return {"HTTP_X_SIGNATURE": signature, "HTTP_X_TIMESTAMP": stamp}
    if mode == "hmac-legacy":
        return {"HTTP_X_VAPI_SIGNATURE": vapi_sign(body, VAPI_HMAC_SECRET)}
    if mode == "hmac-ts":
        stamp = timestamp or str(int(time.time()))
        return {"HTTP_X_VAPI_SIGNATURE": "sha256=" + vapi_sign(body, VAPI_HMAC_SECRET, stamp), "HTTP_X_VAPI_TIMESTAMP": stamp}
    return {}


def twilio_request(path: str, params: dict[str, str], token: str = TWILIO_TOKEN) -> tuple[str, dict[str, str]]:
    """The form body and the X-Twilio-Signature header Twilio would send to PUBLIC_BASE_URL + path."""
    signature = twilio_sign(token, PUBLIC_BASE_URL + path, params)
    return urlencode(params), {"HTTP_X_TWILIO_SIGNATURE": signature}
