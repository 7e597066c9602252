"""Sending simulated calls: a pooled HTTP client, one thread per call in flight.

A call's requests go out one after another, as a provider sends them; up to
`concurrency` calls are on the line at once. Requests are signed the way Vapi
(HMAC-SHA256 of the body) and Twilio (X-Twilio-Signature over the public URL) sign."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from devtools.simulation.events import Request, SimulatedCall
from devtools.simulation.stats import Stats
from integrations.twilio.auth import sign as twilio_sign
from integrations.vapi.auth import sign as vapi_sign

# httpx logs every request at INFO: thousands of lines that would bury the summary.
logging.getLogger("httpx").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Credentials:
    vapi_hmac_secret: str
    twilio_auth_token: str = ""  # empty: Twilio callbacks are not sent
    twilio_public_base_url: str = ""  # the URL Twilio signs; the target when empty


class Sender:
    def __init__(self, target: str, credentials: Credentials, *, concurrency: int, timeout: float = 30.0):
        self.target = target.rstrip("/")
        self.credentials = credentials
        self.concurrency = concurrency
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        self.client = httpx.Client(base_url=self.target, limits=limits, timeout=timeout)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send_calls(self, calls: list[SimulatedCall], *, on_request: Callable[[], None] = lambda: None) -> Stats:
        """Each call's requests in order, up to `concurrency` calls at once."""
        return self.send_sequences([list(call.requests) for call in calls], on_request=on_request)

    def send_sequences(self, sequences: list[list[Request]], *,
                       on_request: Callable[[], None] = lambda: None) -> Stats:
        """Each sequence in order, up to `concurrency` sequences at once (one request each: all at random)."""
        stats = Stats()
        started = time.perf_counter()

        def send_sequence(requests: list[Request]) -> None:
            for request in requests:
                if request.provider == "twilio" and not self.credentials.twilio_auth_token:
                    continue
                status, seconds = self.send(request)
                stats.record(request.message_type, status, seconds)
                on_request()

        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="simulated-call") as pool:
            for finished in [pool.submit(send_sequence, requests) for requests in sequences]:
                finished.result()
        stats.elapsed = time.perf_counter() - started
        return stats

    def send(self, request: Request) -> tuple[int, float]:
        """(status code, seconds); status 0 when no answer came."""
        body, headers = self._signed(request)
        started = time.perf_counter()
        try:
            response = self.client.post(request.path, content=body, headers=headers)
            status = response.status_code
        except httpx.HTTPError:
            status = 0
        return status, time.perf_counter() - started

    def _signed(self, request: Request) -> tuple[bytes, dict[str, str]]:
        if request.provider == "vapi":
            signature = vapi_sign(request.body, self.credentials.vapi_hmac_secret)
            return request.body, {"Content-Type": "application/json", "X-Vapi-Signature": signature}
        params = dict(request.params)
        url = (self.credentials.twilio_public_base_url or self.target).rstrip("/") + request.path
        signature = twilio_sign(self.credentials.twilio_auth_token, url, params)
        return urlencode(request.params).encode(), {"Content-Type": "application/x-www-form-urlencoded",
                                                     "X-Twilio-Signature": signature}
