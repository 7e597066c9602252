"""Precision and recall of the redaction over a table of cases (tests/privacy/cases.py).

Scored span by span. An expected span is found when a redacted span of the same kind
covers all of it (a partial cover leaks the rest, so it counts as missed); a redacted span
is correct when it covers an expected span of its kind. So:

    precision = correct redacted spans / all redacted spans
    recall    = expected spans found   / all expected spans

per kind and over all kinds together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from privacy.detectors import KINDS
from privacy.redaction import Redaction, redact


@dataclass(frozen=True)
class Case:
    text: str
    keep_phones: tuple[str, ...] = ()
    expected: tuple[tuple[str, int, int], ...] = ()  # (kind, start, end)


@dataclass
class Tally:
    redacted: int = 0
    correct: int = 0
    expected: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.redacted if self.redacted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


@dataclass
class Score:
    by_kind: dict[str, Tally] = field(default_factory=lambda: {kind: Tally() for kind in KINDS})
    misses: list[str] = field(default_factory=list)  # readable lines for a failing assertion

    @property
    def overall(self) -> Tally:
        total = Tally()
        for tally in self.by_kind.values():
            total.redacted += tally.redacted
            total.correct += tally.correct
            total.expected += tally.expected
            total.found += tally.found
        return total

    def table(self) -> str:
        lines = [f"{'kind':<8}{'precision':>10}{'recall':>8}{'redacted':>10}{'expected':>10}"]
        for kind, tally in [*self.by_kind.items(), ("overall", self.overall)]:
            lines.append(f"{kind:<8}{tally.precision:>10.3f}{tally.recall:>8.3f}"
                         f"{tally.redacted:>10}{tally.expected:>10}")
        return "\n".join(lines)


def score(cases: Iterable[Case], redactor: Callable[[Case], Redaction] | None = None) -> Score:
    run = redactor or (lambda case: redact(case.text, keep_phones=case.keep_phones))
    result = Score()
    for case in cases:
        spans = run(case).spans
        for kind, start, end in case.expected:
            tally = result.by_kind[kind]
            tally.expected += 1
            if any(_covers(span, kind, start, end) for span in spans):
                tally.found += 1
            else:
                result.misses.append(f"missed {kind} {case.text[start:end]!r} in {case.text!r}")
        for span in spans:
            tally = result.by_kind[span.kind]
            tally.redacted += 1
            if any(_covers(span, kind, start, end) for kind, start, end in case.expected):
                tally.correct += 1
            else:
                wrong = case.text[span.start:span.end]
                result.misses.append(f"wrongly redacted {span.kind} {wrong!r} in {case.text!r}")
    return result


def _covers(span, kind: str, start: int, end: int) -> bool:
    return span.kind == kind and span.start <= start and end <= span.end
