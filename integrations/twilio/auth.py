"""Twilio request signatures (X-Twilio-Signature), checked with the twilio library."""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator

SIGNATURE_HEADER = "X-Twilio-Signature"


class TwilioAuthError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def verify_request(auth_token: str, url: str, params: Mapping, signature: str | None) -> None:
    """`url` must be the public URL Twilio called, query string included."""
    if not signature:
        raise TwilioAuthError(f"no {SIGNATURE_HEADER} header")
    if not RequestValidator(auth_token).validate(url, params, signature):
        raise TwilioAuthError(f"{SIGNATURE_HEADER} does not match {url}")


def sign(auth_token: str, url: str, params: Mapping) -> str:
    """What Twilio would send for this request (for tools and tests)."""
    return RequestValidator(auth_token).compute_signature(url, params)
