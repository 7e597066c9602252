"""What a sync wrote, in one table (crm.SyncedRecord): every role a call writes is recorded once,
a call synced again updates its rows and never adds any, the sync's queries do not grow, and
erasure clears the records by their stored ids, whatever the mapping's upsert key is now."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calls.models import Call
from crm.models import FieldMapping, Role, SyncedRecord
from crm.services import outbox
from devtools.salesforce_sandbox.schema import text
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.config import SalesforceConfig
from leads.models import Qualification
from privacy.erasure import forget_caller
from privacy.tasks import forget_in_salesforce
from tests.factories import QualificationFactory
from tests.leads.sync_support import job_of, post_call, run_job

pytestmark = pytest.mark.django_db

DANA = "+14155550123"
# Queries of one sync of this call before SyncedRecord existed (per-role columns on SyncJob): the
# first sync adds one statement, the upsert of what it wrote; a sync that learns no new id adds none.
QUERIES_BEFORE = {"first": 25, "again": 23}


def every_role_call(post_vapi) -> Call:
    """A hot support call with a callback: Lead, Task, follow-up, callback, Case and the event."""
    call = post_call(post_vapi, number=DANA)
    Qualification.objects.filter(call=call).delete()  # scored by the test, not the engine
    QualificationFactory(call=call)
    Call.objects.filter(pk=call.pk).update(
        disposition=Call.Disposition.SUPPORT_REQUEST, callback_at=datetime(2026, 11, 21, 3, 30, tzinfo=UTC),
        callback_timezone="America/Los_Angeles", next_steps="Walk Dana through the dispatch flow.")
    return call


def queries_of_sync(call: Call) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert run_job(call)["synced"] == 1
    return len(queries)


def rows(call: Call) -> dict[str, tuple[int, str, str]]:
    return {record.role: (record.pk, record.sobject, record.salesforce_id)
            for record in SyncedRecord.objects.filter(job__call=call)}


@pytest.mark.usefixtures("warm_describe")
def test_every_role_is_one_row_and_a_second_sync_updates_them_without_more_queries(post_vapi, salesforce):
    call = every_role_call(post_vapi)
    assert queries_of_sync(call) == QUERIES_BEFORE["first"] + 1
    first = rows(call)
    assert {role: sobject for role, (_, sobject, _) in first.items()} == {
        Role.LEAD: "Lead", Role.CALL_TASK: "Task", Role.FOLLOW_UP: "Task", Role.CALLBACK: "Task",
        Role.CASE: "Case", Role.EVENT: "AI_Call_Qualified__e"}
    assert all(salesforce_id for _, _, salesforce_id in first.values())
    summary = job_of(call).attempts_made.get().request_summary
    assert {f"{role}_id": salesforce_id for role, (_, _, salesforce_id) in first.items()}.items() <= summary.items()

    outbox.request_sync(call=call)
    assert queries_of_sync(call) == QUERIES_BEFORE["again"]
    assert rows(call) == first  # the same rows, ids and all: updated in Salesforce, never added here


@pytest.mark.usefixtures("default_mappings")
def test_erasure_clears_the_records_by_their_ids_after_sales_ops_change_the_upsert_key(
        post_vapi, salesforce, settings, django_capture_on_commit_callbacks):
    settings.CALLSYNC_FORGET_IN_SALESFORCE = "clear-transcripts"
    for sobject in ("Task", "Case"):
        salesforce.org.schema.add_field(sobject, text("Call_Key__c", external_id=True, unique=True))
    with SalesforceClient(SalesforceConfig.from_settings()) as client:
        for sobject in ("Case", "Lead", "Task"):
            client.describe(sobject, refresh=True)
    FieldMapping.objects.filter(target_object__in=("Task", "Case"), upsert_key=True).update(target_field="Call_Key__c")
    call = every_role_call(post_vapi)
    run_job(call)
    written = {role: salesforce_id for role, (_, _, salesforce_id) in rows(call).items()}
    records = {record["Id"]: record for sobject in ("Task", "Case") for record in salesforce.org.records(sobject)}
    keyed = {role: records[written[role]] for role in (Role.CALL_TASK, Role.FOLLOW_UP, Role.CALLBACK, Role.CASE)}
    assert all(record["Call_Key__c"] and not record.get("Vapi_Call_Id__c") for record in keyed.values())
    assert all(record["Description"] for record in keyed.values())

    with django_capture_on_commit_callbacks() as queued:
        forgotten = forget_caller(phone=DANA)
    assert len(queued) == 1
    assert sorted(forgotten.salesforce_records["Task"]) == sorted(
        written[role] for role in (Role.CALL_TASK, Role.FOLLOW_UP, Role.CALLBACK))
    assert forgotten.salesforce_records["Case"] == [written[Role.CASE]]
    used = salesforce.org.api_calls_used
    changed = forget_in_salesforce.apply(args=(list(forgotten.salesforce_lead_ids), list(forgotten.salesforce_call_ids),
                                               forgotten.salesforce_records)).get()

    assert changed == 5  # the Lead, three Tasks, the Case
    assert salesforce.org.api_calls_used - used == 3  # one update per object, no search
    cleared = {record["Id"]: record for sobject in ("Task", "Case") for record in salesforce.org.records(sobject)}
    assert all(cleared[record["Id"]]["Description"] is None for record in keyed.values())


@pytest.mark.usefixtures("warm_describe")
def test_a_clean_up_queued_before_the_table_names_calls_and_finds_their_stored_records(post_vapi, salesforce):
    call = every_role_call(post_vapi)
    run_job(call)
    task_id = job_of(call).salesforce_id(Role.CALL_TASK)
    assert forget_in_salesforce.apply(args=([], [call.vapi_call_id])).get() == 5  # its Lead, three Tasks, the Case
    [task] = [record for record in salesforce.org.records("Task") if record["Id"] == task_id]
    assert task["Description"] is None
