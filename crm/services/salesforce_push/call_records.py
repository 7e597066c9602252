"""What one call writes besides its Lead: its own Task, and the records `follow_ups` describes
(a hot lead's follow-up Task, a callback Task, a support Case, the qualified Platform Event).

Every Task and Case is upserted by an external id derived from the call, so writing the
call again updates the same records; the event, which has no key, is sent until
Salesforce accepts it once."""

from __future__ import annotations

from django.conf import settings

from crm.services import follow_ups
from crm.models import Role
from crm.services.salesforce_push.writes import CallSync, LeadWrite, RecordWrite
from integrations.salesforce.errors import ErrorKind, SalesforceError

WHO_FIELD = "WhoId"
EVENT_LEAD_FIELD = "Lead_Id__c"


def record_writes(sync: CallSync, lead: LeadWrite | None) -> list[RecordWrite]:
    """`lead` is the call's LeadWrite, if any: a Lead it creates gives its id to the records that name the person."""
    key = sync.records.upsert_key("Task")
    if key is None:
        sync.fail(SalesforceError(ErrorKind.PERMANENT, "No enabled Task mapping is marked as the upsert key "
                                  "(Vapi_Call_Id__c by default): the call cannot be written idempotently.",
                                  code="NO_UPSERT_KEY", fields=("Task",)))
        return []
    key_field, call_key = key[0], str(key[1])
    new_lead = lead if lead is not None and lead.creates else None
    writes = [
        _call_task(sync, key_field, call_key, new_lead),
        _follow_up(sync, key_field, call_key, new_lead),
        _callback(sync, key_field, call_key, new_lead),
        _case(sync),
        _event(sync, call_key, new_lead),
    ]
    return [write for write in writes if write is not None]


def _who_id(sync: CallSync) -> str:
    return sync.person.salesforce_id if sync.person else ""


def _call_task(sync: CallSync, key_field: str, call_key: str, lead: LeadWrite | None) -> RecordWrite:
    body = sync.records.update("Task") if sync.job.task_created else sync.records.create("Task")
    body.pop(key_field, None)
    if sync.person is not None:
        body[WHO_FIELD] = sync.person.salesforce_id
    return RecordWrite(sync=sync, role=Role.CALL_TASK, body=body, key_field=key_field,
                       key_value=call_key, lead=lead, lead_field=WHO_FIELD)


def _follow_up(sync: CallSync, key_field: str, call_key: str, lead: LeadWrite | None) -> RecordWrite | None:
    existing = sync.job.salesforce_id(Role.FOLLOW_UP)
    if not follow_ups.is_hot(sync.qualification):
        if existing:  # never deleted: the owner may already be on it
            status = sync.qualification.status if sync.qualification and sync.qualification.status else "not scored"
            sync.notes.append(f"Follow-up Task {existing} left as it is: the call is no longer hot ({status}).")
        return None
    if not existing:
        _note_default_owner(sync, "Follow-up Task")
    body = follow_ups.follow_up_task(call=sync.call, qualification=sync.qualification, caller=sync.caller,
                                     who_id=_who_id(sync), owner_id=sync.owner_id, exists=bool(existing))
    return RecordWrite(sync=sync, role=Role.FOLLOW_UP, body=body, key_field=key_field,
                       key_value=call_key + follow_ups.FOLLOW_UP_KEY_SUFFIX, lead=lead, lead_field=WHO_FIELD)


def _callback(sync: CallSync, key_field: str, call_key: str, lead: LeadWrite | None) -> RecordWrite | None:
    if sync.call.callback_at is None:
        return None
    existing = sync.job.salesforce_id(Role.CALLBACK)
    if not existing:
        _note_default_owner(sync, "Callback Task")
    body = follow_ups.callback_task(call=sync.call, caller=sync.caller, who_id=_who_id(sync),
                                    owner_id=sync.owner_id, exists=bool(existing))
    return RecordWrite(sync=sync, role=Role.CALLBACK, body=body, key_field=key_field,
                       key_value=call_key + follow_ups.CALLBACK_KEY_SUFFIX, lead=lead, lead_field=WHO_FIELD)


def _case(sync: CallSync) -> RecordWrite | None:
    if not follow_ups.wants_case(sync.call, sync.qualification):
        return None
    key = sync.records.upsert_key("Case")
    if key is None:  # sales ops may have turned Cases off by disabling their mappings
        sync.notes.append("Case not written for this support call: no enabled Case mapping is marked as the "
                          "upsert key (Vapi_Call_Id__c by default).")
        return None
    body = follow_ups.case(records=sync.records, key_field=key[0], person=sync.person,
                           exists=bool(sync.job.salesforce_id(Role.CASE)))
    return RecordWrite(sync=sync, role=Role.CASE, body=body, key_field=key[0], key_value=str(key[1]))


def _event(sync: CallSync, call_key: str, lead: LeadWrite | None) -> RecordWrite | None:
    name = settings.CALLSYNC_QUALIFIED_EVENT
    if not name or not follow_ups.is_hot(sync.qualification) or Role.EVENT in sync.job.written:
        return None
    if problem := follow_ups.event_name_error(name):
        sync.notes.append(f"Qualified event not published: {problem}.")
        return None
    body = follow_ups.qualified_event(call_id=call_key, call=sync.call, qualification=sync.qualification,
                                      lead_id=_who_id(sync), owner_id=sync.owner_id)
    # Optional: a Flow's event must never hold back the call's own records (see settle()).
    return RecordWrite(sync=sync, role=Role.EVENT, sobject=name, body=body, lead=lead,
                       lead_field=EVENT_LEAD_FIELD, optional=True)


def _note_default_owner(sync: CallSync, what: str) -> None:
    if follow_ups.user_owner(sync.owner_id):
        return
    if sync.owner_id:
        reason = f"the owner {sync.owner_id} is not a user (a queue?)"
    elif sync.person is None:
        reason = "the Lead is created by this sync, so its owner is not known yet"
    else:
        reason = f"callsync does not know who owns {sync.person.sobject} {sync.person.salesforce_id}"
    sync.notes.append(f"{what}: OwnerId left to Salesforce's default: {reason}.")
