"""The records a finished call may add beside its Lead and its own Task, as Salesforce bodies:
a follow-up Task for the owner of a hot lead, a Task for the callback the caller asked for,
a Case for a support call, and the Platform Event that Flows subscribe to.

Pure functions of the call, its qualification and its person: no queries, no Salesforce.
Once a Task exists, the fields a person may have changed in Salesforce (owner, status,
priority, a due date callsync only suggested, the reminder switch) are never sent again:
a later sync of the call refreshes what the call says, not what the rep decided."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from calls.models import Call
from integrations.salesforce.mapping import MappedRecords, truncate_text
from leads.call_facts import iso
from leads.models import Dimension, Intent, Qualification, QualificationStatus
from leads.salesforce_ids import Person

FOLLOW_UP_KEY_SUFFIX = ":follow-up"
CALLBACK_KEY_SUFFIX = ":callback"
USER_ID_PREFIX = "005"  # OwnerId may also be a queue (00G); only people get follow-ups
TEXT_LIMIT = 255
DESCRIPTION_LIMIT = 32000  # Task.Description
EVENT_SUMMARY_LIMIT = 255
FOLLOW_UP_SET_ON_CREATE = ("OwnerId", "Status", "Priority", "ActivityDate")
CALLBACK_SET_ON_CREATE = ("OwnerId", "Status", "Priority", "IsReminderSet")
_EVENT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*__e$")
_SALESFORCE_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
_SATURDAY = 5


# --- when ------------------------------------------------------------------------------

def is_hot(qualification: Qualification | None) -> bool:
    """Hot once the score is final: a live score may still change before the call ends."""
    return qualification is not None and qualification.final and qualification.status == QualificationStatus.HOT


def wants_case(call: Call, qualification: Qualification | None) -> bool:
    support_intent = qualification is not None and qualification.intent == Intent.SUPPORT
    return support_intent or call.disposition == Call.Disposition.SUPPORT_REQUEST


def user_owner(owner_id: str) -> str:
    """The owner when it is a User (a rep), else "" and Salesforce assigns its default owner."""
    return owner_id if owner_id.startswith(USER_ID_PREFIX) and _SALESFORCE_ID.match(owner_id) else ""


def event_name_error(name: str) -> str:
    """Why `name` cannot be a Platform Event API name; "" when it can."""
    if _EVENT_NAME.match(name):
        return ""
    return f"CALLSYNC_QUALIFIED_EVENT={name!r} is not a Platform Event API name (letters, digits, _ and __e at the end)"


def next_business_day(moment: datetime) -> date:
    """The first Monday-to-Friday date (UTC) after `moment`."""
    day = moment.astimezone(UTC).date() + timedelta(days=1)
    while day.weekday() >= _SATURDAY:
        day += timedelta(days=1)
    return day


# --- bodies ----------------------------------------------------------------------------

def follow_up_task(*, call: Call, qualification: Qualification, caller: Mapping[str, Any], who_id: str,
                   owner_id: str, exists: bool) -> dict[str, Any]:
    """The owner's high-priority Task for a hot lead; `owner_id` only when it is a User."""
    body = {
        "Subject": truncate_text(f"Follow up: hot lead {_who(caller, company=True)}{_score(qualification, ', score ')}",
                                 TEXT_LIMIT),
        "Priority": "High",
        "Status": "Not Started",
        "ActivityDate": next_business_day(call.ended_at or call.started_at or call.created_at).isoformat(),
        "Description": truncate_text(follow_up_description(call=call, qualification=qualification), DESCRIPTION_LIMIT),
        "WhoId": who_id,
        "OwnerId": user_owner(owner_id),
    }
    return _settled(body, FOLLOW_UP_SET_ON_CREATE if exists else ())


def follow_up_description(*, call: Call, qualification: Qualification) -> str:
    """Why the lead is hot: the score, the evidence per BANT dimension, then what the call concluded."""
    lines = [f"Hot lead{_score(qualification, ': scored ', ' of 100')} on an AI call.", "", "Why (BANT):"]
    dimensions = qualification.dimensions if isinstance(qualification.dimensions, dict) else {}
    lines += [_dimension_line(Dimension(name), dimensions.get(name)) for name in Dimension.values]
    for label, text in (("Summary", call.summary), ("Outcome", call.outcome), ("Next steps", call.next_steps)):
        if text.strip():
            lines += ["", f"{label}: {text.strip()}"]
    return "\n".join(lines)


def callback_task(*, call: Call, caller: Mapping[str, Any], who_id: str, owner_id: str,
                  exists: bool) -> dict[str, Any]:
    """A Task due on the day the caller asked to be called back (in their zone), with a reminder at that time."""
    zone, zone_name = _zone(call.callback_timezone)
    local = call.callback_at.astimezone(zone)
    body = {
        "Subject": truncate_text(f"Call back {_who(caller)} at {local:%a %d %b %Y %H:%M} ({zone_name})", TEXT_LIMIT),
        "Priority": "Normal",
        "Status": "Not Started",
        "ActivityDate": local.date().isoformat(),
        "ReminderDateTime": iso(call.callback_at),
        "IsReminderSet": True,
        "Description": truncate_text(call.next_steps.strip(), DESCRIPTION_LIMIT),
        "WhoId": who_id,
        "OwnerId": user_owner(owner_id),
    }
    return _settled(body, CALLBACK_SET_ON_CREATE if exists else ())


def case(*, records: MappedRecords, key_field: str, person: Person | None, exists: bool) -> dict[str, Any]:
    """The mapped Case (its key goes in the URL), tied to the caller only when a Contact:
    a Case cannot point at a Lead."""
    body = records.update("Case") if exists else records.create("Case")
    body.pop(key_field, None)
    if person is not None and person.sobject == "Contact":
        body["ContactId"] = person.salesforce_id
    return body


def qualified_event(*, call_id: str, call: Call, qualification: Qualification, lead_id: str,
                    owner_id: str) -> dict[str, Any]:
    """The Platform Event's fields; `lead_id` is the Lead or Contact ("" while the Lead is still being created)."""
    body = {
        "Call_Id__c": call_id,
        "Lead_Id__c": lead_id,
        "Score__c": qualification.score,
        "Status__c": QualificationStatus(qualification.status).label,
        "Owner_Id__c": owner_id,
        "Summary__c": truncate_text(call.summary.strip(), EVENT_SUMMARY_LIMIT),
    }
    return _settled(body, ())


# --- helpers ---------------------------------------------------------------------------

def _settled(body: dict[str, Any], set_on_create: tuple[str, ...]) -> dict[str, Any]:
    """Without empty values (Salesforce would blank the field) and without fields set on create only."""
    return {name: value for name, value in body.items()
            if value not in (None, "") and name not in set_on_create}


def _score(qualification: Qualification, before: str, after: str = "") -> str:
    return f"{before}{qualification.score}{after}" if qualification.score is not None else ""


def _who(caller: Mapping[str, Any], *, company: bool = False) -> str:
    name = caller.get("name") or caller.get("phone") or caller.get("phone_raw") or "the caller"
    return f"{name} ({caller['company']})" if company and caller.get("company") else name


def _zone(name: str) -> tuple[tzinfo, str]:
    """The caller's zone; UTC, said as such, when the call did not record a known one."""
    try:
        return ZoneInfo(name), name
    except (ZoneInfoNotFoundError, ValueError):
        return UTC, "UTC"


def _dimension_line(dimension: Dimension, scored: Any) -> str:
    scored = scored if isinstance(scored, dict) else {}
    verdict = scored.get("verdict")
    evidence = [_evidence_text(item) for item in scored.get("evidence") or [] if item]
    head = f"- {dimension.label}" + (f" ({verdict})" if isinstance(verdict, str) and verdict else "")
    return f"{head}: {'; '.join(evidence)}" if evidence else f"{head}: no evidence"


def _evidence_text(item: Any) -> str:
    """'"$40,000 this quarter" (structuredData.budget)': the words or value, then where they came from."""
    if not isinstance(item, dict):
        return f'"{item}"'
    said = item.get("quote") if item.get("quote") not in (None, "") else item.get("value")
    where = item.get("source") or ""
    text = f'"{said}"' if said not in (None, "") else "(no words recorded)"
    return f"{text} ({where})" if where else text
