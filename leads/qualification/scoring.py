"""score(policy, evidence, intent=...): the BANT score of one call, with the evidence that explains it.

Per dimension, each source yields pieces of evidence; the first source that has any decides:

    structuredData   the assistant's extraction of the whole call (it has heard every correction);
                     several keys for one dimension: a no anywhere wins, then a specific answer
    tool arguments   what the assistant passed to score_lead during the call, the latest value per argument
    transcript       the caller's own turns, never the assistant's; a turn counts when it matches the
                     criterion's patterns, or when it answers an assistant turn matching its questions.
                     The latest statement wins (callers correct themselves), except that a bare yes
                     after a specific answer only confirms it.

A bare yes that decides is upgraded when a later source has a specific answer behind it.

Credits: a specific answer 1, a bare yes affirmation_credit %, no answer 0, and a clear no -1:
"we have no budget" takes away what "$40k set aside" gives, so it scores below a call where
budget never came up. The score is 100 × Σ weight × credit / Σ weight, rounded half up and
kept within 0-100; None when no dimension has any evidence, so nothing learned never reads as 0.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from math import floor
from typing import Any

from leads.call_facts import pick
from leads.qualification.answers import Reading, Verdict, normalise, quote, read_answer, read_statement, read_value
from leads.qualification.evidence import CallEvidence
from leads.qualification.intent import IntentResult
from leads.qualification.policy import (
    DIMENSIONS,
    STRUCTURED_DATA,
    TOOL_ARGUMENT,
    TRANSCRIPT,
    CriterionSnapshot,
    PolicySnapshot,
)

SCORE_TOOL = "score_lead"
NEGATIVE_CREDIT = Fraction(-1)


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence for one dimension."""

    verdict: Verdict
    source: str  # "structuredData.budget", "tool:score_lead.budget" or "transcript"
    criterion: int | None
    reason: str
    quote: str | None = None  # the caller's words (transcript)
    value: Any = None  # the value as the assistant gave it (structuredData, tool arguments)
    seconds_from_start: float | None = None

    def as_json(self) -> dict[str, Any]:
        """`quote` is always the words to show (a value as the assistant gave it, as text)."""
        found = {"verdict": str(self.verdict), "source": self.source, "criterion": self.criterion,
                 "reason": self.reason}
        if self.source == TRANSCRIPT:
            found.update(quote=self.quote, seconds_from_start=self.seconds_from_start)
        else:
            said = self.value if isinstance(self.value, str) else json.dumps(self.value, sort_keys=True)
            found.update(quote=quote(said), value=self.value)
        return found


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    weight: int
    verdict: Verdict
    credit: Fraction
    decided_by: Evidence | None
    evidence: tuple[Evidence, ...]  # every piece found, by source, the transcript's in the order said

    @property
    def answered(self) -> bool:
        return self.verdict != Verdict.MISSING

    def as_json(self) -> dict[str, Any]:
        found = {"verdict": str(self.verdict), "credit": round(float(self.credit), 4), "weight": self.weight}
        if self.decided_by is not None:
            found.update({key: value for key, value in self.decided_by.as_json().items() if key != "verdict"})
        found["evidence"] = [piece.as_json() | {"decisive": piece is self.decided_by} for piece in self.evidence]
        return found


@dataclass(frozen=True)
class ScoreResult:
    policy_id: int | None
    policy_version: int | None
    score: int | None
    status: str  # hot, warm, cold, unqualified, or "" when not scored
    dimensions: tuple[DimensionScore, ...]
    intent: IntentResult

    @property
    def evidence_count(self) -> int:
        """Dimensions that count and have evidence: the hot call with all four has 4."""
        return sum(1 for found in self.dimensions if found.weight and found.answered)

    def dimensions_json(self) -> dict[str, Any]:
        return {found.dimension: found.as_json() for found in self.dimensions}


def score(policy: PolicySnapshot, evidence: CallEvidence, *, intent: IntentResult | None = None) -> ScoreResult:
    intent = intent or IntentResult()
    dimensions = tuple(_dimension(policy, evidence, name) for name in DIMENSIONS)
    value = _total(dimensions)
    status = "unqualified" if intent.intent in policy.non_lead_intents else policy.status_for(value)
    return ScoreResult(policy_id=policy.id, policy_version=policy.version, score=value, status=status,
                       dimensions=dimensions, intent=intent)


def credit_of(policy: PolicySnapshot, verdict: Verdict) -> Fraction:
    return {
        Verdict.POSITIVE: Fraction(1),
        Verdict.AFFIRMATION: Fraction(policy.affirmation_credit, 100),
        Verdict.NEGATIVE: NEGATIVE_CREDIT,
        Verdict.MISSING: Fraction(0),
    }[verdict]


def _total(dimensions: tuple[DimensionScore, ...]) -> int | None:
    weighted = [found for found in dimensions if found.weight]
    if not any(found.answered for found in weighted):
        return None
    share = sum(found.weight * found.credit for found in weighted) / sum(found.weight for found in weighted)
    return min(100, max(0, floor(100 * share + Fraction(1, 2))))


def _dimension(policy: PolicySnapshot, evidence: CallEvidence, name: str) -> DimensionScore:
    structured = _value_evidence(policy, evidence.structured, name, STRUCTURED_DATA, "structuredData.")
    from_tool = _value_evidence(policy, evidence.tool_arguments, name, TOOL_ARGUMENT, f"tool:{SCORE_TOOL}.")
    said = _transcript_evidence(policy, evidence, name)
    candidates = [_strongest(structured), _strongest(from_tool), _latest(said)]
    decided = next((piece for piece in candidates if piece is not None), None)
    if decided is not None and decided.verdict == Verdict.AFFIRMATION:
        later = candidates[candidates.index(decided) + 1:]
        decided = next((piece for piece in later if piece and piece.verdict == Verdict.POSITIVE), decided)
    verdict = decided.verdict if decided is not None else Verdict.MISSING
    return DimensionScore(dimension=name, weight=policy.weight(name), verdict=verdict,
                          credit=credit_of(policy, verdict), decided_by=decided,
                          evidence=tuple(structured + from_tool + said))


def _lookup(data: dict[str, Any], key: str) -> Any:
    """`budget`, any spelling (Budget, budget_amount ~ budgetAmount), or a path: `qualification.budget`."""
    value: Any = data
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = pick(value, part)
    return value


def _value_evidence(policy: PolicySnapshot, data: dict[str, Any], name: str, source: str,
                    label: str) -> list[Evidence]:
    found = []
    for criterion in policy.criteria_for(name, source):
        value = _lookup(data, criterion.key) if criterion.key else None
        if value is None:
            continue
        reading = read_value(value, criterion, min_words=policy.min_evidence_words)
        found.append(Evidence(verdict=reading.verdict, source=f"{label}{criterion.key}", criterion=criterion.id,
                              reason=reading.reason, value=value))
    return found


def _transcript_evidence(policy: PolicySnapshot, evidence: CallEvidence, name: str) -> list[Evidence]:
    criteria = policy.criteria_for(name, TRANSCRIPT)
    found: list[Evidence] = []
    if not criteria:
        return found
    asked: tuple[CriterionSnapshot, ...] = ()
    for turn in evidence.turns:
        text = normalise(turn.text)
        if not turn.is_caller:
            asked = tuple(criterion for criterion in criteria if criterion.asks(text))
            continue
        for criterion in criteria:
            reading = _read_turn(text, criterion, asked, policy.min_evidence_words)
            if reading is not None:
                found.append(Evidence(verdict=reading.verdict, source=TRANSCRIPT, criterion=criterion.id,
                                      reason=reading.reason, quote=quote(text),
                                      seconds_from_start=turn.seconds_from_start))
                break
        asked = ()  # only the caller's next turn answers the question
    return found


def _read_turn(text: str, criterion: CriterionSnapshot, asked: tuple[CriterionSnapshot, ...],
               min_words: int) -> Reading | None:
    reading = read_statement(text, criterion)
    if reading is None and criterion in asked:
        answer = read_answer(text, criterion, min_words=min_words)
        reading = Reading(answer.verdict, f"answer to the {criterion.dimension} question: {answer.reason}")
    return reading


_STRENGTH = (Verdict.NEGATIVE, Verdict.POSITIVE, Verdict.AFFIRMATION)


def _strongest(pieces: list[Evidence]) -> Evidence | None:
    """One extraction, several keys: a no anywhere wins, then a specific answer, then a bare yes."""
    decisive = [piece for piece in pieces if piece.verdict in _STRENGTH]
    return min(decisive, key=lambda piece: _STRENGTH.index(piece.verdict)) if decisive else None


def _latest(pieces: list[Evidence]) -> Evidence | None:
    """The caller's latest word, except that a bare yes after a specific answer only confirms it."""
    current = None
    for piece in pieces:
        if piece.verdict == Verdict.MISSING:
            continue
        if current is not None and current.verdict == Verdict.POSITIVE and piece.verdict == Verdict.AFFIRMATION:
            continue
        current = piece
    return current
