"""After a simulation: did every call reach Salesforce, once, and at what cost?

Reads the app's database (the command runs with the app's settings) for the jobs, their
attempts and the times, and the org over its REST API for duplicates."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Max

from calls.models import WebhookEvent
from crm.models import SyncAttempt, SyncJob
from devtools.simulation.stats import percentile
from integrations.salesforce.batches import chunks
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.soql import literal

# SOQL IN lists stay well inside Salesforce's URL and query length limits.
_QUERY_CHUNK = 100


@dataclass
class SyncOutcome:
    calls: int
    synced: int
    waited: float
    api_requests_per_call: float
    latencies: list[float] = field(default_factory=list)  # seconds from the last delivery to the sync
    duplicate_tasks: int = 0
    duplicate_leads: int = 0
    states: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        lines = [f"Salesforce: {self.synced} of {self.calls} calls synced (waited {self.waited:.1f} s)",
                 f"  duplicates found: {self.duplicate_tasks} call Tasks, {self.duplicate_leads} Leads",
                 f"  API requests per call: {self.api_requests_per_call:.2f}"]
        if self.latencies:
            lines.append(f"  end-of-call -> Salesforce: p50 {percentile(self.latencies, 50):.0f} ms  "
                         f"p95 {percentile(self.latencies, 95):.0f} ms")
        unsynced = {state: count for state, count in self.states.items() if state != SyncJob.State.SYNCED}
        if unsynced:
            lines.append("  not synced: " + ", ".join(f"{state} x{count}" for state, count in sorted(unsynced.items())))
        return lines


def wait_until_synced(call_ids: list[str], *, timeout: float, poll: float = 0.25) -> float:
    """Seconds waited until every call's SyncJob is synced, or the timeout passed."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        jobs = SyncJob.objects.filter(call__vapi_call_id__in=call_ids)
        if jobs.count() == len(call_ids) and not jobs.exclude(state=SyncJob.State.SYNCED).exists():
            break
        time.sleep(poll)
    return time.monotonic() - started


def sync_outcome(call_ids: list[str], numbers: list[str], client: SalesforceClient, *, waited: float) -> SyncOutcome:
    jobs = SyncJob.objects.filter(call__vapi_call_id__in=call_ids)
    states = Counter(jobs.values_list("state", flat=True))
    attempts = SyncAttempt.objects.filter(job__in=jobs).values_list("api_requests", "batch_size")
    # A batch's requests are shared by the calls in it.
    requests = sum(api_requests / max(batch_size, 1) for api_requests, batch_size in attempts)
    return SyncOutcome(
        calls=len(call_ids), synced=states.get(SyncJob.State.SYNCED, 0), waited=waited,
        api_requests_per_call=requests / len(call_ids) if call_ids else 0.0,
        latencies=_latencies(call_ids), states=states,
        duplicate_tasks=_duplicates(client, "Task", "Vapi_Call_Id__c", call_ids, extra="TaskSubtype = 'Call'"),
        duplicate_leads=_duplicates(client, "Lead", "Phone", numbers),
    )


def _latencies(call_ids: list[str]) -> list[float]:
    """From the last delivery of each synced call (its report, when it came) to its sync."""
    arrived = dict(WebhookEvent.objects.filter(provider_call_id__in=call_ids).values("provider_call_id")
                   .annotate(last=Max("received_at")).values_list("provider_call_id", "last"))
    synced = SyncJob.objects.filter(call__vapi_call_id__in=call_ids, state=SyncJob.State.SYNCED)
    return [max((synced_at - arrived[call_id]).total_seconds(), 0.0)
            for call_id, synced_at in synced.values_list("call__vapi_call_id", "synced_at")
            if call_id in arrived and synced_at]


def _duplicates(client: SalesforceClient, sobject: str, key: str, values: list[str], *, extra: str = "") -> int:
    """Records beyond the first for each value of `key`: what a duplicate delivery would have left."""
    seen = Counter()
    for chunk in chunks(sorted(set(values)), _QUERY_CHUNK):
        listed = ", ".join(literal(value) for value in chunk)
        where = f"{key} IN ({listed})" + (f" AND {extra}" if extra else "")
        seen.update(row[key] for row in client.query(f"SELECT Id, {key} FROM {sobject} WHERE {where}"))
    return sum(count - 1 for count in seen.values() if count > 1)
