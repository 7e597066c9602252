"""What the simulator measured: latency per message type, answers by status code, throughput."""

from __future__ import annotations

import statistics
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method) of seconds, in milliseconds."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # "<status> <message type>": count, 0 = no answer
    elapsed: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, message_type: str, status: int, seconds: float) -> None:
        with self._lock:
            self.latencies[message_type].append(seconds)
            self.statuses[status] += 1
            if not 200 <= status < 300:
                self.errors[f"{status} {message_type}"] += 1

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500 or status == 0)

    def lines(self) -> list[str]:
        rate = self.requests / self.elapsed if self.elapsed else 0.0
        lines = [f"{self.requests} requests in {self.elapsed:.1f} s: {rate:.0f} events/s",
                 f"  {'message type':<30} {'count':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}  (ms)"]
        for message_type, values in sorted(self.latencies.items()):
            lines.append(f"  {message_type:<30} {len(values):>6} {percentile(values, 50):>8.1f} "
                         f"{percentile(values, 95):>8.1f} {percentile(values, 99):>8.1f} {max(values) * 1000:>8.1f}")
        codes = ", ".join(f"{status or 'no answer'}: {count}" for status, count in sorted(self.statuses.items()))
        lines.append(f"  answers by status: {codes}")
        if self.errors:
            lines.append("  errors: " + ", ".join(f"{key} x{count}" for key, count in self.errors.most_common()))
        else:
            lines.append("  errors: none")
        return lines
