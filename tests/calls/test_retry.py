"""Events whose processing failed are stored, and processed again by the beat task."""

import time
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker

from calls.models import Call, WebhookEvent
from calls.tasks import retry_failed_webhook_events
from config.celery import app
from tests.support.signing import vapi_fixture


def _fail_processing():
    # A database-level failure inside processing (the kind a deploy or a lock timeout causes).
    return mock.patch("calls.services.vapi_events.call_for_vapi", side_effect=RuntimeError("disk full"))


@pytest.mark.django_db
def test_a_processing_failure_is_recorded_answered_and_rolled_back(post_vapi):
    with _fail_processing():
        response = post_vapi(vapi_fixture("end-of-call-report"))
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert (event.status, event.attempts, event.call_id) == ("failed", 1, None)
    assert "disk full" in event.error
    assert not Call.objects.exists()  # nothing half-applied

    assert retry_failed_webhook_events.apply().get() == {"processed": 1}
    event.refresh_from_db()
    assert (event.status, event.attempts, event.error) == ("processed", 2, "")
    assert Call.objects.get().summary


@pytest.mark.django_db
def test_retries_stop_after_the_configured_attempts(post_vapi, settings):
    settings.CALLSYNC_WEBHOOK_MAX_ATTEMPTS = 2
    with _fail_processing():
        post_vapi(vapi_fixture("end-of-call-report"))
        retry_failed_webhook_events.apply()
        assert retry_failed_webhook_events.apply().get() == {}
    assert WebhookEvent.objects.get().attempts == 2


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_retry_through_redis(post_vapi):
    with _fail_processing():
        post_vapi(vapi_fixture("hang"))
    event = WebhookEvent.objects.get()
    assert event.status == "failed"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        retry_failed_webhook_events.delay()
        deadline = time.monotonic() + 20
        while event.status != "processed" and time.monotonic() < deadline:
            time.sleep(0.1)
            event.refresh_from_db()
    assert event.status == "processed"
    assert Call.objects.get().vapi_call_id == vapi_fixture("hang")["message"]["call"]["id"]
