"""A thin client for Vapi's REST API (httpx)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import httpx

# Vapi refuses a longer customer.name with a 400.
CUSTOMER_NAME_MAX_LENGTH = 40
# Vapi's ids (calls, assistants, phone numbers) are UUIDs. An id that reaches a URL path comes
# from a webhook, so anything else is refused before a request (and the API key) leaves.
_VAPI_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class VapiApiError(Exception):
    """Vapi could not be reached or refused the request; the message says which.

    `status_code` is Vapi's HTTP status (None when no answer came), `vapi_message` what Vapi
    said about it (its error body's `message`), and `timed_out` whether the client gave up waiting.
    """

    def __init__(self, message: str, *, status_code: int | None = None, vapi_message: str = "",
                 timed_out: bool = False):
        super().__init__(message)
        self.status_code = status_code
        self.vapi_message = vapi_message
        self.timed_out = timed_out


class VapiClient:
    def __init__(self, base_url: str, api_key: str, timeout: float):
        self.timeout = timeout
        self._http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
        )

    def _request(self, method: str, path: str, **kwargs) -> dict[str, Any]:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise VapiApiError(f"Vapi {method} {path} did not answer within {self.timeout:g} s",
                               timed_out=True) from exc
        except httpx.HTTPError as exc:
            raise VapiApiError(f"Vapi {method} {path} failed: {exc.__class__.__name__}: {exc}") from exc
        if response.status_code >= 400:
            said = error_message(response)
            raise VapiApiError(f"Vapi {method} {path} answered {response.status_code}: {said}",
                               status_code=response.status_code, vapi_message=said)
        try:
            data = response.json()
        except ValueError as exc:
            raise VapiApiError(f"Vapi {method} {path} answered with a body that is not JSON",
                               status_code=response.status_code) from exc
        if not isinstance(data, dict):
            raise VapiApiError(f"Vapi {method} {path} answered with JSON that is not an object",
                               status_code=response.status_code)
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

    def create_outbound_call(
        self, *, assistant_id: str, phone_number_id: str, customer_number: str, customer_name: str | None = None,
        variable_values: dict[str, Any], metadata: dict[str, Any],
    ) -> dict[str, Any]:
        """Have Vapi dial `customer_number` (E.164); Vapi answers with the new call, usually `queued`.

        The variable values fill the assistant's `{{placeholders}}`; both they and the metadata come back
        on every webhook of the call, under `call.assistantOverrides`."""
        customer = {"number": customer_number}
        if customer_name:
            customer["name"] = customer_name[:CUSTOMER_NAME_MAX_LENGTH]
        payload = {
            "assistantId": assistant_id,
            "phoneNumberId": phone_number_id,
            "customer": customer,
            "assistantOverrides": {"variableValues": variable_values, "metadata": metadata},
        }
        return self._request("POST", "/call", json=payload)

    def get_call(self, call_id: str) -> dict[str, Any]:
        return self._request("GET", f"/call/{path_id(call_id)}")


def path_id(value: str) -> str:
    """A Vapi id as one URL path segment: a UUID, quoted all the same (VapiApiError if it is not one)."""
    if not isinstance(value, str) or not _VAPI_ID.match(value):
        raise VapiApiError(f"{value!r:.80} is not a Vapi id (a UUID); nothing was sent")
    return quote(value, safe="")


def error_message(response: httpx.Response) -> str:
    """What Vapi said went wrong: `{"message": str | [str], "error": ..., "statusCode": ...}`, else the raw text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:500].strip() or response.reason_phrase
    if not isinstance(body, dict):
        return response.text[:500]
    message = body.get("message")
    if isinstance(message, list):
        message = "; ".join(str(item) for item in message if item)
    return str(message or body.get("error") or response.reason_phrase)[:500]


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
