"""The beat tasks: nothing waits forever because a message or a report was lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from calls.models import Call
from calls.tasks import finalize_silent_calls
from crm.models import SyncJob
from crm.services.outbox import request_sync
from crm.tasks import requeue_stuck_sync_jobs
from tests.leads.sync_support import job_of, post_call, run_job, tasks_for
from tests.support.signing import twilio_fixture, vapi_fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_describe")]


def test_a_job_abandoned_by_a_dead_worker_is_taken_over_after_its_lease(post_vapi, salesforce):
    call = post_call(post_vapi, number="+14155550123")
    long_ago = timezone.now() - timedelta(minutes=10)
    SyncJob.objects.filter(call=call).update(state=SyncJob.State.IN_FLIGHT, claimed_at=long_ago, enqueued_at=long_ago)

    assert requeue_stuck_sync_jobs() == 1
    run_job(call)

    assert job_of(call).state == SyncJob.State.SYNCED and len(tasks_for(salesforce, call)) == 1


def test_a_job_in_flight_within_its_lease_is_left_alone(post_vapi, salesforce):
    call = post_call(post_vapi, number="+14155550123")
    SyncJob.objects.filter(call=call).update(state=SyncJob.State.IN_FLIGHT, claimed_at=timezone.now())

    assert requeue_stuck_sync_jobs() == 0
    assert run_job(call)["claimed"] == 0


def test_a_pending_job_whose_message_was_lost_is_queued_again(post_vapi, salesforce):
    call = post_call(post_vapi, number="+14155550123")
    SyncJob.objects.filter(call=call).update(enqueued_at=None)

    assert requeue_stuck_sync_jobs() == 1
    assert job_of(call).enqueued_at is not None


def _silent(call_id: str) -> dict:
    in_progress = vapi_fixture("status-update-in-progress")
    in_progress["message"]["call"]["id"] = call_id
    return in_progress


def test_a_silent_call_gets_its_report_from_vapi_and_is_synced(post_vapi, vapi_api, salesforce):
    fetched = vapi_fixture("api-get-call-ended")
    assert post_vapi(_silent(fetched["id"])).status_code == 200
    Call.objects.filter(vapi_call_id=fetched["id"]).update(last_provider_event_at=timezone.now() - timedelta(hours=1))
    vapi_api.status, vapi_api.body = 200, fetched

    assert finalize_silent_calls() == {"report fetched": 1}

    call = Call.objects.get(vapi_call_id=fetched["id"])
    assert vapi_api.requests[-1]["path"] == f"/call/{fetched['id']}"
    assert call.report_received_at is not None and call.summary == fetched["analysis"]["summary"]
    assert call.segments.exists()
    run_job(call)
    assert job_of(call).state == SyncJob.State.SYNCED and not job_of(call).incomplete
    assert finalize_silent_calls() == {}


def test_a_silent_call_vapi_cannot_describe_is_closed_and_synced_incomplete(post_vapi, salesforce, settings):
    settings.VAPI_API_KEY = ""
    assert post_vapi(_silent("0b5e0c1a-0000-4000-8000-00000000beef")).status_code == 200
    Call.objects.update(last_provider_event_at=timezone.now() - timedelta(hours=1))

    assert finalize_silent_calls() == {"closed incomplete": 1}

    call = Call.objects.get()
    assert call.status == Call.Status.ENDED and call.ended_reason == "callsync-silent"
    run_job(call)
    assert job_of(call).incomplete and len(tasks_for(salesforce, call)) == 1


def _gone_silent(post_vapi) -> Call:
    """A call in progress that no provider event reached for an hour."""
    assert post_vapi(_silent(vapi_fixture("status-update-in-progress")["message"]["call"]["id"])).status_code == 200
    Call.objects.update(last_provider_event_at=timezone.now() - timedelta(hours=1))
    return Call.objects.get()


def test_a_sync_that_writes_to_a_silent_call_does_not_make_it_look_alive(post_vapi, salesforce, settings):
    settings.VAPI_API_KEY = ""
    call = _gone_silent(post_vapi)
    heard = call.last_provider_event_at
    with transaction.atomic():
        request_sync(call=Call.objects.select_for_update().get(pk=call.pk))
    run_job(call)

    call.refresh_from_db()
    assert job_of(call).state == SyncJob.State.SYNCED and call.lead_id is not None  # the sync wrote the call
    assert call.last_provider_event_at == heard
    assert finalize_silent_calls() == {"closed incomplete": 1}


@pytest.mark.parametrize("name", ["speech-update", "assistant-started"])  # the second changes nothing of the call
def test_a_vapi_event_makes_a_silent_call_alive_again(post_vapi, settings, name):
    settings.VAPI_API_KEY = ""
    call = _gone_silent(post_vapi)
    assert post_vapi(vapi_fixture(name)).status_code == 200

    call.refresh_from_db()
    assert timezone.now() - call.last_provider_event_at < timedelta(minutes=1)
    assert finalize_silent_calls() == {}


def test_a_twilio_callback_makes_a_silent_call_alive_again(post_vapi, post_twilio, settings):
    settings.VAPI_API_KEY = ""
    _gone_silent(post_vapi)
    assert post_twilio("/webhooks/twilio/status/", twilio_fixture("status-in-progress")).status_code == 200

    assert finalize_silent_calls() == {}
