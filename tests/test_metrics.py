"""GET /metrics: who may read it, and what it counts (webhooks, latency, sync outcomes, Salesforce
requests, tasks) and reads at scrape time (sync jobs by state, failed events, the API budget)."""

import json
import os
import re
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from calls.models import WebhookEvent
from crm.models import SyncJob
from crm.tasks import requeue_stuck_sync_jobs
from integrations.salesforce.budget import api_budget
from observability.metrics import sync_finished
from tests.factories import SyncJobFactory
from tests.leads import conftest as leads_fixtures
from tests.leads.sync_support import post_call, run_job
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = "203.0.113.9"
warm_describe = leads_fixtures.warm_describe  # a fixture of the sync tests, used here too


def scrape(client, **extra) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.content.decode()) for sample in family.samples}


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def webhooks(outcome: str, kind: str) -> float:
    return sample("callsync_webhooks_received_total", provider="vapi", type=kind, outcome=outcome)


# --- who may read it --------------------------------------------------------------------

def test_served_to_the_local_network_by_default(client):
    assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1


def test_refused_outside_the_allowed_networks_without_a_token(client, settings):
    settings.CALLSYNC_METRICS_TOKEN = ""
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 403 and b"CALLSYNC_METRICS_TOKEN" in response.content


def test_the_bearer_token_opens_it_from_anywhere_and_a_wrong_one_does_not(client, settings):
    settings.CALLSYNC_METRICS_TOKEN = "scrape-me-please"
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer scrape-me-please").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer scrape-me").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Basic scrape-me-please").status_code == 403


def test_networks_are_configurable(client, settings):
    settings.CALLSYNC_METRICS_ALLOWED_NETWORKS = ["203.0.113.0/24"]
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE).status_code == 200
    assert client.get("/metrics").status_code == 403  # 127.0.0.1 is no longer listed


# --- webhooks ---------------------------------------------------------------------------

def applied(outcome: str, kind: str) -> float:
    return sample("callsync_webhook_events_applied_total", provider="vapi", type=kind, outcome=outcome)


def test_webhooks_are_counted_by_provider_type_and_outcome_and_timed(client, post_vapi):
    before = webhooks("received", "end-of-call-report")
    applied_before = {outcome: applied(outcome, "end-of-call-report") for outcome in ("processed", "duplicate")}
    timed_before = sample("callsync_webhook_duration_seconds_count", provider="vapi", type="end-of-call-report")

    post_vapi(vapi_fixture("end-of-call-report"))
    post_vapi(vapi_fixture("end-of-call-report"))

    scraped = scrape(client)
    labels = (("outcome", "received"), ("provider", "vapi"), ("type", "end-of-call-report"))
    assert scraped[("callsync_webhooks_received_total", labels)] == before + 2  # stored, answered, applied later
    assert applied("processed", "end-of-call-report") == applied_before["processed"] + 1
    assert applied("duplicate", "end-of-call-report") == applied_before["duplicate"] + 1
    assert sample("callsync_webhook_duration_seconds_count", provider="vapi", type="end-of-call-report") \
        == timed_before + 2
    buckets = [value for (name, labels), value in scraped.items() if name == "callsync_webhook_duration_seconds_bucket"]
    assert buckets


@pytest.mark.parametrize("outcome, kind, send", [
    ("unauthorized", "unknown", lambda post: post(vapi_fixture("status-update-ringing"), mode="none")),
    ("rejected", "unknown", lambda post: post(b"{not json")),
    ("too_large", "unknown", lambda post: post(b"{" + b" " * (1024 * 1024 + 1) + b"}")),
    ("received", "other", lambda post: post({"message": {"type": "made-up-type", "call": {"id": "x1"}}})),
    ("processed", "tool-calls", lambda post: post(vapi_fixture("tool-calls"))),
])
def test_refusals_and_unknown_types_are_counted_without_new_label_values(post_vapi, outcome, kind, send):
    before = webhooks(outcome, kind)
    send(post_vapi)
    assert webhooks(outcome, kind) == before + 1


def test_a_failed_processing_is_counted_as_failed(post_vapi, monkeypatch):
    monkeypatch.setattr("calls.services.vapi_events.call_for_vapi", lambda *args: 1 / 0)
    before, applied_before = webhooks("failed", "tool-calls"), applied("failed", "status-update")
    assert post_vapi(vapi_fixture("tool-calls")).status_code == 200  # applied in the request: it waits for an answer
    assert post_vapi(vapi_fixture("status-update-ringing")).status_code == 200  # applied by the worker
    assert webhooks("failed", "tool-calls") == before + 1
    assert applied("failed", "status-update") == applied_before + 1


def test_events_waiting_for_a_worker_are_counted_with_the_age_of_the_oldest(client, post_vapi):
    post_vapi(vapi_fixture("status-update-ringing"), worker=False)
    WebhookEvent.objects.update(received_at=timezone.now() - timedelta(seconds=90))
    post_vapi(vapi_fixture("speech-update"), worker=False)
    scraped = scrape(client)
    assert scraped[("callsync_webhook_events_waiting", ())] == 2
    assert 85 < scraped[("callsync_webhook_events_oldest_waiting_seconds", ())] < 120


# --- state read at scrape time ----------------------------------------------------------

def test_sync_jobs_by_state_and_failed_events_come_from_the_database(client):
    SyncJobFactory.create_batch(2, state=SyncJob.State.DEAD)
    SyncJobFactory(state=SyncJob.State.PENDING)
    scraped = scrape(client)
    assert scraped[("callsync_sync_jobs", (("state", "dead"),))] == 2
    assert scraped[("callsync_sync_jobs", (("state", "pending"),))] == 1
    assert scraped[("callsync_sync_jobs", (("state", "synced"),))] == 0
    assert scraped[("callsync_webhook_events_failed", (("retry", "exhausted"),))] == 0
    assert scraped[("callsync_metrics_database_up", ())] == 1


def test_the_api_budget_and_its_reserve_are_exposed(client, settings):
    settings.CALLSYNC_SALESFORCE_API_RESERVE_PERCENT = 20.0
    api_budget.record("api-usage=9000/10000")
    scraped = scrape(client)
    assert scraped[("callsync_salesforce_api_remaining_ratio", ())] == pytest.approx(0.1)
    assert scraped[("callsync_salesforce_api_reserve_ratio", ())] == pytest.approx(0.2)
    assert scraped[("callsync_salesforce_api_limit", ())] == 10000


def test_no_budget_figures_while_salesforce_has_not_reported_one(client):
    api_budget.reset()
    assert not [name for name, _ in scrape(client) if name.startswith("callsync_salesforce_api_used")]


# --- the sync, Salesforce and tasks -----------------------------------------------------

@pytest.mark.usefixtures("warm_describe")
def test_a_sync_counts_its_outcome_and_its_salesforce_requests(post_vapi, salesforce):
    call = post_call(post_vapi, number="+14155550188")
    synced_before = sample("callsync_sync_attempts_total", outcome="synced")
    requests_before = sum(sample("callsync_salesforce_api_requests_total", method=method, status="2xx")
                          for method in ("GET", "POST", "PATCH"))

    outcome = run_job(call)

    assert sample("callsync_sync_attempts_total", outcome="synced") == synced_before + 1
    requests_after = sum(sample("callsync_salesforce_api_requests_total", method=method, status="2xx")
                         for method in ("GET", "POST", "PATCH"))
    assert requests_after - requests_before == outcome["api_requests"] > 0


def test_task_durations_are_recorded_by_task_and_state():
    name = "leads.tasks.requeue_stuck_sync_jobs"
    before = sample("callsync_task_duration_seconds_count", task=name, state="SUCCESS")
    requeue_stuck_sync_jobs.apply()
    assert sample("callsync_task_duration_seconds_count", task=name, state="SUCCESS") == before + 1


# --- several processes ------------------------------------------------------------------

COUNT_ONE = textwrap.dedent("""
    from observability.metrics import webhook_handled
    webhook_handled(provider="vapi", event_type="hang", outcome="processed", seconds=0.02)
""")
READ_ALL = textwrap.dedent("""
    import json, os
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    labels = {"provider": "vapi", "type": "hang", "outcome": "processed"}
    print(json.dumps(registry.get_sample_value("callsync_webhooks_received_total", labels)))
""")


def test_in_multiprocess_mode_the_counts_of_every_process_add_up(tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"), "PYTHONPATH": str(ROOT)}
    for _ in range(2):  # two gunicorn workers, say
        subprocess.run([sys.executable, "-c", COUNT_ONE], env=env, cwd=ROOT, check=True)
    read = subprocess.run([sys.executable, "-c", READ_ALL], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    assert json.loads(read.stdout) == 2.0


def test_every_metric_the_alert_rules_use_is_served(client, post_vapi):
    rules = yaml.safe_load((ROOT / "docs" / "alerts.yml").read_text())["groups"][0]["rules"]
    used = {name for rule in rules for name in re.findall(r"callsync_[a-z_]+", rule["expr"])}
    sync_finished(synced=1, retried=0, dead=1)
    post_vapi(vapi_fixture("status-update-ringing"))
    api_budget.record("api-usage=100/10000")
    served = {name for name, _ in scrape(client)}
    assert used and used <= served, used - served
