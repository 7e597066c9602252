"""Chaos: duplicate and shuffled deliveries, a misbehaving Salesforce, a worker killed mid-sync
and Redis gone while webhooks arrive. Each time: every call reaches Salesforce, once."""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest
from django.utils import timezone

from calls.models import Call, WebhookEvent
from crm.models import SyncAttempt, SyncJob
from devtools.simulation.events import build_calls
from tests.chaos.support import (
    attempt_outcomes, leads_by_phone, sync_states, tasks_by_call, wait_for, wait_synced,
)

pytestmark = pytest.mark.django_db(transaction=True)


def ids_and_numbers(calls) -> tuple[list[str], list[str]]:
    return [call.call_id for call in calls], [call.number for call in calls]


def assert_in_salesforce_once(salesforce, calls) -> None:
    call_ids, numbers = ids_and_numbers(calls)
    assert tasks_by_call(salesforce, call_ids) == Counter(dict.fromkeys(call_ids, 1))
    assert leads_by_phone(salesforce, numbers) == Counter(dict.fromkeys(numbers, 1))


def test_every_event_delivered_three_times_in_shuffled_order(chaos_app, salesforce):
    app = chaos_app()
    calls = build_calls(["hot", "warm", "cold", "support", "spam", "voicemail", "no-answer", "hang-up"], seed=11)
    deliveries = [[request] for call in calls for request in call.requests for _ in range(3)]
    random.Random(11).shuffle(deliveries)

    with app.sender(concurrency=8) as sender:
        stats = sender.send_sequences(deliveries)

    assert stats.statuses == Counter({200: len(deliveries)})
    call_ids, _ = ids_and_numbers(calls)
    wait_synced(call_ids, timeout=45)
    time.sleep(2)  # room for a late straggler to sync a second time, which must not create anything
    wait_synced(call_ids, timeout=30)
    assert_in_salesforce_once(salesforce, calls)
    stored = {call.vapi_call_id: call for call in Call.objects.filter(vapi_call_id__in=call_ids)}
    assert {simulated.scenario.name: stored[simulated.call_id].disposition for simulated in calls} == {
        simulated.scenario.name: simulated.scenario.disposition for simulated in calls}
    assert WebhookEvent.objects.count() == len(deliveries)  # every delivery is on record, duplicates too


def test_503s_then_request_limit_then_an_expired_token_delay_but_never_lose_a_sync(chaos_app, salesforce):
    salesforce.faults.fail_next(3, status=503)
    salesforce.faults.fail_next(1, kind="request_limit")
    app = chaos_app(CALLSYNC_SYNC_LIMIT_WAIT_SECONDS="8")
    calls = build_calls(["hot", "support", "warm"], seed=12)
    call_ids, _ = ids_and_numbers(calls)

    with app.sender(concurrency=3) as sender:
        assert sender.send_calls(calls).server_errors == 0
    wait_for(lambda: salesforce.faults.pending == 0, timeout=30, what="the 503s and the 403 to be served")
    salesforce.faults.expire_tokens()  # the workers' cached token dies while they wait for the budget
    wait_for(lambda: SyncJob.objects.filter(state=SyncJob.State.WAITING_BUDGET).exists()
             or sync_states(call_ids)[SyncJob.State.SYNCED] == len(call_ids), timeout=10, what="a budget wait")

    # REQUEST_LIMIT_EXCEEDED makes a job wait (CALLSYNC_SYNC_LIMIT_WAIT_SECONDS, here 8 s); no one helps it.
    wait_synced(call_ids, timeout=60)

    assert_in_salesforce_once(salesforce, calls)
    outcomes = Counter(SyncAttempt.objects.filter(job__call__vapi_call_id__in=call_ids)
                       .values_list("outcome", flat=True))
    assert outcomes[SyncAttempt.Outcome.RETRY] >= 3 and outcomes[SyncAttempt.Outcome.WAITING] >= 1
    assert outcomes[SyncAttempt.Outcome.DEAD] == 0
    for call_id in call_ids:
        assert attempt_outcomes(call_id)[-1] == SyncAttempt.Outcome.SYNCED
        assert attempt_outcomes(call_id).count(SyncAttempt.Outcome.SYNCED) == 1


def test_a_worker_killed_mid_sync_leaves_the_job_to_the_other_worker_which_syncs_it_once(chaos_app, salesforce):
    app = chaos_app(workers=1, CALLSYNC_SYNC_LEASE_SECONDS="5", CALLSYNC_SYNC_QUEUED_RECENTLY_SECONDS="1")
    salesforce.faults.set_latency(1.5)  # every Salesforce request is slow: the sync is in flight a while
    [call] = build_calls(["hot"], seed=13)

    with app.sender(concurrency=1) as sender:
        assert sender.send_calls([call]).server_errors == 0
    wait_for(lambda: sync_states([call.call_id])[SyncJob.State.IN_FLIGHT] == 1, timeout=30, what="the sync to start")
    app.start_worker("w2")
    time.sleep(1.0)  # w1 is inside a Salesforce request
    app.kill_worker("w1")
    killed_at = timezone.now()
    salesforce.faults.set_latency(0)
    assert sync_states([call.call_id])[SyncJob.State.IN_FLIGHT] == 1  # killed mid-sync, not after

    wait_synced([call.call_id], timeout=40)  # after the 5 s lease, beat's sweeper hands the job to w2
    assert not app.workers.keys() - {"w2"}
    assert attempt_outcomes(call.call_id) == [SyncAttempt.Outcome.SYNCED]  # w1 died before recording its attempt
    assert SyncAttempt.objects.get(job__call__vapi_call_id=call.call_id).started_at > killed_at  # w2's own claim
    assert_in_salesforce_once(salesforce, [call])


def test_with_redis_down_webhooks_are_stored_and_the_backlog_syncs_when_it_returns(chaos_app, private_redis,
                                                                                   salesforce):
    app = chaos_app()
    calls = build_calls(["hot", "warm", "support", "spam"], seed=14)
    call_ids, _ = ids_and_numbers(calls)
    private_redis.stop()

    with app.sender(concurrency=4) as sender:
        stats = sender.send_calls(calls)

    assert set(stats.statuses) == {200}, stats.lines()
    assert Call.objects.filter(vapi_call_id__in=call_ids, status=Call.Status.ENDED).count() == len(calls)
    assert not WebhookEvent.objects.exclude(status=WebhookEvent.Status.PROCESSED).exclude(
        status=WebhookEvent.Status.DUPLICATE).exists()
    jobs = SyncJob.objects.filter(call__vapi_call_id__in=call_ids)
    assert jobs.count() == len(calls) and not jobs.filter(enqueued_at__isnull=False).exists()  # nothing queued

    private_redis.start()  # the same port: workers and beat reconnect by themselves
    wait_synced(call_ids, timeout=45)
    assert_in_salesforce_once(salesforce, calls)
