"""Removing what was said on calls while keeping the calls: what retention and erasure both do.

Declared once here so that a call past its window (privacy/retention.py) and a forgotten
caller's call (privacy/erasure.py) lose the same things. A score stays explainable in shape
(each dimension's verdict, credit and source) after the caller's words are gone; the quote
is replaced by a marker."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from calls.models import Call, Recording, ToolInvocation, TranscriptSegment
from leads.models import Qualification

ERASED = "[erased]"
SPOKEN_KEYS = ("quote", "value", "keywords")

# A call's fields that hold what was said; blanked past the transcript window.
SPOKEN_FIELDS = {"summary": "", "structured_data": {}, "recording_url": "", "stereo_recording_url": "",
                 "next_steps": "", "redacted": None}  # the redacted copies say most of what the originals do


def scrub_calls(call_ids: list[int]) -> int:
    """Remove what was said on these calls, keep the calls. Returns the segments deleted."""
    deleted, _ = TranscriptSegment.objects.filter(call_id__in=call_ids).delete()
    Call.objects.filter(pk__in=call_ids).update(**SPOKEN_FIELDS, updated_at=timezone.now())
    ToolInvocation.objects.filter(call_id__in=call_ids).update(arguments=None, result="", redacted=None)
    Recording.objects.filter(call_id__in=call_ids).update(url="")
    scrub_quotes(call_ids)
    return deleted


def _without_words(item: Any) -> Any:
    if isinstance(item, dict):
        return {key: (ERASED if key in SPOKEN_KEYS and value not in (None, "") else _without_words(value))
                for key, value in item.items()}
    if isinstance(item, list):
        return [_without_words(value) for value in item]
    return item


def scrub_quotes(call_ids: list[int]) -> int:
    """Replace the quotes and values in these calls' scores; the numbers and verdicts stay."""
    scrubbed = 0
    for qualification in Qualification.objects.filter(call_id__in=call_ids).only("pk", "dimensions",
                                                                                  "intent_evidence"):
        qualification.dimensions = _without_words(qualification.dimensions)
        qualification.intent_evidence = _without_words(qualification.intent_evidence)
        qualification.save(update_fields=["dimensions", "intent_evidence"])
        scrubbed += 1
    return scrubbed
