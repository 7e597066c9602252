"""Transcript segments from the three places Vapi sends them.

The end-of-call artifact is the whole conversation, so once a report is applied
it replaces what live transcripts and conversation updates contributed, and
later ones are ignored: the result is the same whatever order they arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from calls.models import Call, TranscriptSegment
from integrations.vapi.messages import Utterance, digest

Source = TranscriptSegment.Source


def utterance_key(utterance: Utterance, position: int) -> str:
    if utterance.time_ms is not None:
        return f"{utterance.role}:{int(utterance.time_ms)}"
    return f"{utterance.role}:#{position}:{digest(utterance.text)[:16]}"


def _segment(call: Call, source: str, utterance: Utterance, key: str) -> TranscriptSegment:
    return TranscriptSegment(
        call=call,
        source=source,
        segment_key=key,
        role=utterance.role,
        text=utterance.text,
        seconds_from_start=utterance.seconds_from_start,
        spoken_at=utterance.spoken_at,
    )


def store_conversation(call: Call, source: str, utterances: Iterable[Utterance]) -> None:
    """Upsert a snapshot of the conversation: a re-sent turn updates its row, never adds one."""
    segments = [_segment(call, source, u, utterance_key(u, i)) for i, u in enumerate(utterances)]
    if segments:
        TranscriptSegment.objects.bulk_create(
            segments,
            update_conflicts=True,
            unique_fields=["call", "source", "segment_key"],
            update_fields=["text", "seconds_from_start", "spoken_at"],
        )


def store_live(call: Call, role: str, text: str, spoken_at: datetime | None) -> None:
    millis = int(spoken_at.timestamp() * 1000) if spoken_at else None
    key = f"{role}:{millis}:{digest(text)[:16]}"
    seconds = (spoken_at - call.started_at).total_seconds() if spoken_at and call.started_at else None
    utterance = Utterance(role=role, text=text, time_ms=millis, seconds_from_start=seconds)
    TranscriptSegment.objects.bulk_create([_segment(call, Source.LIVE, utterance, key)], ignore_conflicts=True)


def replace_with_report(call: Call, utterances: Iterable[Utterance]) -> None:
    TranscriptSegment.objects.filter(call=call).exclude(source=Source.REPORT).delete()
    store_conversation(call, Source.REPORT, utterances)
