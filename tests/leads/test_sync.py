"""A finished call reaches Salesforce once, whatever Salesforce does meanwhile.

Calls arrive as signed webhooks; the sync task runs as a worker would run it; Salesforce
is the sandbox over HTTPS."""

from __future__ import annotations

import pytest
from django.utils import timezone

from calls.models import Call
from crm.models import FieldMapping, Role, SyncAttempt, SyncJob
from integrations.salesforce.budget import api_budget
from leads.models import Lead
from tests.leads.sync_support import call_tasks, delivered_report, job_of, leads_with_phone, make_due, post_call, run_job, tasks_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_describe")]

DANA = "+14155550123"


def test_a_finished_call_becomes_one_lead_and_one_call_task(post_vapi, salesforce):
    call = post_call(post_vapi, number=DANA)
    assert job_of(call).state == SyncJob.State.PENDING

    outcome = run_job(call)

    assert outcome["synced"] == 1
    [lead] = leads_with_phone(salesforce, DANA)
    assert (lead["FirstName"], lead["LastName"], lead["Company"]) == ("Dana", "Whitfield", "Northwind Logistics")
    assert lead["Email"] == "dana.whitfield@example.com"
    [task] = tasks_for(salesforce, call)
    assert task["WhoId"] == lead["Id"]
    assert task["TaskSubtype"] == "Call" and task["Status"] == "Completed"
    assert task["Description"] == call.summary
    job = job_of(call)
    assert job.state == SyncJob.State.SYNCED and job.salesforce_id(Role.LEAD) == lead["Id"]
    assert job.salesforce_id(Role.CALL_TASK) == task["Id"] and not job.incomplete
    # A number never seen: one look-up, then one Composite request for the Lead and the Task.
    [attempt] = job.attempts_made.all()
    assert attempt.outcome == SyncAttempt.Outcome.SYNCED and attempt.api_requests == 2
    call.refresh_from_db()
    assert call.lead.salesforce_id == lead["Id"] and call.lead.phone_e164 == DANA


def test_the_next_call_from_a_known_number_costs_one_request(post_vapi, salesforce):
    run_job(post_call(post_vapi, number=DANA))
    second = post_call(post_vapi, number=DANA, structured={"name": "Dana Whitfield", "company": "Northwind Freight"})

    run_job(second)

    [lead] = leads_with_phone(salesforce, DANA)
    assert lead["Company"] == "Northwind Freight"
    assert job_of(second).attempts_made.get().api_requests == 1
    assert len(call_tasks(salesforce)) == 2


def test_duplicate_deliveries_and_repeated_tasks_write_nothing_twice(post_vapi, salesforce):
    call = post_call(post_vapi, number=DANA)
    run_job(call)
    used = salesforce.org.api_calls_used

    assert post_vapi(delivered_report(call)).status_code == 200

    assert run_job(call)["claimed"] == 0
    assert run_job(call)["claimed"] == 0
    assert salesforce.org.api_calls_used == used
    assert len(salesforce.org.records("Lead")) == 1 and len(tasks_for(salesforce, call)) == 1


@pytest.mark.parametrize("stored", ["(415) 555-0123", "415-555-0123", "+14155550123", "415.555.0123", "4155550123"])
def test_an_existing_lead_is_found_whatever_the_format_of_its_phone(post_vapi, salesforce, stored):
    existing = salesforce.org.insert("Lead", {"LastName": "Whitfield", "Company": "Northwind", "Phone": stored})
    call = post_call(post_vapi, number=DANA)

    run_job(call)

    assert len(salesforce.org.records("Lead")) == 1
    assert salesforce.org.get("Lead", existing)["Email"] == "dana.whitfield@example.com"
    assert tasks_for(salesforce, call)[0]["WhoId"] == existing
    assert Lead.objects.get(salesforce_id=existing).phone_e164 == DANA


def test_a_contact_with_the_number_gets_the_task_and_no_lead_is_made(post_vapi, salesforce):
    contact = salesforce.org.insert("Contact", {"LastName": "Whitfield", "MobilePhone": "(415) 555-0123"})
    call = post_call(post_vapi, number=DANA)

    run_job(call)

    assert salesforce.org.records("Lead") == []
    assert tasks_for(salesforce, call)[0]["WhoId"] == contact


def test_an_outbound_call_updates_the_lead_it_carried_in_one_request(post_vapi, salesforce):
    lead_id = salesforce.org.insert("Lead", {"LastName": "Raman", "Company": "Acme", "Phone": "206 555 0147"})
    call = post_call(post_vapi, fixture="end-of-call-report-outbound", metadata={"salesforceLeadId": lead_id})

    run_job(call)

    assert len(salesforce.org.records("Lead")) == 1
    assert tasks_for(salesforce, call)[0]["WhoId"] == lead_id
    assert job_of(call).attempts_made.get().api_requests == 1


def test_a_503_storm_delays_the_sync_then_it_lands_once(post_vapi, salesforce):
    call = post_call(post_vapi, number=DANA)
    salesforce.faults.fail_next(3, status=503)

    for _ in range(3):
        run_job(call)
        job = job_of(call)
        assert job.state == SyncJob.State.RETRYING and job.due_at > timezone.now() - timezone.timedelta(seconds=1)
        make_due(call)
    run_job(call)

    assert job_of(call).state == SyncJob.State.SYNCED
    assert len(salesforce.org.records("Lead")) == 1 and len(tasks_for(salesforce, call)) == 1
    outcomes = list(job_of(call).attempts_made.order_by("pk").values_list("outcome", "status_code"))
    assert outcomes == [("retry", 503)] * 3 + [("synced", None)]


def test_an_expired_token_is_renewed_within_the_same_attempt(post_vapi, salesforce):
    run_job(post_call(post_vapi, number=DANA))
    salesforce.faults.expire_tokens()
    call = post_call(post_vapi, number=DANA)

    assert run_job(call)["synced"] == 1
    assert job_of(call).attempts_made.count() == 1


def test_request_limit_exceeded_waits_for_the_budget_without_dead_lettering(post_vapi, salesforce, settings):
    settings.CALLSYNC_SYNC_MAX_ATTEMPTS = 2
    call = post_call(post_vapi, number=DANA)
    for _ in range(3):
        salesforce.faults.fail_next(kind="request_limit")
        run_job(call)
        assert job_of(call).state == SyncJob.State.WAITING_BUDGET
        make_due(call)

    run_job(call)
    assert job_of(call).state == SyncJob.State.SYNCED


def test_under_the_budget_reserve_jobs_wait_and_spend_nothing(post_vapi, salesforce, settings):
    settings.CALLSYNC_SALESFORCE_API_RESERVE_PERCENT = 20
    api_budget.record("api-usage=12500/15000")
    call = post_call(post_vapi, number=DANA)

    run_job(call)

    job = job_of(call)
    assert job.state == SyncJob.State.WAITING_BUDGET and "reserve" in job.last_error
    assert salesforce.org.api_calls_used == 0 and job.attempts_made.count() == 0


def test_without_salesforce_settings_jobs_wait_as_not_configured(post_vapi, salesforce, settings):
    settings.SALESFORCE_CLIENT_ID = ""
    call = post_call(post_vapi, number=DANA)

    run_job(call)

    job = job_of(call)
    assert job.state == SyncJob.State.NOT_CONFIGURED
    assert "SALESFORCE_CLIENT_ID" in job.last_error and job.get_state_display() == "Waiting: Salesforce not configured"
    assert salesforce.org.records("Task") == []


def test_a_broken_mapping_dead_letters_naming_the_field_and_replays_after_the_fix(post_vapi, salesforce, admin_client):
    broken = FieldMapping.objects.create(target_object="Task", target_field="Sentiment__c", source="call.summary",
                                         transform="none", position=999)
    call = post_call(post_vapi, number=DANA)

    run_job(call)

    job = job_of(call)
    assert job.state == SyncJob.State.DEAD
    assert job.error_code == "INVALID_FIELD" and "Sentiment__c" in job.error_fields
    assert tasks_for(salesforce, call) == []

    broken.enabled = False
    broken.save()
    response = admin_client.post("/admin/crm/syncjob/", {"action": "replay_selected", "_selected_action": [job.pk]})
    assert response.status_code == 302
    assert job_of(call).state == SyncJob.State.PENDING
    run_job(call)
    assert job_of(call).state == SyncJob.State.SYNCED
    assert len(tasks_for(salesforce, call)) == 1 and len(salesforce.org.records("Lead")) == 1


def test_a_200000_character_transcript_is_truncated_with_a_marker(post_vapi, salesforce):
    call = post_call(post_vapi, number=DANA)
    segment = call.segments.first()
    segment.text = "word " * 40000
    segment.save()

    run_job(call)

    [lead] = leads_with_phone(salesforce, DANA)
    assert len(lead["Call_Transcript__c"]) <= 131072
    assert "truncated" in lead["Call_Transcript__c"][-80:]


def test_a_call_that_ends_without_a_report_is_synced_incomplete_then_completed(post_vapi, salesforce):
    from tests.support.signing import vapi_fixture

    ended = vapi_fixture("status-update-ended")
    assert post_vapi(ended).status_code == 200
    call = Call.objects.get(vapi_call_id=ended["message"]["call"]["id"])
    assert job_of(call).due_at > timezone.now()  # waiting for the report a little
    assert run_job(call)["claimed"] == 0

    make_due(call)
    run_job(call)
    assert job_of(call).incomplete
    [task] = tasks_for(salesforce, call)

    assert post_vapi(vapi_fixture("end-of-call-report")).status_code == 200
    run_job(call)
    job = job_of(call)
    assert job.state == SyncJob.State.SYNCED and not job.incomplete
    assert [t["Id"] for t in tasks_for(salesforce, call)] == [task["Id"]]
    assert tasks_for(salesforce, call)[0]["Description"] == Call.objects.get(pk=call.pk).summary


def test_many_waiting_calls_go_in_a_few_collection_requests(post_vapi, salesforce):
    calls = [post_call(post_vapi, number=f"+1415555{index:04d}") for index in range(40)]

    outcome = run_job(calls[0])

    assert outcome["claimed"] == 40 and outcome["synced"] == 40
    assert outcome["api_requests"] <= 4  # look-ups, Lead creates, Task upserts
    assert len(salesforce.org.records("Lead")) == 40 and len(call_tasks(salesforce)) == 40
    assert {job.state for job in SyncJob.objects.all()} == {SyncJob.State.SYNCED}
    assert all(run_job(call)["claimed"] == 0 for call in calls[:3])


def test_the_admin_lists_dead_letters_with_their_reason_and_shows_the_attempts(post_vapi, salesforce, admin_client):
    FieldMapping.objects.create(target_object="Task", target_field="Sentiment__c", source="call.summary", position=999)
    call = post_call(post_vapi, number=DANA)
    run_job(call)

    listing = admin_client.get("/admin/crm/syncjob/", {"state__exact": "dead"})
    page = admin_client.get(f"/admin/crm/syncjob/{job_of(call).pk}/change/")

    assert listing.status_code == 200 and b"Sentiment__c" in listing.content
    assert page.status_code == 200 and b"INVALID_FIELD" in page.content and b"Dead letter" in page.content


@pytest.mark.parametrize("fault", [{"kind": "unable_to_lock_row"}, {"status": 500}, {"kind": "drop"}])
def test_other_transient_failures_retry_and_then_land_once(post_vapi, salesforce, fault):
    call = post_call(post_vapi, number=DANA)
    if fault.get("kind") == "drop":
        salesforce.faults.drop_next(1)
    else:
        salesforce.faults.fail_next(**fault)

    run_job(call)
    assert job_of(call).state == SyncJob.State.RETRYING
    make_due(call)
    run_job(call)

    assert job_of(call).state == SyncJob.State.SYNCED
    assert len(leads_with_phone(salesforce, DANA)) == 1 and len(tasks_for(salesforce, call)) == 1
