"""What a call adds in Salesforce when the caller asked to be called back (a Task with a reminder) or
needed support (a Case), each written once however often the call syncs.

Calls arrive as signed webhooks; scores are recorded directly (the scoring engine is not
under test here); the sync task runs as a worker runs it, against the sandbox over HTTPS."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from calls.models import Call
from crm.models import FieldMapping, Role, SyncJob
from tests.leads.follow_up_support import (
    DANA, callback_tasks, cases_for, changed, event_types, follow_up_tasks, last_attempt, qualify, replay,
)
from tests.leads.sync_support import job_of, leads_with_phone, post_call, run_job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_describe")]


# --- callbacks and Cases -------------------------------------------------------------------

def test_a_requested_callback_becomes_a_task_with_a_reminder_on_the_callers_day(post_vapi, salesforce):
    call = post_call(post_vapi, number=DANA)
    qualify(call, status="warm", score=55)
    # 19:30 on Friday in California is already Saturday in UTC.
    Call.objects.filter(pk=call.pk).update(
        callback_at=datetime(2026, 11, 21, 3, 30, tzinfo=UTC), callback_timezone="America/Los_Angeles",
        next_steps="Solutions engineer to walk Dana through the dispatch flow.")

    run_job(call)

    [lead] = leads_with_phone(salesforce, DANA)
    [callback] = callback_tasks(salesforce, call)
    assert callback["Subject"] == "Call back Dana Whitfield at Fri 20 Nov 2026 19:30 (America/Los_Angeles)"
    assert callback["ActivityDate"] == "2026-11-20"
    assert (callback["ReminderDateTime"], callback["IsReminderSet"]) == ("2026-11-21T03:30:00.000+0000", True)
    assert (callback["Priority"], callback["Status"], callback["WhoId"]) == ("Normal", "Not Started", lead["Id"])
    assert callback["Description"] == "Solutions engineer to walk Dana through the dispatch flow."
    assert job_of(call).salesforce_id(Role.CALLBACK) == callback["Id"]
    assert last_attempt(call).api_requests == 2 and follow_up_tasks(salesforce, call) == []


def test_a_moved_callback_moves_its_task_without_a_second_one(post_vapi, salesforce):
    call = post_call(post_vapi, number=DANA)
    Call.objects.filter(pk=call.pk).update(callback_at=datetime(2026, 11, 20, 18, tzinfo=UTC),
                                           callback_timezone="America/Los_Angeles")
    run_job(call)
    [callback] = callback_tasks(salesforce, call)

    changed(call, callback_at=datetime(2026, 11, 23, 17, tzinfo=UTC))
    run_job(call)

    [moved] = callback_tasks(salesforce, call)
    assert moved["Id"] == callback["Id"] and moved["ActivityDate"] == "2026-11-23"
    assert moved["Subject"] == "Call back Dana Whitfield at Mon 23 Nov 2026 09:00 (America/Los_Angeles)"


@pytest.mark.parametrize("support", ["intent", "disposition"])
def test_a_support_call_opens_one_case_and_a_replay_keeps_one(post_vapi, salesforce, admin_client, support):
    call = post_call(post_vapi, number=DANA)
    if support == "intent":
        qualify(call, status="unqualified", score=None, intent="support")
    else:
        qualify(call, status="warm", score=55)
        Call.objects.filter(pk=call.pk).update(disposition=Call.Disposition.SUPPORT_REQUEST)

    run_job(call)
    replay(admin_client, call)
    run_job(call)

    [case] = cases_for(salesforce, call)
    assert case["Subject"] == "AI call with Dana Whitfield (Northwind Logistics)"
    assert (case["Origin"], case["SuppliedPhone"], case["Description"]) == ("Phone", DANA, call.summary)
    assert case["ContactId"] is None  # a Case cannot point at a Lead
    job = job_of(call)
    assert job.state == SyncJob.State.SYNCED and job.salesforce_id(Role.CASE) == case["Id"]
    summary = last_attempt(call).request_summary
    assert summary["case_id"] == case["Id"] and "Vapi_Call_Id__c" in summary["objects"]["Case"]
    assert follow_up_tasks(salesforce, call) == [] and event_types(salesforce) == []


def test_a_support_call_from_a_contact_is_tied_to_them(post_vapi, salesforce):
    contact = salesforce.org.insert("Contact", {"LastName": "Whitfield", "MobilePhone": "(415) 555-0123"})
    call = post_call(post_vapi, number=DANA)
    qualify(call, status="unqualified", score=None, intent="support")

    run_job(call)

    assert cases_for(salesforce, call)[0]["ContactId"] == contact
    assert salesforce.org.records("Lead") == [] and last_attempt(call).api_requests == 2


def test_with_cases_turned_off_a_support_call_syncs_with_a_note(post_vapi, salesforce):
    FieldMapping.objects.filter(target_object="Case").update(enabled=False)
    call = post_call(post_vapi, number=DANA)
    qualify(call, status="unqualified", score=None, intent="support")

    run_job(call)

    assert job_of(call).state == SyncJob.State.SYNCED and salesforce.org.records("Case") == []
    notes = last_attempt(call).request_summary["notes"]
    assert any(note.startswith("Case not written for this support call") for note in notes)
