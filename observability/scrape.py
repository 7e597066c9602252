"""What /metrics serves: the counters of every process, and state read at scrape time.

Sync jobs by state (dead letters are the `dead` ones), failed webhook events and the
Salesforce API budget are facts in the database and the shared cache, so they are read
when Prometheus asks (three small queries) rather than kept as gauges in each process.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from calls.models import WebhookEvent
from crm.models import SyncJob
from integrations.salesforce.budget import api_budget

logger = logging.getLogger(__name__)


def exposition() -> bytes:
    """The whole scrape, in Prometheus' text format."""
    multiprocess_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if multiprocess_dir:
        counters = CollectorRegistry()
        MultiProcessCollector(counters, path=multiprocess_dir)
    else:
        counters = REGISTRY
    state = CollectorRegistry(auto_describe=False)
    state.register(StateCollector())
    return generate_latest(counters) + generate_latest(state)


class StateCollector:
    def collect(self):
        up = GaugeMetricFamily("callsync_metrics_database_up", "1 when the scrape could read the database.")
        try:
            yield from self._database()
            up.add_metric([], 1)
        except DatabaseError:
            logger.exception("metrics: the database could not be read")
            up.add_metric([], 0)
        yield up
        yield from self._budget()

    def _database(self):
        jobs = GaugeMetricFamily("callsync_sync_jobs", "Sync jobs by state (state=\"dead\": dead letters).",
                                 labels=["state"])
        counts = dict(SyncJob.objects.order_by().values_list("state").annotate(n=Count("id")))
        for state in SyncJob.State.values:
            jobs.add_metric([state], counts.get(state, 0))
        failed = GaugeMetricFamily(
            "callsync_webhook_events_failed", "Stored webhook events whose processing failed, by whether the retry "
            "task will try again (retrying) or has given up (exhausted).", labels=["retry"])
        given_up = settings.CALLSYNC_WEBHOOK_MAX_ATTEMPTS
        events = WebhookEvent.objects.filter(status=WebhookEvent.Status.FAILED)
        failed.add_metric(["retrying"], events.filter(attempts__lt=given_up).count())
        failed.add_metric(["exhausted"], events.filter(attempts__gte=given_up).count())
        return [jobs, failed, *self._waiting_events()]

    def _waiting_events(self):
        waiting = WebhookEvent.objects.filter(status=WebhookEvent.Status.RECEIVED, valid=True)
        count = GaugeMetricFamily("callsync_webhook_events_waiting",
                                  "Stored webhook events waiting for a worker to apply them.")
        count.add_metric([], waiting.count())
        oldest_at = waiting.order_by("received_at").values_list("received_at", flat=True).first()
        age = GaugeMetricFamily("callsync_webhook_events_oldest_waiting_seconds",
                                "How long the longest-waiting webhook event has waited (0: none waits).")
        age.add_metric([], (timezone.now() - oldest_at).total_seconds() if oldest_at else 0.0)
        return [count, age]

    def _budget(self):
        reserve = GaugeMetricFamily("callsync_salesforce_api_reserve_ratio",
                                    "Share of the daily API allocation sync leaves untouched (setting).")
        reserve.add_metric([], settings.CALLSYNC_SALESFORCE_API_RESERVE_PERCENT / 100.0)
        yield reserve
        snapshot = api_budget.snapshot()
        if snapshot is None or snapshot.limit <= 0:
            return  # nothing known: no answer from Salesforce in the last 15 minutes
        for name, help_text, value in (
            ("callsync_salesforce_api_used", "API requests the org used in the rolling 24 h, as last reported.",
             snapshot.used),
            ("callsync_salesforce_api_limit", "The org's daily API allocation, as last reported.", snapshot.limit),
            ("callsync_salesforce_api_remaining_ratio", "Share of the daily API allocation left.",
             snapshot.remaining / snapshot.limit),
            ("callsync_salesforce_api_observed_timestamp_seconds", "When Salesforce last reported the usage.",
             snapshot.observed_at),
        ):
            gauge = GaugeMetricFamily(name, help_text)
            gauge.add_metric([], value)
            yield gauge
