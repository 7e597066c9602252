"""Writing a batch of calls to Salesforce: their people (Leads) and their own Task.

One plan, two ways to send it. A plan that fits in one Composite request (a call or a
few) goes in one API request; bigger batches go through sObject Collections, up to 200
records a request. Every success is kept even when a neighbour fails, so a retry
never creates a Lead twice: Leads are remembered in the mirror, Tasks are upserted
by the call's id."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import quote

from calls.models import Call
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.errors import ErrorKind, SalesforceError, from_error_list
from integrations.salesforce.mapping import MappedRecords
from leads.models import SyncJob
from leads.salesforce_ids import Person

COMPOSITE_LIMIT = 25
COLLECTION_LIMIT = 200
# Dependent subrequests fail with these when an earlier one failed: the earlier error is the story.
_KNOCK_ON = {"PROCESSING_HALTED", "INVALID_REFERENCE"}


@dataclass
class CallSync:
    """One call on its way to Salesforce, and what became of it."""

    job: SyncJob
    call: Call
    person: Person | None = None
    records: MappedRecords | None = None  # filled once the org's field limits are known
    lead_id: str = ""
    task_id: str = ""
    error: SalesforceError | None = None

    @property
    def phone(self) -> str:
        return self.call.customer_number

    def fail(self, error: SalesforceError) -> None:
        if self.error is None or self.error.code in _KNOCK_ON:
            self.error = error


@dataclass
class LeadWrite:
    """A Lead to create (person is None) or update, on behalf of one or more calls."""

    person: Person | None
    body: dict
    syncs: list[CallSync]
    record_id: str = ""
    error: SalesforceError | None = None

    @property
    def creates(self) -> bool:
        return self.person is None


@dataclass
class TaskWrite:
    sync: CallSync
    key_field: str
    key_value: str
    body: dict
    lead: LeadWrite | None = None  # a Lead created in the same push: its id is not known yet
    record_id: str = ""
    error: SalesforceError | None = None


@dataclass
class Plan:
    leads: list[LeadWrite] = field(default_factory=list)
    tasks: list[TaskWrite] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.leads) + len(self.tasks)


def plan_push(syncs: list[CallSync]) -> Plan:
    plan = Plan()
    by_person: dict[str, LeadWrite] = {}
    for sync in syncs:  # oldest call first: a later call's values win
        write = _lead_write(sync, by_person)
        if write is not None and write not in plan.leads:
            plan.leads.append(write)
        task = _task_write(sync, write)
        if task is not None:
            plan.tasks.append(task)
    return plan


def _lead_write(sync: CallSync, by_person: dict[str, LeadWrite]) -> LeadWrite | None:
    if sync.person is not None and sync.person.sobject != "Lead":
        return None  # a Contact: the Task points at it; Lead fields have no home there
    if sync.person is None and not sync.phone:
        return None  # no number and no record: nothing to match or create a Lead from
    key = sync.person.salesforce_id if sync.person else "new:" + sync.phone
    write = by_person.get(key)
    if write is None:
        body = sync.records.update("Lead") if sync.person else sync.records.create("Lead")
        write = by_person[key] = LeadWrite(person=sync.person, body=body, syncs=[sync])
    else:
        write.body.update(sync.records.update("Lead"))  # real values only: never a placeholder over a name
        write.syncs.append(sync)
    return write


def _task_write(sync: CallSync, lead: LeadWrite | None) -> TaskWrite | None:
    key = sync.records.upsert_key("Task")
    if key is None:
        sync.fail(SalesforceError(ErrorKind.PERMANENT, "No enabled Task mapping is marked as the upsert key "
                                  "(Vapi_Call_Id__c by default): the call cannot be written idempotently.",
                                  code="NO_UPSERT_KEY", fields=("Task",)))
        return None
    body = sync.records.update("Task") if sync.job.task_created else sync.records.create("Task")
    body.pop(key[0], None)
    if sync.person is not None:
        body["WhoId"] = sync.person.salesforce_id
    return TaskWrite(sync=sync, key_field=key[0], key_value=str(key[1]), body=body,
                     lead=lead if lead is not None and lead.creates else None)


def push(client: SalesforceClient, syncs: list[CallSync]) -> Plan:
    """Send the plan; results and errors land on the writes and on each CallSync."""
    plan = plan_push(syncs)
    try:
        if plan.size <= COMPOSITE_LIMIT:
            _send_composite(client, plan)
        else:
            _send_collections(client, plan)
    except SalesforceError as error:  # the request as a whole failed: whatever has no result shares it
        for write in [*plan.leads, *plan.tasks]:
            if not write.record_id and write.error is None:
                write.error = error
    _settle(plan)
    return plan


# --- Composite: one API request ----------------------------------------------------------

def _send_composite(client: SalesforceClient, plan: Plan) -> None:
    subrequests, targets = [], {}
    for index, write in enumerate(plan.leads):
        if not write.body and not write.creates:
            write.record_id = write.person.salesforce_id  # nothing new to say about this Lead
            continue
        reference = f"lead{index}"
        url = "sobjects/Lead" if write.creates else f"sobjects/Lead/{write.person.salesforce_id}"
        subrequests.append({"method": "POST" if write.creates else "PATCH", "url": client.api_path(url),
                            "referenceId": reference, "body": write.body})
        targets[reference] = write
    for index, task in enumerate(plan.tasks):
        reference = f"task{index}"
        body = dict(task.body)
        if task.lead is not None:
            body["WhoId"] = "@{lead%d.id}" % plan.leads.index(task.lead)
        url = f"sobjects/Task/{task.key_field}/{quote(task.key_value, safe='')}"
        subrequests.append({"method": "PATCH", "url": client.api_path(url), "referenceId": reference, "body": body})
        targets[reference] = task
    if not subrequests:
        return
    for reply in client.composite(subrequests, all_or_none=False):
        write = targets.get(reply.get("referenceId"))
        if write is not None:
            _record_reply(write, reply.get("httpStatusCode", 500), reply.get("body"))


def _record_reply(write: LeadWrite | TaskWrite, status: int, body) -> None:
    if 200 <= status < 300:
        identifier = body.get("id", "") if isinstance(body, dict) else ""
        write.record_id = identifier or (write.person.salesforce_id if isinstance(write, LeadWrite) and write.person else "")
    else:
        write.error = from_error_list(body if isinstance(body, list) else [], status)


# --- sObject Collections: up to 200 records a request --------------------------------------

def _send_collections(client: SalesforceClient, plan: Plan) -> None:
    creates = [write for write in plan.leads if write.creates]
    updates = [write for write in plan.leads if not write.creates and write.body]
    for write in plan.leads:
        if not write.creates and not write.body:
            write.record_id = write.person.salesforce_id
    _in_chunks(creates, lambda chunk: client.create_many([{"attributes": {"type": "Lead"}, **w.body} for w in chunk]))
    _in_chunks(updates, lambda chunk: client.update_many(
        [{"attributes": {"type": "Lead"}, "Id": w.person.salesforce_id, **w.body} for w in chunk]))
    ready = [task for task in plan.tasks if task.lead is None or task.lead.record_id]
    for task in ready:
        if task.lead is not None:
            task.body["WhoId"] = task.lead.record_id
    for key_field in sorted({task.key_field for task in ready}):
        keyed = [task for task in ready if task.key_field == key_field]
        _in_chunks(keyed, lambda chunk: client.upsert_many(
            "Task", key_field, [{"attributes": {"type": "Task"}, key_field: t.key_value, **t.body} for t in chunk]))


def _in_chunks(writes: list, send) -> None:
    iterator = iter(writes)
    for chunk in iter(lambda: list(islice(iterator, COLLECTION_LIMIT)), []):
        try:
            results = send(chunk)
        except SalesforceError as error:
            for write in chunk:
                write.error = error
            continue
        for write, result in zip(chunk, results):
            if result.get("success"):
                write.record_id = result.get("id", "")
            else:
                write.error = from_error_list(result.get("errors") or [])


# --- Outcome per call ---------------------------------------------------------------------------

def _settle(plan: Plan) -> None:
    for write in plan.leads:
        for sync in write.syncs:
            if write.error is not None:
                sync.fail(write.error)
            else:
                sync.lead_id = write.record_id
    for task in plan.tasks:
        sync = task.sync
        if task.error is not None:
            sync.fail(task.error)
        elif task.lead is not None and not task.lead.record_id:
            sync.fail(task.lead.error or SalesforceError(ErrorKind.TRANSIENT, "the Lead was not written"))
        else:
            sync.task_id = task.record_id
        if sync.person is not None and sync.person.sobject == "Contact":
            sync.lead_id = sync.person.salesforce_id
