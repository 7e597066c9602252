"""Webhook events applied after the answer: stored by the request, applied by the worker's task,
and never left waiting unseen (calls/services/waiting_events.py)."""

import json

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from calls.models import Call, WebhookEvent
from calls.services.waiting_events import SCHEDULED_KEY, apply_waiting_events
from calls.tasks import apply_waiting_webhook_events, retry_failed_webhook_events
from crm.models import SyncJob
from crm.tasks import sync_call_job
from tests.support.signing import twilio_fixture, vapi_fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def a_web_process_that_saw_no_run_yet(monkeypatch):
    monkeypatch.setattr("calls.services.waiting_events._run_seen_at", float("-inf"))


def statuses() -> dict[str, str]:
    return dict(WebhookEvent.objects.values_list("event_type", "status"))


def test_a_message_that_needs_no_answer_is_stored_answered_and_left_for_the_worker(post_vapi):
    response = post_vapi(vapi_fixture("end-of-call-report"), worker=False)

    assert response.status_code == 200 and response.json() == {"ok": True}
    assert statuses() == {"end-of-call-report": "received"}
    assert not Call.objects.exists()

    assert apply_waiting_webhook_events() == 1
    assert statuses() == {"end-of-call-report": "processed"}
    assert Call.objects.get().status == Call.Status.ENDED


def test_a_tool_call_first_applies_what_its_call_said_before(post_vapi):
    post_vapi(vapi_fixture("transcript-final"), worker=False)
    response = post_vapi(vapi_fixture("tool-calls"), worker=False)

    assert response.status_code == 200 and "results" in response.json()
    assert statuses() == {"transcript": "processed", "tool-calls": "processed"}
    assert Call.objects.get().segments.exists()


def test_with_the_queue_unreachable_the_web_process_applies_the_event_itself(post_vapi, settings,
                                                                             django_capture_on_commit_callbacks):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        response = post_vapi(vapi_fixture("status-update-in-progress"), worker=False)

    assert response.status_code == 200
    assert statuses() == {"status-update": "processed"}
    assert Call.objects.get().status == Call.Status.IN_PROGRESS


def test_a_failed_scoring_after_a_batch_is_retried_through_the_event_that_brought_the_evidence(post_vapi,
                                                                                            monkeypatch):
    post_vapi(vapi_fixture("status-update-in-progress"), worker=False)
    post_vapi(vapi_fixture("transcript-final"), worker=False)
    monkeypatch.setattr("calls.services.vapi_events.requalify", lambda **kwargs: 1 / 0)
    apply_waiting_webhook_events()
    assert statuses() == {"status-update": "processed", "transcript": "failed"}
    assert not hasattr(Call.objects.get(), "qualification")

    monkeypatch.undo()
    retry_failed_webhook_events()
    assert statuses() == {"status-update": "processed", "transcript": "processed"}
    assert Call.objects.get().qualification.computed_at is not None


def test_a_run_that_reaches_its_limit_leaves_the_rest_waiting_for_the_next_run(post_vapi):
    for call_id in ("first-call", "second-call"):
        message = vapi_fixture("status-update-in-progress")
        message["message"]["call"].update(id=call_id, phoneCallProviderId=f"CA-{call_id}")
        post_vapi(message, worker=False)

    assert apply_waiting_events(max_events=1) == 1
    assert WebhookEvent.objects.filter(status="received").count() == 1
    assert apply_waiting_events() == 1
    assert set(Call.objects.values_list("vapi_call_id", flat=True)) == {"first-call", "second-call"}


def test_a_call_twilio_told_of_first_waits_for_its_vapi_leg_and_reaches_salesforce_once(post_vapi, post_twilio,
                                                                                        salesforce):
    post_twilio("/webhooks/twilio/status/", twilio_fixture("status-completed"))
    twin = Call.objects.get()
    assert twin.vapi_call_id is None and twin.status == Call.Status.ENDED
    post_vapi(vapi_fixture("end-of-call-report"), worker=False)  # its Vapi leg, not applied yet

    SyncJob.objects.filter(call=twin).update(due_at=timezone.now())
    sync_call_job(SyncJob.objects.get(call=twin).pk)
    assert SyncJob.objects.get(call=twin).state == SyncJob.State.PENDING  # not written under the CallSid

    apply_waiting_webhook_events()
    call = Call.objects.get()  # the Twilio leg joined the Vapi call
    assert (call.vapi_call_id, call.twilio_call_sid) == ("9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
                                                         "CA1f2e3d4c5b6a79880123456789abcdef")
    SyncJob.objects.filter(call=call).update(due_at=timezone.now())
    sync_call_job(SyncJob.objects.get(call=call).pk)
    call_tasks = [task["Vapi_Call_Id__c"] for task in salesforce.org.records("Task") if task.get("TaskSubtype") == "Call"]
    assert call_tasks == [call.vapi_call_id]


def test_a_run_that_finds_nothing_left_lingers_and_applies_what_arrives_meanwhile(post_vapi, settings,
                                                                                  monkeypatch):
    settings.CALLSYNC_WEBHOOK_APPLY_LINGER_SECONDS = 5.0
    post_vapi(vapi_fixture("status-update-in-progress"), worker=False)
    arrivals = [vapi_fixture("end-of-call-report")]
    slept = []

    def arrival_while_the_run_waits(seconds):
        slept.append(seconds)
        if arrivals:
            post_vapi(arrivals.pop(), worker=False)  # stored by a web process that skipped the broker

    monkeypatch.setattr("calls.services.waiting_events.time.sleep", arrival_while_the_run_waits)
    clock = iter(range(0, 1000, 1))  # each look at the clock: one more second
    monkeypatch.setattr("calls.services.waiting_events.time.monotonic", lambda: float(next(clock)))

    assert apply_waiting_webhook_events() == 2
    assert statuses() == {"status-update": "processed", "end-of-call-report": "processed"}
    assert Call.objects.get().report_received_at is not None
    assert 1 <= len(slept) <= 6  # it stopped looking once the linger ran out


@pytest.fixture
def events_queue(settings):
    """The broker's `events` queue, empty, with no run marked as on its way."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("events")
    cache.delete(SCHEDULED_KEY)
    yield broker
    broker.delete("events")
    cache.delete(SCHEDULED_KEY)


def test_the_stored_event_asks_the_broker_for_one_run_until_a_run_ends(post_vapi, events_queue,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_vapi(vapi_fixture("status-update-in-progress"), worker=False)
        post_vapi(vapi_fixture("speech-update"), worker=False)
    assert events_queue.llen("events") == 1  # the second arrival found a run on its way

    apply_waiting_webhook_events()  # the run ends: the next arrival asks again
    with django_capture_on_commit_callbacks(execute=True):
        post_vapi(vapi_fixture("transcript-final-typed"), worker=False)
    assert events_queue.llen("events") == 2


def test_a_web_process_that_saw_a_run_on_its_way_leaves_the_broker_alone_for_a_moment(
        post_vapi, settings, events_queue, django_capture_on_commit_callbacks):
    settings.CALLSYNC_WEBHOOK_APPLY_LINGER_SECONDS = 60.0  # a window of 30 s: no test is that slow
    with django_capture_on_commit_callbacks(execute=True):
        post_vapi(vapi_fixture("status-update-in-progress"), worker=False)
    cache.delete(SCHEDULED_KEY)  # the run ended; this process saw it on its way a moment ago
    with django_capture_on_commit_callbacks(execute=True):
        post_vapi(vapi_fixture("speech-update"), worker=False)
    assert events_queue.llen("events") == 1 and cache.get(SCHEDULED_KEY) is None


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_dropped_costs_the_webhook_nothing(post_vapi):
    connection.ensure_connection()
    connection.connection.close()  # as after a database restart: Django does not know yet

    response = post_vapi(vapi_fixture("status-update-in-progress"), worker=False)

    assert response.status_code == 200
    assert statuses() == {"status-update": "received"}


def test_while_a_backlog_is_applied_one_sync_task_carries_its_calls(post_vapi, settings,
                                                                  django_capture_on_commit_callbacks):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("sync")
    for call_id in ("first-call", "second-call", "last-call"):
        message = vapi_fixture("end-of-call-report")
        message["message"]["call"].update(id=call_id, phoneCallProviderId=f"CA-{call_id}")
        post_vapi(message, worker=False)

    try:
        with django_capture_on_commit_callbacks(execute=True):
            apply_waiting_webhook_events()
        sent = [json.loads(message)["headers"]["argsrepr"] for message in broker.lrange("sync", 0, -1)]
    finally:
        broker.delete("sync")

    jobs = dict(SyncJob.objects.values_list("call__vapi_call_id", "pk"))
    assert set(jobs) == {"first-call", "second-call", "last-call"}
    assert sent == [f"({jobs['last-call']},)"]  # its task claims the other two, due as well, in one batch
    assert all(due <= timezone.now() for due in SyncJob.objects.values_list("due_at", flat=True))
