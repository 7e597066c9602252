"""The whole way, as in production: signed webhooks in, a real Celery worker on Redis,
Salesforce (the sandbox) misbehaving, and each call written exactly once."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from crm.models import SyncJob
from tests.leads.sync_support import delivered_report, job_of, leads_with_phone, post_call, tasks_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_mappings", "warm_describe")]


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_through_a_503_storm_an_expired_token_and_a_duplicate_delivery(post_vapi, salesforce, settings):
    settings.CALLSYNC_SYNC_BACKOFF_BASE_SECONDS = 0.05
    app.control.purge()
    salesforce.faults.expire_tokens()  # the cached token dies before the first sync
    salesforce.faults.fail_next(3, status=503)

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        call = post_call(post_vapi, number="+14155550123")  # committed: the task is queued on commit
        wait_for(lambda: job_of(call).state == SyncJob.State.SYNCED)
        assert post_vapi(delivered_report(call)).status_code == 200
        time.sleep(0.5)  # room for a second sync, which must not happen

    job = job_of(call)
    assert job.state == SyncJob.State.SYNCED
    assert list(job.attempts_made.order_by("pk").values_list("outcome", flat=True)) == ["retry"] * 3 + ["synced"]
    [lead] = leads_with_phone(salesforce, "+14155550123")
    [task] = tasks_for(salesforce, call)
    assert task["WhoId"] == lead["Id"] and task["Subject"]
