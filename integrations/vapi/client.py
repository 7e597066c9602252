"""A thin client for Vapi's REST API (httpx)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import httpx


class VapiApiError(Exception):
    """Vapi could not be reached or refused the request; the message says which."""


class VapiClient:
    def __init__(self, base_url: str, api_key: str, timeout: float):
        self._http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
        )

    def _request(self, method: str, path: str, **kwargs) -> dict[str, Any]:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise VapiApiError(f"Vapi {method} {path} failed: {exc.__class__.__name__}: {exc}") from exc
        if response.status_code >= 400:
            raise VapiApiError(f"Vapi {method} {path} answered {response.status_code}: {response.text[:500]}")
        try:
            data = response.json()
        except ValueError as exc:
            raise VapiApiError(f"Vapi {method} {path} answered with a body that is not JSON") from exc
        if not isinstance(data, dict):
            raise VapiApiError(f"Vapi {method} {path} answered with JSON that is not an object")
        return data

    def create_bypass_call(self, *, assistant_id: str, phone_number_id: str, customer_number: str) -> dict[str, Any]:
        """Have Vapi take a call that arrived at Twilio: Vapi answers with the TwiML that connects it."""
        payload = {
            "assistantId": assistant_id,
            "phoneNumberId": phone_number_id,
            "customer": {"number": customer_number},
            "phoneCallProviderBypassEnabled": True,
        }
        return self._request("POST", "/call", json=payload)

    def get_call(self, call_id: str) -> dict[str, Any]:
        return self._request("GET", f"/call/{call_id}")


@lru_cache(maxsize=8)
def get_client(base_url: str, api_key: str, timeout: float) -> VapiClient:
    """One pooled client per configuration, reused across requests."""
    return VapiClient(base_url, api_key, timeout)


def bypass_twiml(call: dict[str, Any]) -> str:
    details = call.get("phoneCallProviderDetails")
    twiml = details.get("twiml") if isinstance(details, dict) else None
    if not isinstance(twiml, str) or "<Response" not in twiml:
        raise VapiApiError("Vapi's call has no phoneCallProviderDetails.twiml")
    return twiml
