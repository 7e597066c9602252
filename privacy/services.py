"""Redaction applied to a call's document before it leaves for Salesforce.

The caller's own number and email, and the company's numbers (CALLSYNC_COMPANY_PHONE_NUMBERS),
are kept: Salesforce gets them in their own fields anyway, and a transcript that says "call me
back on this number" should still say which. What was replaced in the call's free text
(transcript, summaries, structured data) is counted on the Call with the redaction's confidence.

Below calls and leads (privacy/__init__.py): the call is the one handed in, never imported;
`Call` is named for type checkers only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings

from calls.phones import to_e164
from integrations.salesforce.mapping import FREE_TEXT_SOURCES, lookup
from privacy.redaction import Redactor

if TYPE_CHECKING:
    from calls.models import Call


def company_phone_numbers() -> list[str]:
    region = settings.CALLSYNC_DEFAULT_REGION
    return [number for number in (to_e164(raw, region) for raw in settings.CALLSYNC_COMPANY_PHONE_NUMBERS) if number]


def redactor_for(document: dict[str, Any]) -> Redactor:
    """A redactor that keeps the document's caller and the company's own numbers."""
    caller = document.get("caller") or {}
    return Redactor(
        keep_phones=[number for number in (caller.get("phone"), *company_phone_numbers()) if number],
        keep_emails=[caller["email"]] if caller.get("email") else [],
        region=settings.CALLSYNC_DEFAULT_REGION,
    )


def redactor_for_call(call: Call) -> Redactor:
    """For showing a call to someone who may not see it raw: keeps the caller's and the company's numbers."""
    return Redactor(keep_phones=[number for number in (call.customer_number, *company_phone_numbers()) if number],
                    region=settings.CALLSYNC_DEFAULT_REGION)


def record_call_redactions(*, call: Call, document: dict[str, Any], redactor: Redactor) -> None:
    """Count what the call's free text loses to redaction, save it on the call and put the
    confidence in the document (`privacy.redaction_confidence`) for the mappings to send."""
    counts, confidence = redactor.totals(lookup(document, path) for path in FREE_TEXT_SOURCES)
    document.setdefault("privacy", {})["redaction_confidence"] = confidence
    if (call.pii_redactions, call.pii_redaction_confidence) != (counts, confidence):
        # A plain UPDATE of the two columns: the sync holds no lock on the call, and a call merged away
        # meanwhile (a Twilio twin) is no error, where save() would raise. It is no provider event, so the
        # silent-call sweep's clock (Call.last_provider_event_at) stays.
        type(call)._default_manager.filter(pk=call.pk).update(pii_redactions=counts,
                                                              pii_redaction_confidence=confidence)
        call.pii_redactions, call.pii_redaction_confidence = counts, confidence
