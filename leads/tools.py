"""In-call tools about leads, answered from the local database: no Salesforce round trip."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from calls.consent import consent_from
from calls.models import Call
from calls.phones import to_e164
from calls.tools import ToolContext, ToolError, register
from leads.call_facts import iso
from leads.models import Dimension, Lead, Qualification
from leads.salesforce_ids import person_from_call_data
from leads.selectors import lead_for_phone, lead_for_salesforce_id, previous_call
from leads.services import call_updates, qualification

BANT_ANSWER = {"type": ["string", "boolean", "number", "null"]}


def _text_argument(arguments: dict, name: str, *, required: bool = False, limit: int | None = None) -> str:
    value = arguments.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ToolError(f"{name} is required.")
        return ""
    if not isinstance(value, str):
        raise ToolError(f"{name} must be a string, not {type(value).__name__}.")
    if limit is not None and len(value) > limit:
        raise ToolError(f"{name} is longer than {limit} characters; summarise it.")
    return value.strip()


def _call_of(context: ToolContext, tool: str) -> Call:
    if context.call is None:
        raise ToolError(f"{tool} needs the call it belongs to, and this request names none.")
    return context.call


def _qualification_summary(found: Qualification | None) -> dict[str, Any]:
    if found is None:
        return {"score": None, "qualificationStatus": None}
    return {"score": found.score, "qualificationStatus": found.status or None}


def _own_number(context: ToolContext) -> str:
    return context.customer_number or (context.call.customer_number if context.call is not None else "")


def _own_lead_ids(context: ToolContext) -> set[str]:
    """The Salesforce ids of the call's own lead: the one it is linked to, the one an outbound call
    carried, the one matched to the caller's number. Compared on their 15 case-sensitive characters."""
    call = context.call
    carried = person_from_call_data(call) if call is not None else None
    leads: list[Lead | None] = [call.lead if call is not None and call.lead_id else None,
                                lead_for_phone(_own_number(context))]
    ids = {lead.salesforce_id for lead in leads if lead is not None and lead.salesforce_id}
    if carried is not None:
        ids.add(carried.salesforce_id)
    return {salesforce_id[:15] for salesforce_id in ids}


def _check_it_is_the_caller(context: ToolContext, *, number: str, lead_id: str) -> None:
    """A caller can talk the assistant into asking about someone else: unless the setting trusts the
    assistant, a look-up answers only about the caller's own number or the call's own lead."""
    if settings.CALLSYNC_TOOLS_LOOKUP_ANY_LEAD:
        return
    if number and number != _own_number(context):
        raise ToolError("lookup_lead answers only about the caller's own number; call it without a phone.")
    if lead_id and lead_id[:15] not in _own_lead_ids(context):
        raise ToolError("lookup_lead answers only about this call's own lead; call it without a lead_id.")


@register(
    "lookup_lead",
    description="Look up the caller in the CRM: name, company, owner, last contact, last outcome and score. "
                "Only the caller's own record is answered unless the server trusts this assistant with others.",
    parameters={
        "type": "object",
        "properties": {
            "phone": {"type": "string", "description": "Phone number; defaults to the caller's."},
            "lead_id": {"type": "string", "description": "Salesforce Lead id; defaults to the call's own lead."},
        },
    },
)
def lookup_lead(arguments: dict, context: ToolContext) -> dict:
    lead_id = _text_argument(arguments, "lead_id")
    phone = _text_argument(arguments, "phone")
    if phone and not to_e164(phone):
        raise ToolError(f"'{phone}' is not a phone number.")
    _check_it_is_the_caller(context, number=to_e164(phone) if phone else "", lead_id=lead_id)
    number = to_e164(phone) if phone else context.customer_number
    lead = lead_for_salesforce_id(lead_id) if lead_id else lead_for_phone(number)
    last = previous_call(lead=lead, phone=number, before=context.call)
    if lead is None and last is None:
        return {"found": False, "message": "No lead on record for this caller."}
    found = {"found": lead is not None}
    if lead is not None:
        found.update({
            "leadId": lead.salesforce_id or "", "name": lead.full_name, "company": lead.company,
            "owner": lead.owner_name, "status": lead.status,
        })
    last_contact = lead.last_contacted_at if lead and lead.last_contacted_at else (last.created_at if last else None)
    found.update({
        "lastContactedAt": iso(last_contact),
        "lastOutcome": (last.get_disposition_display() if last and last.disposition else None),
        **_qualification_summary(getattr(last, "qualification", None) if last else None),
    })
    return found


@register(
    "score_lead",
    description="Record what the caller said about budget, authority, need and timeline (BANT), in their words. "
                "Returns the current score and the next question to ask.",
    parameters={
        "type": "object",
        "properties": {
            "budget": {**BANT_ANSWER, "description": "What the caller said about budget, e.g. \"about $40k this quarter\"."},
            "authority": {**BANT_ANSWER, "description": "Their role in the decision, e.g. \"VP of Operations, signs off\"."},
            "need": {**BANT_ANSWER, "description": "The problem they want solved, in their words."},
            "timeline": {**BANT_ANSWER, "description": "When they want it in place, e.g. \"within 6 weeks\"."},
        },
    },
)
def score_lead(arguments: dict, context: ToolContext) -> dict:
    call = _call_of(context, "score_lead")
    given = {name: arguments[name] for name in Dimension.values if arguments.get(name) not in (None, "")}
    for name, value in given.items():
        if not isinstance(value, (str, bool, int, float)):
            raise ToolError(f"{name} must be the caller's answer as text (or true/false), not {type(value).__name__}.")
    if not given:
        raise ToolError("give at least one of budget, authority, need, timeline: the caller's answer in their words.")
    # The invocation itself, stored with its arguments before this runs, is the evidence.
    scored = qualification.qualify(call=call)
    if scored is None:
        return {"recorded": True, "score": None, "message": "Answers recorded; scoring is off (no active policy)."}
    result = {
        "recorded": True,
        "score": scored.score,
        "qualificationStatus": scored.status or None,
        "dimensions": {name: (scored.dimensions.get(name) or {}).get("verdict", "missing") for name in Dimension.values},
        "nextQuestion": qualification.next_question(scored),
    }
    ignored = sorted(set(arguments) - set(Dimension.values))
    if ignored:
        result["ignoredArguments"] = ignored
    return result


@register(
    "update_crm",
    description="Record the outcome of the call and the agreed next steps; they reach Salesforce with the call.",
    parameters={
        "type": "object",
        "properties": {
            "call_outcome": {"type": "string", "description": "One sentence: how the call ended, e.g. \"Booked a demo\"."},
            "next_steps": {"type": "string", "description": "What happens next, and who does it."},
        },
        "required": ["call_outcome"],
    },
)
def update_crm(arguments: dict, context: ToolContext) -> dict:
    call = _call_of(context, "update_crm")
    outcome = _text_argument(arguments, "call_outcome", required=True, limit=255)
    next_steps = _text_argument(arguments, "next_steps", limit=4000)
    call_updates.record_outcome(call=call, outcome=outcome, next_steps=next_steps)
    return {"recorded": True, "message": "Outcome saved; the CRM is updated when the call ends."}


@register(
    "request_callback",
    description="Book a callback at a date and time the caller chose; it becomes a follow-up task in the CRM.",
    parameters={
        "type": "object",
        "properties": {
            "when": {"type": "string", "format": "date-time",
                     "description": "ISO 8601 date and time, e.g. 2026-11-24T15:00. Without an offset it is read "
                                    "in the caller's time zone."},
            "timezone": {"type": "string", "description": "The caller's IANA time zone if they said it, e.g. "
                                                          "America/Chicago."},
        },
        "required": ["when"],
    },
)
def request_callback(arguments: dict, context: ToolContext) -> dict:
    call = _call_of(context, "request_callback")
    when = _text_argument(arguments, "when", required=True, limit=64)
    zone_name = _text_argument(arguments, "timezone", limit=64)
    try:
        zone = call_updates.caller_zone(phone=context.customer_number or call.customer_number, zone_name=zone_name)
        callback = call_updates.parse_callback_time(when=when, zone=zone)
    except call_updates.CallbackTimeError as exc:
        raise ToolError(str(exc)) from None
    call_updates.book_callback(call=call, callback=callback)
    return {
        "booked": True,
        "callbackAt": callback.local.isoformat(timespec="minutes"),
        "timezone": callback.zone.key,
        "message": f"Callback booked for {callback.spoken()}.",
    }



@register(
    "record_consent",
    description="Record whether the caller agrees to be contacted (and to AI calls) from now on. Ask plainly; "
                "record their answer, yes or no.",
    parameters={
        "type": "object",
        "properties": {"consent": {"type": ["boolean", "string"], "enum": [True, False, "given", "refused"],
                                   "description": "true / \"given\" if they agreed, false / \"refused\" if not."}},
        "required": ["consent"],
    },
)
def record_consent(arguments: dict, context: ToolContext) -> dict:
    call = _call_of(context, "record_consent")
    consent = consent_from(arguments.get("consent"))
    if consent is None:
        raise ToolError("consent must be true or false (or \"given\" / \"refused\"): the caller's answer.")
    call_updates.record_consent(call=call, consent=consent)
    said = "agreed to be contacted" if consent == Call.Consent.GIVEN else "asked not to be contacted"
    return {"recorded": True, "consent": consent, "message": f"Noted: the caller {said}."}
