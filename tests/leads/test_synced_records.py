"""What a sync wrote, in one table (crm.SyncedRecord): every role a call writes is recorded once,
a call synced again updates its rows and never adds any, and the sync's queries do not grow."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calls.models import Call
from crm.models import Role, SyncedRecord
from crm.services import outbox
from leads.models import Qualification
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
