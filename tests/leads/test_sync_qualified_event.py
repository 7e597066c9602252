"""The qualified Platform Event a hot call publishes: under the name sales ops chose or none, and failing
alone, never failing the call, never published twice.

Calls arrive as signed webhooks; scores are recorded directly (the scoring engine is not
under test here); the sync task runs as a worker runs it, against the sandbox over HTTPS."""

from __future__ import annotations

import pytest

from crm.models import FieldMapping, Role, SyncJob
from devtools.salesforce_sandbox.schema import EVENT_KEY_PREFIX, SObjectType, long_text, number, text
from tests.leads.follow_up_support import (
    DANA, EVENT, event_types, follow_up_tasks, last_attempt, published, qualify, replay,
)
from tests.leads.sync_support import job_of, post_call, run_job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_describe")]


# --- the event's name ------------------------------------------------------------------------

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
