"""From calls to a plan: one LeadWrite per person (several calls of one person share it, the
latest values winning) and every record each call writes."""

from __future__ import annotations

from crm.services.salesforce_push.call_records import record_writes
from crm.services.salesforce_push.writes import CallSync, LeadWrite, Plan


def plan_push(syncs: list[CallSync]) -> Plan:
    plan = Plan()
    by_person: dict[str, LeadWrite] = {}
    for sync in syncs:  # oldest call first: a later call's values win
        lead = _lead_write(sync, by_person, plan)
        plan.records += record_writes(sync, lead)
    return plan


def _lead_write(sync: CallSync, by_person: dict[str, LeadWrite], plan: Plan) -> LeadWrite | None:
    if sync.person is not None and sync.person.sobject != "Lead":
        return None  # a Contact: the Tasks point at it; Lead fields have no home there
    if sync.person is None and not sync.phone:
        return None  # no number and no record: nothing to match or create a Lead from
    key = sync.person.salesforce_id if sync.person else "new:" + sync.phone
    write = by_person.get(key)
    if write is None:
        body = sync.records.update("Lead") if sync.person else sync.records.create("Lead")
        write = by_person[key] = LeadWrite(person=sync.person, body=body, syncs=[sync])
        plan.leads.append(write)
    else:
        write.body.update(sync.records.update("Lead"))  # real values only: never a placeholder over a name
        write.syncs.append(sync)
    return write
