"""`manage.py simulate_calls` against the live server: every call stored as its scenario says,
no 5xx; with a worker and the Salesforce sandbox, every call synced once."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command

from calls.models import Call, WebhookEvent
from calls.tasks import apply_waiting_webhook_events
from config.celery import app
from crm.models import SyncJob
from devtools.simulation.events import build_calls, pick_scenarios
from devtools.simulation.scenarios import MIX_WEIGHTS, SCENARIOS
from tests.chaos import conftest as chaos_fixtures
from tests.leads import conftest as leads_fixtures

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded_policy")]

SEED = 7
default_mappings, warm_describe = leads_fixtures.default_mappings, leads_fixtures.warm_describe  # fixtures
seeded_policy = chaos_fixtures.seeded_policy


def simulate(live_server, *options: str) -> str:
    out = StringIO()
    call_command("simulate_calls", "--target", live_server.url, "--seed", str(SEED), "--no-progress", *options,
                 stdout=out)
    return out.getvalue()


def test_a_mixed_simulation_stores_every_call_as_its_scenario_ends(live_server, vapi_auth, twilio_auth):
    output = simulate(live_server, "--calls", "20", "--concurrency", "5", "--scenario", "mix")
    apply_waiting_webhook_events()  # what the worker does with what the webhooks stored

    planned = build_calls(pick_scenarios("mix", 20, seed=SEED), seed=SEED)
    assert len({call.scenario.name for call in planned}) >= 6  # the mix really mixes
    calls = {call.vapi_call_id: call for call in Call.objects.filter(vapi_call_id__in=[c.call_id for c in planned])}
    assert len(calls) == 20
    for simulated in planned:
        stored = calls[simulated.call_id]
        assert (simulated.scenario.name, stored.disposition) == (simulated.scenario.name, simulated.scenario.disposition)
        assert stored.status == Call.Status.ENDED and stored.customer_number == simulated.number
    sent = sum(len(call.requests) for call in planned)
    assert f"{sent} requests in" in output and f"answers by status: 200: {sent}" in output
    assert "errors: none" in output
    stored_events = Counter(WebhookEvent.objects.values_list("status", flat=True))
    assert sum(stored_events.values()) == sent
    assert not stored_events.keys() & {WebhookEvent.Status.FAILED, WebhookEvent.Status.REJECTED}


def test_every_scenario_has_a_weight_in_the_mix_and_known_fixtures():
    assert set(MIX_WEIGHTS) == set(SCENARIOS)
    for call in build_calls(list(SCENARIOS), seed=SEED):
        assert call.requests, call.scenario.name
        assert all(call.call_id.encode() in request.body for request in call.requests if request.provider == "vapi")
        assert all(dict(request.params)["CallSid"] == call.call_sid for request in call.requests
                   if request.provider == "twilio")


def test_duplicate_and_shuffled_deliveries_change_the_order_not_the_content():
    hot, duplicates, shuffled, lost = build_calls(["hot", "duplicates", "out-of-order", "lost-report"], seed=SEED)
    kinds = Counter(request.message_type for request in hot.requests)
    assert Counter(request.message_type for request in duplicates.requests) == Counter({k: 2 * n for k, n in kinds.items()})
    assert Counter(request.message_type for request in shuffled.requests) == kinds
    assert [r.message_type for r in shuffled.requests] != [r.message_type for r in hot.requests]
    assert "end-of-call-report" not in {request.message_type for request in lost.requests}


@pytest.mark.usefixtures("default_mappings", "warm_describe")
def test_with_a_worker_every_simulated_call_reaches_salesforce_once(live_server, vapi_auth, twilio_auth, salesforce,
                                                                    settings):
    settings.CALLSYNC_REPORT_GRACE_SECONDS = 0.5  # the lost report's call syncs from its status soon
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        output = simulate(live_server, "--calls", "12", "--concurrency", "4", "--scenario", "mix",
                          "--wait-sync", "60")

    assert "12 of 12 calls synced" in output, output
    assert "duplicates found: 0 call Tasks, 0 Leads" in output
    assert SyncJob.objects.filter(state=SyncJob.State.SYNCED).count() == 12
    requests_per_call = float(re.search(r"API requests per call: ([\d.]+)", output).group(1))
    assert 0 < requests_per_call < 10
    assert re.search(r"end-of-call -> Salesforce: p50 \d+ ms  p95 \d+ ms", output)
    call_tasks = [task for task in salesforce.org.records("Task") if task.get("TaskSubtype") == "Call"]
    assert len(call_tasks) == 12
