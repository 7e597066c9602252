"""What a sent plan means for each call: the ids it got, its error, and notes for a person."""

from __future__ import annotations

from crm.models import Role
from crm.services.salesforce_push.writes import Plan, RecordWrite
from integrations.salesforce.errors import ErrorKind, SalesforceError


def settle(plan: Plan) -> None:
    for write in plan.leads:
        for sync in write.syncs:
            if write.error is not None:
                sync.fail(write.error)
            else:
                sync.wrote(Role.LEAD, "Lead", write.record_id)
    for record in plan.records:
        sync = record.sync
        error = record.error or _lead_missing(record)
        if error is None:
            sync.wrote(record.role, record.sobject, record.record_id)
        elif record.optional:
            sync.notes.append(f"{record.sobject} not published: {error}. It is tried again with the call's next sync.")
        else:
            sync.fail(error)
        if sync.person is not None and sync.person.sobject == "Contact":
            sync.wrote(Role.LEAD, "Contact", sync.person.salesforce_id)


def _lead_missing(record: RecordWrite) -> SalesforceError | None:
    if not record.waits_for_lead or record.lead.record_id:
        return None
    return record.lead.error or SalesforceError(ErrorKind.TRANSIENT, "the Lead was not written")
