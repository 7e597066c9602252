"""The org's daily API usage, as the last Salesforce answer reported it.

Every API response carries `Sforce-Limit-Info: api-usage=N/M`; recording it in the shared
cache lets every worker see how much of the org's rolling 24-hour allocation is left
without spending a call on /limits."""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass
from typing import Any

from django.core.cache import cache as default_cache

# Not the per-app figure that may follow: "api-usage=25/5000; per-app-api-usage=17/250(appName=x)".
_API_USAGE = re.compile(r"(?:^|[\s;,])api-usage=(\d+)/(\d+)")
# A snapshot this old is forgotten: when the budget ran low and sync paused, the next
# request (one call) finds out whether the rolling allocation has recovered.
SNAPSHOT_TTL_SECONDS = 15 * 60


@dataclass(frozen=True)
class BudgetSnapshot:
    used: int
    limit: int
    observed_at: float  # epoch seconds

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def remaining_percent(self) -> float:
        return 100.0 * self.remaining / self.limit if self.limit else 0.0


def parse_limit_info(header_value: str) -> tuple[int, int] | None:
    """(used, limit) from a Sforce-Limit-Info value, or None when it has no api-usage."""
    match = _API_USAGE.search(header_value or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


class ApiBudget:
    def __init__(self, cache: Any = default_cache, key: str = "callsync:salesforce:api-budget"):
        self._cache = cache
        self._key = key

    def record(self, header_value: str) -> BudgetSnapshot | None:
        usage = parse_limit_info(header_value)
        if usage is None:
            return None
        snapshot = BudgetSnapshot(used=usage[0], limit=usage[1], observed_at=time.time())
        self._cache.set(self._key, asdict(snapshot), SNAPSHOT_TTL_SECONDS)
        return snapshot

    def snapshot(self) -> BudgetSnapshot | None:
        stored = self._cache.get(self._key)
        return BudgetSnapshot(**stored) if isinstance(stored, dict) else None

    def below_reserve(self, reserve_percent: float) -> bool:
        """True when less than reserve_percent of the daily allocation is left; False while nothing is known."""
        snapshot = self.snapshot()
        if snapshot is None or snapshot.limit <= 0:
            return False
        return snapshot.remaining < snapshot.limit * reserve_percent / 100.0

    def reset(self) -> None:
        self._cache.delete(self._key)


api_budget = ApiBudget()
