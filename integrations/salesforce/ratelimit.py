"""One request rate for the whole deployment, however many workers send requests.

Time is cut into slots of 1/rate seconds and each slot admits one request: a worker claims
a slot with an atomic add-if-absent in the shared cache (SET NX in Redis) and, when the
current slot is taken, sleeps until the next one starts.  Any aligned second therefore
holds at most `rate` requests, with no counter to drift or reset.  Slots follow each
host's clock, so hosts whose clocks disagree can overlap by that much."""

from __future__ import annotations

import math
import time
from typing import Any, Callable

from django.core.cache import cache as default_cache

from .config import SalesforceConfig
from .errors import ErrorKind, SalesforceError


class RateLimiter:
    def __init__(
        self,
        max_requests_per_second: float,
        *,
        scope: str = "default",
        cache: Any = default_cache,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if max_requests_per_second <= 0:
            raise ValueError(f"max_requests_per_second must be positive, not {max_requests_per_second}")
        self.max_requests_per_second = max_requests_per_second
        self._slot_seconds = 1.0 / max_requests_per_second
        # The cache counts timeouts in whole seconds; a claimed slot must outlive its own time.
        self._slot_ttl = max(2, math.ceil(2 * self._slot_seconds))
        self._prefix = f"callsync:salesforce:rate:{scope}"
        self._cache = cache
        self._clock = clock
        self._sleep = sleep

    def acquire(self, timeout: float = 30.0) -> None:
        """Wait for a free slot; SalesforceError(TRANSIENT) when none comes within timeout seconds."""
        deadline = self._clock() + timeout
        while True:
            now = self._clock()
            slot = math.floor(now / self._slot_seconds)
            if self._claim(slot):
                return
            next_slot_starts = (slot + 1) * self._slot_seconds
            if next_slot_starts > deadline:
                raise SalesforceError(
                    ErrorKind.TRANSIENT,
                    f"No Salesforce request slot free within {timeout:g} s "
                    f"(limit {self.max_requests_per_second:g} requests/s shared by all workers)",
                    code="RATE_LIMITED",
                )
            self._sleep(max(0.0, next_slot_starts - now))

    def _claim(self, slot: int) -> bool:
        return bool(self._cache.add(f"{self._prefix}:{slot}", 1, self._slot_ttl))


def limiter_for(config: SalesforceConfig) -> RateLimiter:
    """The limiter every client of this org and integration user shares."""
    return RateLimiter(config.max_requests_per_second, scope=config.identity)


def acquire(timeout: float = 30.0) -> None:
    """Take one request slot of the configured org, as every SalesforceClient request does."""
    limiter_for(SalesforceConfig.from_settings()).acquire(timeout)
