"""Transcript segments from the three places Vapi sends them, and what people are shown of them.

The end-of-call artifact is the whole conversation, so once a report is applied
it replaces what live transcripts and conversation updates contributed, and
later ones are ignored: the result is the same whatever order they arrive in.

Whatever holds what a caller said is redacted once, when it is stored, and the
redaction is kept (encrypted, like the original) for those who may not see it raw
(calls/redacted.py): a segment as it is written, the call's summary, structured data,
evaluation, outcome and next steps, and its tool invocations when the applier next
finishes with the call (redact_call_text). `manage.py reredact` redoes them after the
redaction engine learns new kinds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from calls.models import Call, ToolInvocation, TranscriptSegment
from calls.redacted import REDACTED_FIELDS
from integrations.vapi.messages import Utterance, digest
from leads.models import Qualification
from privacy.redaction import Redactor
from privacy.services import redactor_for_call

Source = TranscriptSegment.Source


def utterance_key(utterance: Utterance, position: int) -> str:
    if utterance.time_ms is not None:
        return f"{utterance.role}:{int(utterance.time_ms)}"
    return f"{utterance.role}:#{position}:{digest(utterance.text)[:16]}"


def _segment(call: Call, source: str, utterance: Utterance, key: str, redacted: str) -> TranscriptSegment:
    return TranscriptSegment(
        call=call,
        source=source,
        segment_key=key,
        role=utterance.role,
        text=utterance.text,
        redacted_text=redacted,
        seconds_from_start=utterance.seconds_from_start,
        spoken_at=utterance.spoken_at,
    )


def store_conversation(call: Call, source: str, utterances: Iterable[Utterance]) -> None:
    """Upsert a snapshot of the conversation: a re-sent turn updates its row, never adds one."""
    utterances = list(utterances)
    if not utterances:
        return
    redacted = _redacted_texts(call, [u.text for u in utterances])
    segments = [_segment(call, source, u, utterance_key(u, i), redacted[u.text]) for i, u in enumerate(utterances)]
    TranscriptSegment.objects.bulk_create(
        segments,
        update_conflicts=True,
        unique_fields=["call", "source", "segment_key"],
        update_fields=["text", "redacted_text", "seconds_from_start", "spoken_at"],
    )


def store_live(call: Call, role: str, text: str, spoken_at: datetime | None) -> None:
    millis = int(spoken_at.timestamp() * 1000) if spoken_at else None
    key = f"{role}:{millis}:{digest(text)[:16]}"
    seconds = (spoken_at - call.started_at).total_seconds() if spoken_at and call.started_at else None
    utterance = Utterance(role=role, text=text, time_ms=millis, seconds_from_start=seconds)
    redacted = redactor_for_call(call)(text)
    TranscriptSegment.objects.bulk_create([_segment(call, Source.LIVE, utterance, key, redacted)],
                                          ignore_conflicts=True)


def _redacted_texts(call: Call, texts: list[str]) -> dict[str, str]:
    """Each text redacted. A conversation update re-sends every turn so far: turns this call already
    stored keep their redaction (one query), and only new words go through the engine."""
    wanted = set(texts)
    known = {text: redacted for text, redacted in
             TranscriptSegment.objects.filter(call=call, redacted_text__isnull=False)
             .values_list("text", "redacted_text") if text in wanted}
    redactor = redactor_for_call(call)
    return {text: known[text] if text in known else redactor(text) for text in wanted}


def replace_with_report(call: Call, utterances: Iterable[Utterance]) -> None:
    TranscriptSegment.objects.filter(call=call).exclude(source=Source.REPORT).delete()
    store_conversation(call, Source.REPORT, utterances)


# --- redactions kept for display -------------------------------------------------------------

def redact_call_text(call: Call, *, qualification: Qualification | None = None, final: bool = False,
                     force: bool = False) -> bool:
    """Keep the call's free text redacted (Call.redacted); True when that was written.

    Cheap when nothing changed: a digest of what was redacted says whether the fields moved since
    (an in-call tool writes the outcome, say). The quotes of a `qualification` just computed are
    redacted beside them. Tool invocations are redacted once the call is `final` (its report: no tool
    runs after it); the pages redact one left over as they show it."""
    redactor = redactor_for_call(call)
    if final or force:
        _redact_tool_invocations(call, redactor, force=force)
    kept = call.redacted if isinstance(call.redacted, dict) else {}
    if force:
        kept = {}
    redacted = dict(kept)
    source = _fingerprint(call)
    if kept.get("source") != source:
        redacted.update(source=source, **{name: redactor(getattr(call, name)) for name in REDACTED_FIELDS})
    if qualification is not None:
        known = kept.get("quotes", {})
        redacted["quotes"] = {quote: known[quote] if quote in known else redactor(quote)
                              for quote in _quotes(qualification)}
    if redacted == kept:
        return False
    call.redacted = redacted
    call.save(update_fields=["redacted"])  # a copy of what the call says, not a change of it: updated_at stays
    return True


def _quotes(qualification: Qualification) -> list[str]:
    """The caller's words quoted in the call's score, shown beside it."""
    return sorted(set(_quoted(qualification.dimensions) + _quoted(qualification.intent_evidence)))


def _quoted(value) -> list[str]:
    if isinstance(value, dict):
        here = [value["quote"]] if isinstance(value.get("quote"), str) and value["quote"] else []
        return here + [quote for item in value.values() for quote in _quoted(item)]
    if isinstance(value, list):
        return [quote for item in value for quote in _quoted(item)]
    return []


def _fingerprint(call: Call) -> str:
    values = [call.customer_number, *(getattr(call, name) for name in REDACTED_FIELDS)]
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _redact_tool_invocations(call: Call, redactor: Redactor, *, force: bool) -> None:
    tools = ToolInvocation.objects.filter(call=call).only("pk", "arguments", "result")
    tools = list(tools if force else tools.filter(redacted__isnull=True))
    for tool in tools:
        tool.redacted = {"arguments": redactor(tool.arguments), "result": redactor(tool.result)}
    ToolInvocation.objects.bulk_update(tools, ["redacted"])  # one statement, however many tools ran


def redact_segments(call: Call) -> int:
    """Redact the call's transcript again (after the engine changed); returns the segments written."""
    segments = list(TranscriptSegment.objects.filter(call=call).only("pk", "text"))
    redactor = redactor_for_call(call)
    for segment in segments:
        segment.redacted_text = redactor(segment.text)
    TranscriptSegment.objects.bulk_update(segments, ["redacted_text"], batch_size=500)
    return len(segments)


def redact_stored(*, everything: bool = False, batch_size: int = 200) -> tuple[int, int]:
    """Fill the redactions text stored before they were kept is missing, or with `everything` redo
    them all (the redaction engine learned new kinds). Batched by call; returns (calls, segments)."""
    calls_done = segments_done = 0
    last_pk = 0
    while batch := list(Call.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size]):
        for call in batch:
            with transaction.atomic():
                qualification = Qualification.objects.filter(call=call).first()
                calls_done += redact_call_text(call, qualification=qualification, force=everything, final=True)
                if everything or TranscriptSegment.objects.filter(call=call, redacted_text__isnull=True).exists():
                    segments_done += redact_segments(call)
        last_pk = batch[-1].pk
    return calls_done, segments_done
