"""What a qualified call adds in Salesforce beside its Lead and its Task: the owner's follow-up
Task for a hot lead, a callback Task, a Case for a support call, and the qualified Platform
Event, all in the call's one write request, and each written once however often it syncs.

Calls arrive as signed webhooks; scores are recorded directly (the scoring engine is not
under test here); the sync task runs as a worker runs it, against the sandbox over HTTPS."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from calls.models import Call
from crm.models import FieldMapping, Role, SyncJob
from crm.services import follow_ups, outbox
from devtools.salesforce_sandbox.ids import USER_ID, make_id
from devtools.salesforce_sandbox.schema import EVENT_KEY_PREFIX, SObjectType, long_text, number, text
from leads.models import Lead, Qualification
from tests.factories import CallFactory, LeadFactory, QualificationFactory
from tests.leads.sync_support import delivered_report, job_of, leads_with_phone, post_call, run_job, tasks_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_describe")]

DANA = "+14155550123"
REP = make_id("005", 4242)  # Sam Rivera, the rep who owns Dana's Lead
OTHER_REP = make_id("005", 4343)
EVENT = "AI_Call_Qualified__e"


def qualify(call: Call, **values) -> Qualification:
    """Score the call as the scoring engine would (hot and final unless told otherwise)."""
    Qualification.objects.filter(call=call).delete()
    return QualificationFactory(call=call, **values)


def changed(call: Call, **values) -> None:
    """A later change of the call (a late report, a score revised): its job goes round again."""
    Call.objects.filter(pk=call.pk).update(**values)
    outbox.request_sync(call=call)


def keyed_tasks(sandbox, call: Call, suffix: str) -> list[dict]:
    return [task for task in sandbox.org.records("Task") if task.get("Vapi_Call_Id__c") == call.vapi_call_id + suffix]


def follow_up_tasks(sandbox, call: Call) -> list[dict]:
    return keyed_tasks(sandbox, call, ":follow-up")


def callback_tasks(sandbox, call: Call) -> list[dict]:
    return keyed_tasks(sandbox, call, ":callback")


def cases_for(sandbox, call: Call) -> list[dict]:
    return [case for case in sandbox.org.records("Case") if case.get("Vapi_Call_Id__c") == call.vapi_call_id]


def published(sandbox, event: str = EVENT) -> list[dict]:
    return sandbox.org.records(event)


def event_types(sandbox) -> list[str]:
    """Platform event types the org has seen: the sandbox creates one on its first publish."""
    return [sobject.name for sobject in sandbox.org.schema.all() if sobject.is_event]


def last_attempt(call: Call):
    return job_of(call).attempts_made.order_by("-pk").first()


def replay(admin_client, *calls: Call) -> None:
    jobs = [job_of(call).pk for call in calls]
    response = admin_client.post("/admin/crm/syncjob/", {"action": "replay_selected", "_selected_action": jobs})
    assert response.status_code == 302


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


def test_an_empty_event_setting_publishes_nothing_but_still_writes_the_follow_up(post_vapi, salesforce, settings):
    settings.CALLSYNC_QUALIFIED_EVENT = ""
    call = post_call(post_vapi, number=DANA)
    qualify(call)

    run_job(call)

    assert len(follow_up_tasks(salesforce, call)) == 1
    assert event_types(salesforce) == [] and Role.EVENT not in job_of(call).written


def test_the_event_goes_out_under_the_name_sales_ops_chose(post_vapi, salesforce, settings):
    settings.CALLSYNC_QUALIFIED_EVENT = "Hot_Lead__e"
    call = post_call(post_vapi, number=DANA)
    qualify(call)

    run_job(call)

    assert [event["Call_Id__c"] for event in published(salesforce, "Hot_Lead__e")] == [call.vapi_call_id]
    assert event_types(salesforce) == ["Hot_Lead__e"]


# --- the event failing alone -----------------------------------------------------------------

def test_an_event_salesforce_refuses_does_not_fail_the_call_and_goes_out_after_the_fix(
        post_vapi, salesforce, admin_client):
    # The org's event was deployed without Summary__c: Salesforce refuses the event, only the event.
    salesforce.org.schema.add_object(SObjectType(EVENT, EVENT_KEY_PREFIX, [
        text("Call_Id__c", 64), text("Lead_Id__c", 18), number("Score__c", 3, 0), text("Status__c", 20),
        text("Owner_Id__c", 18)], is_event=True))
    call = post_call(post_vapi, number=DANA)
    qualify(call)

    run_job(call)

    job = job_of(call)
    assert job.state == SyncJob.State.SYNCED and Role.EVENT not in job.written
    assert len(follow_up_tasks(salesforce, call)) == 1 and published(salesforce) == []
    [note] = [note for note in last_attempt(call).request_summary["notes"] if note.startswith(EVENT)]
    assert "INVALID_FIELD" in note and "Summary__c" in note and "next sync" in note

    salesforce.org.schema.add_field(EVENT, long_text("Summary__c", 255))
    replay(admin_client, call)
    run_job(call)
    replay(admin_client, call)
    run_job(call)

    assert len(published(salesforce)) == 1 and Role.EVENT in job_of(call).written
    assert len(follow_up_tasks(salesforce, call)) == 1


def test_an_event_name_that_cannot_be_one_is_a_note_not_a_failure(post_vapi, salesforce, settings):
    settings.CALLSYNC_QUALIFIED_EVENT = "AI Call Qualified"
    call = post_call(post_vapi, number=DANA)
    qualify(call)

    run_job(call)

    assert job_of(call).state == SyncJob.State.SYNCED and len(follow_up_tasks(salesforce, call)) == 1
    assert event_types(salesforce) == []
    notes = last_attempt(call).request_summary["notes"]
    assert any("'AI Call Qualified' is not a Platform Event API name" in note for note in notes)


def test_an_event_accepted_while_the_call_failed_is_never_published_again(post_vapi, salesforce, admin_client):
    broken = FieldMapping.objects.create(target_object="Task", target_field="Sentiment__c", source="call.summary",
                                         position=999)
    call = post_call(post_vapi, number=DANA)
    qualify(call)

    run_job(call)
    job = job_of(call)
    assert job.state == SyncJob.State.DEAD and Role.EVENT in job.written
    assert len(published(salesforce)) == 1

    broken.enabled = False
    broken.save()
    replay(admin_client, call)
    run_job(call)

    assert job_of(call).state == SyncJob.State.SYNCED
    assert len(published(salesforce)) == 1 and len(follow_up_tasks(salesforce, call)) == 1


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


# --- a big batch -----------------------------------------------------------------------------

def test_a_big_batch_writes_every_extra_record_once_through_collections(post_vapi, salesforce):
    calls = [post_call(post_vapi, number=f"+1415555{index:04d}") for index in range(40)]
    hot, callers_back, support = calls[::4], calls[1::10], calls[3::10]  # ten, four, four: none in two
    for call in calls:
        qualify(call, status="warm", score=55)
    for call in hot:
        qualify(call)
    for call in callers_back:
        Call.objects.filter(pk=call.pk).update(callback_at=datetime(2026, 11, 20, 18, tzinfo=UTC),
                                               callback_timezone="America/New_York")
    for call in support:
        qualify(call, status="unqualified", score=None, intent="support")

    outcome = run_job(calls[0])

    assert outcome["claimed"] == 40 and outcome["synced"] == 40
    # One look-up request, then Lead creates, Task upserts (all three kinds), Case upserts, events.
    assert outcome["api_requests"] == 5
    _assert_written_once(salesforce, calls, hot, callers_back, support)
    events = published(salesforce)

    for call in calls:
        changed(call)
    again = run_job(calls[0])

    assert again["synced"] == 40 and again["api_requests"] == 3  # Lead updates, Task upserts, Case upserts
    _assert_written_once(salesforce, calls, hot, callers_back, support)
    assert published(salesforce) == events


def _assert_written_once(sandbox, calls, hot, callers_back, support) -> None:
    assert len(sandbox.org.records("Lead")) == 40
    assert len(sandbox.org.records("Task")) == 40 + len(hot) + len(callers_back)
    for call in calls:
        [lead] = leads_with_phone(sandbox, call.customer_number)
        follow_ups_written = follow_up_tasks(sandbox, call)
        assert len(follow_ups_written) == (call in hot)
        assert all(task["WhoId"] == lead["Id"] for task in follow_ups_written + callback_tasks(sandbox, call))
        assert len(callback_tasks(sandbox, call)) == (call in callers_back)
        assert len(cases_for(sandbox, call)) == (call in support)
    assert sorted(event["Call_Id__c"] for event in published(sandbox)) == sorted(call.vapi_call_id for call in hot)
    assert all(Role.EVENT in job_of(call).written for call in hot)


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
