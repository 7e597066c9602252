"""A published policy as an immutable snapshot, with its criteria's patterns compiled once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

DIMENSIONS = ("budget", "authority", "need", "timeline")  # leads.models.Dimension, in its order
STRUCTURED_DATA = "structured_data"
TOOL_ARGUMENT = "tool_argument"
TRANSCRIPT = "transcript"
SOURCES = (STRUCTURED_DATA, TOOL_ARGUMENT, TRANSCRIPT)  # the order evidence is trusted in


def _pattern_lines(text: str) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in enumerate((text or "").splitlines(), 1) if line.strip()]


def validate_patterns(text: str) -> list[str]:
    """What is wrong with a criterion's patterns (one regular expression per line), for the admin form.

    A pattern that matches an empty string is refused too: it would match every line."""
    errors = []
    for number, line in _pattern_lines(text):
        try:
            pattern = re.compile(line, re.IGNORECASE)
        except re.error as exc:
            errors.append(f"Line {number} ({line}): {exc}.")
            continue
        if pattern.search("") is not None:
            errors.append(f"Line {number} ({line}) matches an empty text, so it would match every line.")
    return errors


def compile_patterns(text: str) -> tuple[re.Pattern, ...]:
    """The valid patterns, case-insensitive; an invalid one (saved before validation existed) is skipped."""
    compiled = []
    for _, line in _pattern_lines(text):
        try:
            pattern = re.compile(line, re.IGNORECASE)
        except re.error:
            continue
        if pattern.search("") is None:
            compiled.append(pattern)
    return tuple(compiled)


@dataclass(frozen=True)
class CriterionSnapshot:
    id: int | None
    dimension: str
    source: str  # structured_data, tool_argument or transcript
    key: str = ""
    question_patterns: tuple[re.Pattern, ...] = ()
    positive_patterns: tuple[re.Pattern, ...] = ()
    negative_patterns: tuple[re.Pattern, ...] = ()
    position: int = 0

    @classmethod
    def from_row(cls, row: Any) -> CriterionSnapshot:
        """From a QualificationCriterion (or anything with its attributes)."""
        return cls(
            id=row.id, dimension=row.dimension, source=row.source, key=(row.key or "").strip(),
            question_patterns=compile_patterns(row.question_patterns),
            positive_patterns=compile_patterns(row.positive_patterns),
            negative_patterns=compile_patterns(row.negative_patterns),
            position=row.position,
        )

    def asks(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.question_patterns)


@dataclass(frozen=True)
class PolicySnapshot:
    id: int | None
    version: int | None
    hot_threshold: int
    warm_threshold: int
    weights: tuple[tuple[str, int], ...]  # (dimension, weight) in DIMENSIONS order
    min_evidence_words: int
    affirmation_credit: int  # percent of a dimension's weight a bare yes earns
    non_lead_intents: frozenset[str]
    questions: tuple[tuple[str, str], ...]  # (dimension, the question the assistant asks next)
    criteria: tuple[CriterionSnapshot, ...]  # enabled only, by dimension, source order, position

    @classmethod
    def from_policy(cls, policy: Any, criteria: Iterable[Any]) -> PolicySnapshot:
        """From a QualificationPolicy and its criteria rows; disabled criteria are left out."""
        rows = sorted((row for row in criteria if row.enabled),
                      key=lambda row: (_rank(row.source), row.position, row.id or 0))
        return cls(
            id=policy.id, version=policy.version,
            hot_threshold=policy.hot_threshold, warm_threshold=policy.warm_threshold,
            weights=tuple((dimension, getattr(policy, f"{dimension}_weight")) for dimension in DIMENSIONS),
            min_evidence_words=policy.min_evidence_words, affirmation_credit=policy.affirmation_credit,
            non_lead_intents=frozenset(item.strip().lower() for item in policy.non_lead_intents.split(",")
                                       if item.strip()),
            questions=tuple((dimension, getattr(policy, f"{dimension}_question").strip()) for dimension in DIMENSIONS),
            criteria=tuple(CriterionSnapshot.from_row(row) for row in rows),
        )

    def weight(self, dimension: str) -> int:
        return dict(self.weights)[dimension]

    def question(self, dimension: str) -> str:
        return dict(self.questions)[dimension]

    def criteria_for(self, dimension: str, source: str) -> tuple[CriterionSnapshot, ...]:
        return tuple(c for c in self.criteria if c.dimension == dimension and c.source == source)

    def status_for(self, score: int | None) -> str:
        if score is None:
            return ""
        if score >= self.hot_threshold:
            return "hot"
        return "warm" if score >= self.warm_threshold else "cold"


def _rank(source: str) -> int:
    return SOURCES.index(source) if source in SOURCES else len(SOURCES)
