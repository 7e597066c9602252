"""What one call offers as evidence, gathered once and read by every scoring function."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CALLER = "user"


@dataclass(frozen=True)
class Turn:
    """One turn of the conversation: consecutive lines of one speaker, joined."""

    role: str  # "user" (the caller) or "assistant"
    text: str
    seconds_from_start: float | None = None

    @property
    def is_caller(self) -> bool:
        return self.role == CALLER


@dataclass(frozen=True)
class CallEvidence:
    structured: dict[str, Any] = field(default_factory=dict)  # Vapi's analysis.structuredData
    # The latest non-empty value of each argument across the call's successful score_lead invocations.
    tool_arguments: dict[str, Any] = field(default_factory=dict)
    turns: tuple[Turn, ...] = ()
    ended_reason: str = ""
    duration_seconds: float | None = None
    report_received: bool = False
    callback_requested: bool = False


def merge_turns(lines: list[Turn]) -> tuple[Turn, ...]:
    """Join consecutive lines of one speaker: a caller's answer often arrives as several final transcripts."""
    merged: list[Turn] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if merged and merged[-1].role == line.role:
            previous = merged[-1]
            merged[-1] = Turn(previous.role, f"{previous.text} {text}", previous.seconds_from_start)
        else:
            merged.append(Turn(line.role, text, line.seconds_from_start))
    return tuple(merged)
