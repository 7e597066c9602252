"""The canonical call document: everything a FieldMapping can read about one call.

A plain, JSON-serialisable dict; every key is always present (None when unknown), so
a mapping's source path means the same thing for every call. Eight roots:

    caller          who called, as they said it (analysis.structuredData), else the Lead mirror,
                    else the outbound call's variableValues
        phone, phone_raw, name, first_name, last_name, company, email
    lead            the Lead mirror row the call is about: the call's lead, else the mirror row of
                    the Salesforce id an outbound call carried, else the mirror row for the phone
        salesforce_id, first_name, last_name, name, company, email, owner_name, phone
    call            the call itself; times are ISO 8601 UTC ("2026-11-19T15:04:05.123Z")
        id (vapi_call_id, else twilio_call_sid), vapi_call_id, twilio_call_sid, direction, type,
        status, ended_reason, started_at, ended_at, duration_seconds, cost, summary, recording_url,
        disposition, success_evaluation, incomplete (no end-of-call report yet), subject
    qualification   score, status, intent, intent_confidence: the call's Qualification (the BANT
                    score, leads/services/qualification.py); before it is scored, only the intent
                    the assistant named in structuredData
    analysis        Vapi's analysis as sent: summary, structuredData (free-form), successEvaluation
    consent         status (given/refused/unknown), given (true/false/None), record (a sentence)
    transcript      the conversation as "Caller: …\\nAssistant: …" lines, from the end-of-call
                    report when there is one, else conversation updates, else live transcripts
    privacy         redaction_confidence: how sure the redaction of the call's free text is that
                    nothing was missed (0-1; privacy/redaction.py), set by the sync before it maps

Every path, what it means and an example: docs/mapping.md (kept in step with the
engine's DOCUMENT_PATHS by the tests). Building one costs at most four queries: the lead, the
qualification (none when it was select_related), the transcript, and the Twilio recordings
when Vapi sent no recording a browser may follow (calls/recordings.py, as the call page).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from calls.models import Call, TranscriptSegment
from calls.phones import to_e164
from calls.recordings import recording_url
from calls.selectors.detail import SPEAKERS, TRANSCRIPT_SOURCES
from integrations.salesforce.mapping import DOCUMENT_PATHS, OPEN_PATHS
from integrations.vapi.secrets import mask_secrets
from leads.call_facts import (
    COMPANY_KEYS,
    EMAIL_KEYS,
    FIRST_NAME_KEYS,
    INTENT_CONFIDENCE_KEYS,
    INTENT_KEYS,
    LAST_NAME_KEYS,
    NAME_KEYS,
    PHONE_KEYS,
    call_duration,
    confidence,
    iso,
    pick,
)
from leads.models import Lead, Qualification
from leads.salesforce_ids import person_from_call_data
from leads.selectors import lead_for_phone, lead_for_salesforce_id

# Re-exported: what a document reads is declared beside it (the mapping engine, leads/call_facts.py).
__all__ = ["DOCUMENT_PATHS", "OPEN_PATHS", "call_document", "confidence", "iso", "pick", "split_name",
           "subject", "transcript_text"]

LEAD_FIELDS = ("salesforce_id", "first_name", "last_name", "name", "company", "email", "owner_name", "phone")


def call_document(call: Call) -> dict[str, Any]:
    """The canonical document of one call (see the module docstring)."""
    structured = call.structured_data if isinstance(call.structured_data, dict) else {}
    outbound_lead_id = _outbound_lead_id(call)
    lead = _mirror_lead(call, outbound_lead_id)
    caller = _caller(call, structured, lead)
    # A credential under any key (structuredData is free-form) never leaves, not even from a call
    # stored before bodies were masked on arrival (integrations/vapi/secrets.py).
    return mask_secrets({
        "caller": caller,
        "lead": _lead(lead, outbound_lead_id),
        "call": _call(call, caller),
        "qualification": _qualification(call, structured),
        "analysis": {
            "summary": call.summary or None,
            "structuredData": structured,
            "successEvaluation": call.success_evaluation or None,
        },
        "consent": _consent(call, caller),
        "transcript": transcript_text(call),
        # As of the last sync, which recomputes it before mapping (privacy/services.py).
        "privacy": {"redaction_confidence": call.pii_redaction_confidence},
    })


# --- caller and lead -------------------------------------------------------------------

def _text(value: Any) -> str | None:
    """Text facts only: a number or an object where a name belongs is the assistant's mistake, not a name."""
    if not isinstance(value, str):
        return None
    return value.strip() or None


def split_name(full_name: str | None) -> tuple[str | None, str | None]:
    """(first, last): one word is a first name; particles stay with the surname ("Juan de la Cruz")."""
    if not full_name:
        return None, None
    first, _, last = full_name.strip().partition(" ")
    return first or None, last.strip() or None


def _spoken_name(data: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(full, first, last) from one source, or all None when it names nobody."""
    full = _text(pick(data, *NAME_KEYS))
    first, last = _text(pick(data, *FIRST_NAME_KEYS)), _text(pick(data, *LAST_NAME_KEYS))
    if full and not (first or last):
        first, last = split_name(full)
    full = full or " ".join(part for part in (first, last) if part) or None
    return full, first, last


def _caller(call: Call, structured: dict[str, Any], lead: Lead | None) -> dict[str, Any]:
    variables = call.variable_values if isinstance(call.variable_values, dict) else {}
    lead_data = {"firstName": lead.first_name, "lastName": lead.last_name, "company": lead.company,
                 "email": lead.email} if lead else {}
    sources = (structured, lead_data, variables)  # what the caller said beats what the CRM knew
    # A name is taken whole from one source: never a spoken first name with another person's surname.
    name, first, last = next((found for found in map(_spoken_name, sources) if found[0]), (None, None, None))
    spoken_phone = _text(pick(structured, *PHONE_KEYS))
    return {
        "phone": call.customer_number or to_e164(spoken_phone or "") or (lead.phone_e164 if lead else "") or None,
        "phone_raw": call.customer_number_raw or spoken_phone or None,
        "name": name,
        "first_name": first,
        "last_name": last,
        "company": _first_text(sources, COMPANY_KEYS),
        "email": _first_text(sources, EMAIL_KEYS),
    }


def _first_text(sources: tuple[dict[str, Any], ...], keys: tuple[str, ...]) -> str | None:
    return next((value for value in (_text(pick(data, *keys)) for data in sources) if value), None)


def _outbound_lead_id(call: Call) -> str | None:
    person = person_from_call_data(call)
    return person.salesforce_id if person else None


def _mirror_lead(call: Call, outbound_lead_id: str | None) -> Lead | None:
    """One query at most: the call's own lead, else by the outbound call's lead id, else by phone."""
    if call.lead_id:
        return call.lead
    if outbound_lead_id:
        return lead_for_salesforce_id(outbound_lead_id)
    return lead_for_phone(call.customer_number)


def _lead(lead: Lead | None, outbound_lead_id: str | None) -> dict[str, Any]:
    values = {
        "salesforce_id": lead.salesforce_id, "first_name": lead.first_name, "last_name": lead.last_name,
        "name": lead.full_name, "company": lead.company, "email": lead.email, "owner_name": lead.owner_name,
        "phone": lead.phone_e164,
    } if lead else dict.fromkeys(LEAD_FIELDS)
    document = {name: value or None for name, value in values.items()}
    document["salesforce_id"] = document["salesforce_id"] or outbound_lead_id
    return document


# --- the call --------------------------------------------------------------------------

def subject(caller: dict[str, Any]) -> str:
    """"AI call with Dana Whitfield (Northwind Logistics)", or with the number when no name was given."""
    who = caller["name"] or caller["phone"] or caller["phone_raw"]
    if not who:
        return "AI call"
    return f"AI call with {who} ({caller['company']})" if caller["company"] else f"AI call with {who}"


def _call(call: Call, caller: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": call.vapi_call_id or call.twilio_call_sid or None,
        "vapi_call_id": call.vapi_call_id or None,
        "twilio_call_sid": call.twilio_call_sid or None,
        "direction": call.direction or None,
        "type": call.vapi_call_type or None,
        "status": call.status or None,
        "ended_reason": call.ended_reason or None,
        "started_at": iso(call.started_at),
        "ended_at": iso(call.ended_at),
        "duration_seconds": call_duration(call),
        "cost": float(call.cost) if isinstance(call.cost, Decimal) else call.cost,
        "summary": call.summary or None,
        "recording_url": recording_url(call) or None,
        "disposition": call.disposition or None,
        "success_evaluation": call.success_evaluation or None,
        "incomplete": call.report_received_at is None,
        "subject": subject(caller),
    }


def _qualification(call: Call, structured: dict[str, Any]) -> dict[str, Any]:
    try:
        scored = call.qualification
    except Qualification.DoesNotExist:
        scored = None
    if scored is None:  # not scored (yet, or scoring is off): the assistant may still have named the intent
        return {
            "score": None,
            "status": None,
            "intent": _text(pick(structured, *INTENT_KEYS)),
            "intent_confidence": confidence(pick(structured, *INTENT_CONFIDENCE_KEYS)),
        }
    return {
        "score": scored.score,
        "status": scored.status or None,
        "intent": scored.intent or None,
        "intent_confidence": scored.intent_confidence,
    }


def _consent(call: Call, caller: dict[str, Any]) -> dict[str, Any]:
    given = {Call.Consent.GIVEN: True, Call.Consent.REFUSED: False}.get(call.consent)
    record = None
    if given is not None:
        who = caller["phone"] or "the caller"
        when = iso(call.started_at or call.created_at)
        record = (f"Consent {'given' if given else 'refused'} by {who} during AI call "
                  f"{call.vapi_call_id or call.twilio_call_sid or call.pk} on {when}.")
    return {"status": call.consent or Call.Consent.UNKNOWN, "given": given, "record": record}


# --- the transcript --------------------------------------------------------------------

def transcript_text(call: Call) -> str | None:
    """The conversation as readable lines, from its most complete source; one query."""
    by_source: dict[str, list[str]] = {}
    rows = TranscriptSegment.objects.filter(call=call).values_list("source", "role", "text")
    for source, role, text in rows:
        speaker = SPEAKERS.get(role, role.capitalize() or "Unknown")
        by_source.setdefault(source, []).append(f"{speaker}: {text.strip()}")
    lines = next((by_source[source] for source in TRANSCRIPT_SOURCES if source in by_source), [])
    return "\n".join(lines) or None
