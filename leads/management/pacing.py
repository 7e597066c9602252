"""A steady pace for batch work: "1/s", "30/m" or "100/h", measured on a monotonic clock."""

from __future__ import annotations

import re
from collections.abc import Callable
from time import monotonic, sleep

SECONDS_PER_UNIT = {"s": 1.0, "m": 60.0, "h": 3600.0}
_RATE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*/\s*([smh])\s*")


def seconds_between(rate: str) -> float:
    """The interval a rate like "2/s", "30/m" or "0.5/h" leaves between two starts."""
    match = _RATE.fullmatch(rate)
    if match is None:
        raise ValueError(f"{rate!r} is not a rate: write N/s, N/m or N/h, like 1/s, 30/m or 100/h")
    count, unit = float(match[1]), match[2]
    if count <= 0:
        raise ValueError(f"{rate!r} is not a rate: the number of calls must be above zero")
    return SECONDS_PER_UNIT[unit] / count


class Pacer:
    """Lets one thing start per `interval` seconds; waiting is one sleep until the next slot, never a spin.

    The clock is monotonic, so a change of the wall clock neither stalls nor bursts a campaign."""

    def __init__(self, interval: float, *, clock: Callable[[], float] | None = None,
                 sleeper: Callable[[float], None] | None = None):
        self.interval = interval
        self._clock = clock or monotonic
        self._sleep = sleeper or sleep
        self._next_start: float | None = None

    def wait(self) -> None:
        now = self._clock()
        if self._next_start is not None and now < self._next_start:
            self._sleep(self._next_start - now)
            now = self._clock()
        self._next_start = now + self.interval
