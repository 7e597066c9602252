"""Fault injection: make the sandbox misbehave the way a real org sometimes does.

Tests switch faults on and off at any time, from any thread:

    faults = sandbox.faults
    faults.fail_next(2, status=503)                  # next 2 API requests: 503 SERVER_UNAVAILABLE
    faults.fail_next(status=500)                     # 500 UNKNOWN_EXCEPTION
    faults.fail_next(status=502)                     # 502 with an HTML page, as Salesforce's edge answers
    faults.fail_next(kind="unable_to_lock_row")      # 400 UNABLE_TO_LOCK_ROW
    faults.fail_next(kind="request_limit")           # 403 REQUEST_LIMIT_EXCEEDED (the budget is untouched)
    faults.fail_next(kind="expired_session")         # 401 INVALID_SESSION_ID once; the token stays valid
    faults.fail_next(status=500, path="/composite")  # only requests whose path contains "/composite"
    faults.fail_next(status=503, retry_after=30)     # the failure carries Retry-After: 30
    faults.drop_next(1)                              # close the connection without answering
    faults.set_latency(0.5)                          # every API request waits half a second first
    faults.expire_tokens()                           # every token issued so far answers 401 from now on
    faults.exhaust_budget()                          # daily API budget used up: 403 until reset
    faults.set_remaining_budget(3)                   # three more API calls, then 403
    faults.clear()                                   # no armed failures, no latency
    faults.pending                                   # how many armed failures are left

Kinds: server_error (any 5xx status), request_limit (403), expired_session (401),
unable_to_lock_row (400) and drop.  fail_next picks the kind from the status for 5xx,
401 and 403; pass kind= for the others.

Scope: without a path a fault hits API requests (paths under /services/data/), not the
token endpoint; with path="..." it hits any request whose path contains that text,
the token endpoint included.  Armed failures are used up in the order they were armed.
An injected failure is answered before authentication and uses no API budget.

expire_tokens and the budget setters change the org's state rather than arming
anything, so clear() leaves them alone; org.reset() restores the budget, and clients
get new tokens from the token endpoint.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http import HTTPStatus

from . import ids
from .auth import TokenStore
from .org import Org
from .responses import ApiError, Reply, invalid_session, request_limit_exceeded

API_PATH = "/services/data/"
KINDS = ("server_error", "request_limit", "expired_session", "unable_to_lock_row", "drop")
_STATUS_OF_KIND = {"request_limit": 403, "expired_session": 401, "unable_to_lock_row": 400, "drop": 0}
_KIND_OF_STATUS = {401: "expired_session", 403: "request_limit"}


@dataclass(frozen=True)
class Fault:
    kind: str
    status: int
    retry_after: float | None = None

    @property
    def drops_connection(self) -> bool:
        return self.kind == "drop"

    def reply(self) -> Reply:
        reply = self._reply()
        if self.retry_after is not None:
            reply.headers["Retry-After"] = f"{self.retry_after:g}"
        return reply

    def _reply(self) -> Reply:
        if self.kind == "server_error":
            return _server_error(self.status)
        if self.kind == "request_limit":
            return request_limit_exceeded().reply()
        if self.kind == "expired_session":
            return invalid_session().reply()
        locked = ids.make_id("00Q", 1)
        return ApiError(400, "UNABLE_TO_LOCK_ROW",
                        f"unable to obtain exclusive access to this record or 1 records: {locked}").reply()


def _server_error(status: int) -> Reply:
    if status == 500:
        return ApiError(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId "
                        "if you contact support: 1872436851-40873 (-1553958429)").reply()
    if status == 503:
        return ApiError(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable, please try again later.").reply()
    phrase = HTTPStatus(status).phrase
    page = f"<html><head><title>{status} {phrase}</title></head><body><h1>{status} {phrase}</h1></body></html>"
    return Reply(status, page, content_type="text/html;charset=UTF-8")


def _fault(kind: str | None, status: int, retry_after: float | None = None) -> Fault:
    kind = kind or _KIND_OF_STATUS.get(status) or ("server_error" if 500 <= status <= 599 else None)
    if kind not in KINDS:
        raise ValueError(f"give a kind (one of {', '.join(KINDS)}) or a 5xx, 401 or 403 status, not {status}")
    if kind == "server_error" and not 500 <= status <= 599:
        raise ValueError(f"server_error needs a 5xx status, not {status}")
    return Fault(kind, _STATUS_OF_KIND.get(kind, status), retry_after)


def _applies(scope: str | None, path: str) -> bool:
    return path.startswith(API_PATH) if scope is None else scope in path


@dataclass
class _Armed:
    fault: Fault
    scope: str | None
    remaining: int


class Faults:
    def __init__(self, org: Org, tokens: TokenStore):
        self._org = org
        self._tokens = tokens
        self._lock = threading.Lock()
        self._armed: list[_Armed] = []
        self._latency: dict[str | None, float] = {}

    def fail_next(
        self, n: int = 1, status: int = 503, *, kind: str | None = None, path: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        if n < 1:
            raise ValueError(f"n must be at least 1, not {n}")
        fault = _fault(kind, status, retry_after)
        with self._lock:
            self._armed.append(_Armed(fault, path, n))

    def drop_next(self, n: int = 1, *, path: str | None = None) -> None:
        self.fail_next(n, kind="drop", path=path)

    def set_latency(self, seconds: float, *, path: str | None = None) -> None:
        with self._lock:
            self._latency[path] = seconds

    def expire_tokens(self) -> None:
        self._tokens.expire_all()

    def exhaust_budget(self) -> None:
        self.set_remaining_budget(0)

    def set_remaining_budget(self, remaining: int) -> None:
        with self._org.lock:
            self._org.api_calls_used = max(0, self._org.daily_api_limit - remaining)

    def clear(self) -> None:
        with self._lock:
            self._armed.clear()
            self._latency.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(armed.remaining for armed in self._armed)

    # Used by the gateway for every request.

    def take(self, path: str) -> Fault | None:
        """The first armed fault for this path, counted as used."""
        with self._lock:
            armed = next((armed for armed in self._armed if _applies(armed.scope, path)), None)
            if armed is None:
                return None
            armed.remaining -= 1
            if armed.remaining <= 0:
                self._armed.remove(armed)
            return armed.fault

    def latency_for(self, path: str) -> float:
        with self._lock:
            return max((seconds for scope, seconds in self._latency.items() if _applies(scope, path)), default=0.0)
