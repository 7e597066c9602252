"""The disposition table: the first enabled rule, by position, whose conditions all hold.

A blank condition matches anything; lists are comma-separated; an ended reason ending in
* matches every reason it begins ("twilio-failed-to-connect-call*"); the status "none"
matches a call that was not scored. No rule matching leaves the disposition as it is ("")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

REASON_LIMIT = 255


@dataclass(frozen=True)
class DispositionFacts:
    ended_reason: str = ""
    intent: str = ""
    status: str = ""  # hot, warm, cold, unqualified, or "" when not scored
    score: int | None = None
    duration_seconds: float | None = None
    callback_requested: bool = False
    report_missing: bool = False


def _items(text: str) -> list[str]:
    return [item.strip().lower() for item in (text or "").split(",") if item.strip()]


def _reason_matches(patterns: list[str], ended_reason: str) -> bool:
    reason = ended_reason.strip().lower()
    return bool(reason) and any(
        reason.startswith(pattern[:-1]) if pattern.endswith("*") else reason == pattern for pattern in patterns)


def _conditions(rule: Any, facts: DispositionFacts) -> list[tuple[bool, str]]:
    """(holds, description) for each condition the rule sets."""
    conditions = []
    if reasons := _items(rule.ended_reasons):
        conditions.append((_reason_matches(reasons, facts.ended_reason), f"ended reason {rule.ended_reasons.strip()}"))
    if intents := _items(rule.intents):
        conditions.append((facts.intent.lower() in intents, f"intent {rule.intents.strip()}"))
    if statuses := _items(rule.qualification_statuses):
        conditions.append(((facts.status or "none") in statuses, f"status {rule.qualification_statuses.strip()}"))
    if rule.min_score is not None:
        conditions.append((facts.score is not None and facts.score >= rule.min_score, f"score \u2265 {rule.min_score}"))
    if rule.max_duration_seconds is not None:
        short = facts.duration_seconds is not None and facts.duration_seconds <= rule.max_duration_seconds
        conditions.append((short, f"at most {rule.max_duration_seconds} s long"))
    if rule.callback_requested is not None:
        conditions.append((facts.callback_requested == rule.callback_requested,
                           "callback requested" if rule.callback_requested else "no callback requested"))
    if rule.report_missing is not None:
        conditions.append((facts.report_missing == rule.report_missing,
                           "no end-of-call report" if rule.report_missing else "end-of-call report received"))
    return conditions


def describe(rule: Any, conditions: list[tuple[bool, str]]) -> str:
    """"Disposition rule #40 (intent support)": what the history says about why."""
    said = ", ".join(description for _, description in conditions) or "always"
    text = f"Disposition rule #{rule.position} ({said})"
    return text[:REASON_LIMIT]


def derive_disposition(rules: Iterable[Any], facts: DispositionFacts) -> tuple[str, str]:
    """(disposition, why) from the first enabled rule whose conditions all hold; ("", "") when none does."""
    for rule in sorted((rule for rule in rules if rule.enabled), key=lambda rule: (rule.position, rule.id or 0)):
        conditions = _conditions(rule, facts)
        if all(holds for holds, _ in conditions):
            return rule.disposition, describe(rule, conditions)
    return "", ""
