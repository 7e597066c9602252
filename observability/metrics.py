"""The counters and histograms callsync keeps, for Prometheus.

Under gunicorn and Celery, several processes count: with PROMETHEUS_MULTIPROC_DIR set
(scripts/run-app.sh, the Procfile and the benchmarks set it, under var/, emptied at start)
each process writes its values to files there and /metrics adds them up. Without it (tests,
`manage.py runserver`) the values live in the process. Figures that are state rather than
events (sync jobs by state, the API budget) are read from the database and the cache when
/metrics is scraped: see observability/scrape.py.
"""

from __future__ import annotations

import os

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # before the first value is written there
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

from prometheus_client import Counter, Histogram  # noqa: E402

from integrations.twilio import messages as twilio  # noqa: E402
from integrations.vapi import messages as vapi  # noqa: E402

# Label values come from a closed list: a type a sender invents must not make a new time series.
WEBHOOK_TYPES = frozenset(vapi.KNOWN_TYPES) | {twilio.VOICE, twilio.CALL_STATUS, twilio.RECORDING_STATUS}
WEBHOOK_OUTCOMES = ("received", "processed", "duplicate", "failed", "rejected", "unauthorized", "too_large", "unavailable")

webhooks_received = Counter(
    "callsync_webhooks_received", "Webhook requests by provider, message type and outcome.",
    ["provider", "type", "outcome"],
)
webhook_duration = Histogram(
    "callsync_webhook_duration_seconds", "Time to answer a webhook request (read, verify, store, and process when the answer depends on it).",
    ["provider", "type"], buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 7.5),
)
salesforce_requests = Counter(
    "callsync_salesforce_api_requests", "Salesforce API requests sent, by HTTP method and status class.",
    ["method", "status"],
)
sync_attempts = Counter(
    "callsync_sync_attempts", "Calls the sync tried to write to Salesforce, by outcome (synced, retry, dead).",
    ["outcome"],
)
webhook_events_applied = Counter(
    "callsync_webhook_events_applied", "Webhook events a worker applied after the answer, by provider, message type "
    "and outcome (processed, duplicate, failed).", ["provider", "type", "outcome"],
)
webhook_retries = Counter(
    "callsync_webhook_retries", "Stored webhook events processed again by the retry task, by outcome.", ["outcome"],
)
task_duration = Histogram(
    "callsync_task_duration_seconds", "Celery task run time, by task and final state.", ["task", "state"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0),
)


def webhook_handled(*, provider: str, event_type: str, outcome: str, seconds: float) -> None:
    kind = _webhook_kind(event_type)
    webhooks_received.labels(provider, kind, outcome).inc()
    webhook_duration.labels(provider, kind).observe(seconds)


def webhook_event_applied(*, provider: str, event_type: str, outcome: str) -> None:
    webhook_events_applied.labels(provider, _webhook_kind(event_type), outcome).inc()


def _webhook_kind(event_type: str) -> str:
    return event_type if event_type in WEBHOOK_TYPES else ("other" if event_type else "unknown")


def salesforce_request_sent(*, method: str, status: int | None) -> None:
    """`status` None: no answer (timeout, refused connection)."""
    salesforce_requests.labels(method.upper(), f"{status // 100}xx" if status else "none").inc()


def sync_finished(*, synced: int, retried: int, dead: int) -> None:
    for outcome, count in (("synced", synced), ("retry", retried), ("dead", dead)):
        if count:
            sync_attempts.labels(outcome).inc(count)


def webhook_events_retried(outcomes: dict[str, int]) -> None:
    for outcome, count in outcomes.items():
        webhook_retries.labels(outcome).inc(count)


def task_finished(*, task: str, state: str, seconds: float) -> None:
    task_duration.labels(task, state or "unknown").observe(seconds)
