"""What a hot call adds in Salesforce beside its Lead and its Task: the owner's follow-up Task and the
qualified Platform Event, in the call's one write request and each written once however often it syncs;
the admin showing what a call wrote; the follow-up's text on its own.

Calls arrive as signed webhooks; scores are recorded directly (the scoring engine is not
under test here); the sync task runs as a worker runs it, against the sandbox over HTTPS."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from calls.models import Call
from crm.models import Role, SyncJob
from crm.services import follow_ups
from devtools.salesforce_sandbox.ids import USER_ID, make_id
from leads.models import Lead
from tests.factories import CallFactory, LeadFactory, QualificationFactory
from tests.leads.follow_up_support import (
    DANA, OTHER_REP, REP, changed, event_types, follow_up_tasks, last_attempt, published, qualify,
)
from tests.leads.sync_support import delivered_report, job_of, leads_with_phone, post_call, run_job, tasks_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_describe")]


# --- a hot call ----------------------------------------------------------------------------

def test_a_hot_call_from_a_new_number_writes_everything_in_one_request_after_the_look_up(post_vapi, salesforce):
    call = post_call(post_vapi, number=DANA)
    qualify(call)

    assert run_job(call)["synced"] == 1

    [lead] = leads_with_phone(salesforce, DANA)
    [call_task] = tasks_for(salesforce, call)
    [follow_up] = follow_up_tasks(salesforce, call)
    assert follow_up["Subject"] == "Follow up: hot lead Dana Whitfield (Northwind Logistics), score 85"
    assert (follow_up["Priority"], follow_up["Status"], follow_up["WhoId"]) == ("High", "Not Started", lead["Id"])
    assert follow_up["ActivityDate"] == "2026-11-20"  # the call ended on Thursday 19 November (UTC)
    assert follow_up["OwnerId"] == USER_ID  # Salesforce's default: a Lead created just now has no known owner
    description = follow_up["Description"]
    assert description.startswith("Hot lead: scored 85 of 100")
    assert '- Budget (positive): "$40,000 this quarter" (structuredData.budget)' in description
    assert '"we want it live in about six weeks" (transcript)' in description
    assert "Summary: " + call.summary in description
    [event] = published(salesforce)
    assert (event["Call_Id__c"], event["Lead_Id__c"], event["Score__c"], event["Status__c"]) == (
        call.vapi_call_id, lead["Id"], "85", "Hot")
    assert event["Summary__c"].endswith("[… truncated by callsync]") and len(event["Summary__c"]) <= 255
    job = job_of(call)
    assert (job.salesforce_id(Role.CALL_TASK), job.salesforce_id(Role.FOLLOW_UP)) == (call_task["Id"], follow_up["Id"])
    assert Role.EVENT in job.written
    attempt = last_attempt(call)
    # The look-up of a number never seen, then ONE Composite request: Lead, Task, follow-up and event.
    assert attempt.api_requests == 2 and salesforce.org.api_calls_used == 2
    assert attempt.request_summary["follow_up_task_id"] == follow_up["Id"]
    assert attempt.request_summary["qualified_event_id"] == event["Id"]
    assert any("Follow-up Task: OwnerId left to Salesforce's default" in note
               for note in attempt.request_summary["notes"])


def test_a_hot_call_from_a_known_lead_goes_to_its_owner_in_exactly_one_request(post_vapi, salesforce):
    lead_id = salesforce.org.insert("Lead", {"LastName": "Whitfield", "Company": "Northwind Logistics", "Phone": DANA,
                                             "OwnerId": REP})
    LeadFactory(salesforce_id=lead_id, phone_e164=DANA, owner_salesforce_id=REP)
    call = post_call(post_vapi, number=DANA)
    qualify(call)

    run_job(call)

    [follow_up] = follow_up_tasks(salesforce, call)
    assert (follow_up["OwnerId"], follow_up["WhoId"], follow_up["Priority"]) == (REP, lead_id, "High")
    [event] = published(salesforce)
    assert (event["Lead_Id__c"], event["Owner_Id__c"]) == (lead_id, REP)
    attempt = last_attempt(call)
    assert attempt.api_requests == 1 and salesforce.org.api_calls_used == 1
    assert not [note for note in attempt.request_summary["notes"] if "OwnerId" in note]


def test_the_look_up_teaches_the_mirror_the_owner_status_and_do_not_call(post_vapi, salesforce):
    lead_id = salesforce.org.insert("Lead", {"LastName": "Whitfield", "Company": "Northwind", "Phone": "(415) 555-0123",
                                             "OwnerId": REP, "Status": "Working - Contacted", "DoNotCall": True})
    call = post_call(post_vapi, number=DANA)
    qualify(call)

    run_job(call)

    mirror = Lead.objects.get(salesforce_id=lead_id)
    assert (mirror.owner_salesforce_id, mirror.status, mirror.do_not_call) == (REP, "Working - Contacted", True)
    assert follow_up_tasks(salesforce, call)[0]["OwnerId"] == REP


def test_a_lead_owned_by_a_queue_gets_a_follow_up_owned_by_the_default_and_a_note(post_vapi, salesforce):
    queue = make_id("00G", 7)
    lead_id = salesforce.org.insert("Lead", {"LastName": "Whitfield", "Company": "Northwind", "Phone": DANA,
                                             "OwnerId": queue})
    LeadFactory(salesforce_id=lead_id, phone_e164=DANA, owner_salesforce_id=queue)
    call = post_call(post_vapi, number=DANA)
    qualify(call)

    run_job(call)

    assert follow_up_tasks(salesforce, call)[0]["OwnerId"] == USER_ID
    notes = last_attempt(call).request_summary["notes"]
    assert any(f"the owner {queue} is not a user" in note for note in notes)


def test_syncing_the_call_again_updates_its_records_and_never_republishes(post_vapi, salesforce):
    call = post_call(post_vapi, number=DANA)
    qualify(call)
    run_job(call)
    [follow_up] = follow_up_tasks(salesforce, call)
    # The rep takes the follow-up over in Salesforce.
    salesforce.org.update("Task", follow_up["Id"], {"Status": "In Progress", "OwnerId": OTHER_REP})

    assert post_vapi(delivered_report(call)).status_code == 200  # a duplicate delivery changes nothing
    assert run_job(call)["claimed"] == 0
    changed(call, summary="Dana confirmed the $40,000 budget and wants a demo on Friday.")
    run_job(call)

    [again] = follow_up_tasks(salesforce, call)
    assert again["Id"] == follow_up["Id"]
    assert "Summary: Dana confirmed the $40,000 budget and wants a demo on Friday." in again["Description"]
    assert (again["Status"], again["OwnerId"], again["Priority"]) == ("In Progress", OTHER_REP, "High")
    assert len(published(salesforce)) == 1
    assert len(tasks_for(salesforce, call)) == 1 and len(leads_with_phone(salesforce, DANA)) == 1
    assert len(salesforce.org.records("Task")) == 2
    assert job_of(call).state == SyncJob.State.SYNCED and last_attempt(call).api_requests == 1


def test_a_call_that_stops_being_hot_keeps_its_follow_up_and_says_so(post_vapi, salesforce):
    call = post_call(post_vapi, number=DANA)
    qualify(call)
    run_job(call)
    [follow_up] = follow_up_tasks(salesforce, call)

    qualify(call, status="warm", score=55)
    changed(call)
    run_job(call)

    assert follow_up_tasks(salesforce, call) == [follow_up]  # untouched, never deleted
    notes = last_attempt(call).request_summary["notes"]
    assert f"Follow-up Task {follow_up['Id']} left as it is: the call is no longer hot (warm)." in notes
    assert job_of(call).salesforce_id(Role.FOLLOW_UP) == follow_up["Id"] and len(published(salesforce)) == 1


@pytest.mark.parametrize("score", [{"status": "warm", "score": 55}, {"final": False}], ids=["warm", "hot-not-final"])
def test_a_call_that_is_not_finally_hot_gets_no_follow_up_and_no_event(post_vapi, salesforce, score):
    call = post_call(post_vapi, number=DANA)
    qualify(call, **score)

    run_job(call)

    job = job_of(call)
    assert job.state == SyncJob.State.SYNCED and len(tasks_for(salesforce, call)) == 1
    assert follow_up_tasks(salesforce, call) == [] and event_types(salesforce) == []
    assert job.salesforce_id(Role.FOLLOW_UP) == "" and Role.EVENT not in job.written
    assert "Case" not in last_attempt(call).request_summary["objects"]  # mapped, but for support calls only


# --- the admin -------------------------------------------------------------------------------

def test_the_admin_shows_the_records_a_call_wrote(post_vapi, salesforce, admin_client):
    call = post_call(post_vapi, number=DANA)
    qualify(call)
    Call.objects.filter(pk=call.pk).update(callback_at=datetime(2026, 11, 20, 18, tzinfo=UTC))
    run_job(call)
    job = job_of(call)

    page = admin_client.get(f"/admin/crm/syncjob/{job.pk}/change/")
    found = admin_client.get("/admin/crm/syncjob/", {"q": job.salesforce_id(Role.FOLLOW_UP)})

    assert page.status_code == 200 and b"Salesforce records" in page.content
    for record_id in (job.salesforce_id(role) for role in (Role.FOLLOW_UP, Role.CALLBACK, Role.CALL_TASK)):
        assert record_id and record_id.encode() in page.content
    assert b'name="synced_records-0-salesforce_id"' not in page.content  # read-only
    assert found.status_code == 200 and str(call).encode() in found.content


# --- the bodies, on their own ------------------------------------------------------------------

@pytest.mark.parametrize(("ended", "due"), [
    (datetime(2026, 11, 19, 15, 8, tzinfo=UTC), "2026-11-20"),  # Thursday: Friday
    (datetime(2026, 11, 20, 23, 59, tzinfo=UTC), "2026-11-23"),  # Friday: Monday
    (datetime(2026, 11, 21, 10, 0, tzinfo=UTC), "2026-11-23"),  # Saturday: Monday
    (datetime(2026, 11, 22, 10, 0, tzinfo=UTC), "2026-11-23"),  # Sunday: Monday
])
def test_a_follow_up_is_due_the_next_business_day(ended, due):
    assert follow_ups.next_business_day(ended).isoformat() == due


def test_the_follow_up_explains_missing_and_odd_evidence_without_failing():
    call = CallFactory.build(summary="", outcome="Demo booked", next_steps="Send pricing.")
    qualification = QualificationFactory.build(call=call, score=72, dimensions={
        "budget": {"verdict": "positive", "evidence": [{"value": 40000, "source": "tool_argument"}]},
        "need": {"evidence": ["automate dispatch"]},
        "authority": "not a dict",
    })

    text = follow_ups.follow_up_description(call=call, qualification=qualification)

    assert text.splitlines()[3:7] == [
        '- Budget (positive): "40000" (tool_argument)',
        "- Authority: no evidence",
        '- Need: "automate dispatch"',
        "- Timeline: no evidence",
    ]
    assert "Summary" not in text and "Outcome: Demo booked" in text and text.endswith("Next steps: Send pricing.")


def test_only_a_user_can_own_a_follow_up():
    assert follow_ups.user_owner(REP) == REP
    assert follow_ups.user_owner(make_id("00G", 7)) == "" and follow_ups.user_owner("") == ""
