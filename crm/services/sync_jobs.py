"""The life of a SyncJob: claimed by one worker, then synced, retried, parked or dead-lettered.

A claim is a lease: a worker killed mid-sync leaves its jobs in flight, and once the
lease runs out any worker may claim them again. Writes to Salesforce are idempotent,
so finishing twice is harmless; the claim token keeps a late finisher from
overwriting the newer claim's outcome."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from calls.models import Provider, WebhookEvent
from crm.models import SyncAttempt, SyncJob
from integrations.salesforce.errors import ErrorKind, SalesforceError

# The default lease (CALLSYNC_SYNC_LEASE_SECONDS): longer than the sync task's hard time
# limit, which crm/tasks.py derives from it, so an expired lease means the worker is gone.
LEASE = timedelta(seconds=330)
# How often jobs that wait for configuration or budget look again.
NOT_CONFIGURED_RECHECK = timedelta(minutes=1)
BUDGET_RECHECK = timedelta(minutes=10)

_NEVER_DEAD = {ErrorKind.LIMIT_EXCEEDED, ErrorKind.AUTH_FAILED}


@dataclass
class Claim:
    token: uuid.UUID
    jobs: list[SyncJob]
    revisions: dict[int, int] = field(default_factory=dict)
    started_at: datetime = field(default_factory=timezone.now)


def lease() -> timedelta:
    """How long a claim holds: after it, a job still in flight belongs to a dead worker."""
    return timedelta(seconds=settings.CALLSYNC_SYNC_LEASE_SECONDS)


def claimable(now: datetime) -> Q:
    waiting = Q(state__in=SyncJob.WAITING, due_at__lte=now)
    abandoned = Q(state=SyncJob.State.IN_FLIGHT, claimed_at__lt=now - lease())
    if _vapi_events_waiting():
        # A call only Twilio has told of may be the phone leg of a Vapi call whose events wait to be
        # applied: once applied they join it, and its key in Salesforce becomes the Vapi call id.
        # Synced before that, the call would be written twice, under each key.
        return (waiting | abandoned) & Q(call__vapi_call_id__isnull=False)
    return waiting | abandoned


def _vapi_events_waiting() -> bool:
    return WebhookEvent.objects.filter(status=WebhookEvent.Status.RECEIVED, provider=Provider.VAPI, valid=True).exists()


def claim_jobs(*, first_job_id: int, limit: int) -> Claim | None:
    """Claim the given job if it is due, plus other due jobs up to `limit`, oldest first."""
    now = timezone.now()
    with transaction.atomic():
        due = SyncJob.objects.select_for_update(skip_locked=True, of=("self",)).filter(claimable(now))
        ids = list(due.filter(pk=first_job_id).values_list("pk", flat=True))
        if limit > len(ids):
            ids += due.exclude(pk=first_job_id).order_by("due_at").values_list("pk", flat=True)[: limit - len(ids)]
        if not ids:
            return None
        token = uuid.uuid4()
        SyncJob.objects.filter(pk__in=ids).update(state=SyncJob.State.IN_FLIGHT, claim_token=token, claimed_at=now)
    jobs = list(SyncJob.objects.filter(pk__in=ids).select_related("call", "call__lead").with_written()
                .order_by("due_at", "pk"))
    return Claim(token=token, jobs=jobs, revisions={job.pk: job.revision for job in jobs}, started_at=now)


def _held(claim: Claim, job: SyncJob) -> QuerySet[SyncJob]:
    return SyncJob.objects.filter(pk=job.pk, claim_token=claim.token)


def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter, capped; Salesforce's Retry-After is a floor."""
    ceiling = min(settings.CALLSYNC_SYNC_BACKOFF_CAP_SECONDS, settings.CALLSYNC_SYNC_BACKOFF_BASE_SECONDS * 2 ** attempts)
    return max(random.uniform(0, ceiling), retry_after or 0.0)


def mark_synced(claim: Claim, job: SyncJob, *, incomplete: bool) -> bool:
    """Record success; returns True when a newer revision arrived meanwhile and must go round again.

    What the sync wrote is kept apart, for success and failure alike (crm/services/synced_records.py)."""
    now = timezone.now()
    revision = claim.revisions[job.pk]
    # Decided in the UPDATE itself: a change committed a moment ago still sends the job round.
    state = Case(When(revision=revision, then=Value(SyncJob.State.SYNCED)), default=Value(SyncJob.State.PENDING))
    _held(claim, job).update(
        state=state, due_at=now, synced_revision=revision, attempts=0, claim_token=None, error_code="",
        error_fields="", last_error="", task_created=True, incomplete=incomplete, synced_at=now, updated_at=now,
    )
    return SyncJob.objects.filter(pk=job.pk, state=SyncJob.State.PENDING).exists()


def mark_failed(claim: Claim, job: SyncJob, error: SalesforceError) -> SyncAttempt.Outcome:
    """Retry, wait or dead-letter according to the kind of error; returns the attempt's outcome."""
    now = timezone.now()
    attempts = job.attempts + 1
    changes = {"attempts": attempts, "claim_token": None, "error_code": error.code or error.kind.value,
               "error_fields": ", ".join(error.fields)[:255], "last_error": str(error)[:4000], "updated_at": now}
    if error.code == "INVALID_FIELD_FOR_INSERT_UPDATE" and not job.task_created:
        # The Task exists (an earlier answer was lost): retry at once without create-only fields.
        changes["task_created"] = True
        outcome, state, due = SyncAttempt.Outcome.RETRY, SyncJob.State.RETRYING, now
    elif error.permanent or (error.kind not in _NEVER_DEAD and attempts >= settings.CALLSYNC_SYNC_MAX_ATTEMPTS):
        outcome, state, due = SyncAttempt.Outcome.DEAD, SyncJob.State.DEAD, now
    elif error.kind == ErrorKind.LIMIT_EXCEEDED:
        delay = max(backoff_seconds(attempts, error.retry_after), settings.CALLSYNC_SYNC_LIMIT_WAIT_SECONDS)
        outcome, state, due = SyncAttempt.Outcome.WAITING, SyncJob.State.WAITING_BUDGET, now + timedelta(seconds=delay)
    else:
        delay = backoff_seconds(attempts, error.retry_after)
        outcome, state, due = SyncAttempt.Outcome.RETRY, SyncJob.State.RETRYING, now + timedelta(seconds=delay)
    _held(claim, job).update(state=state, due_at=due, **changes)
    return outcome


def park(claim: Claim, *, state: SyncJob.State, reason: str) -> None:
    """Put every claimed job back to wait, without counting an attempt: nothing was sent."""
    recheck = NOT_CONFIGURED_RECHECK if state == SyncJob.State.NOT_CONFIGURED else BUDGET_RECHECK
    now = timezone.now()
    SyncJob.objects.filter(pk__in=[job.pk for job in claim.jobs], claim_token=claim.token).update(
        state=state, due_at=now + recheck, claim_token=None, last_error=reason[:4000], updated_at=now,
    )


def retry_now(jobs: QuerySet[SyncJob]) -> list[int]:
    """Make waiting jobs due now, keeping their attempt count (so retries still run out in time)."""
    now = timezone.now()
    ids = list(jobs.filter(state__in=SyncJob.WAITING).values_list("pk", flat=True))
    SyncJob.objects.filter(pk__in=ids).update(due_at=now, updated_at=now)
    return ids


def replay(jobs: QuerySet[SyncJob]) -> list[int]:
    """Send jobs again now with a fresh attempt count (dead letters after a mapping fix)."""
    now = timezone.now()
    ids = list(jobs.exclude(state=SyncJob.State.IN_FLIGHT).values_list("pk", flat=True))
    SyncJob.objects.filter(pk__in=ids).update(state=SyncJob.State.PENDING, due_at=now, attempts=0, updated_at=now)
    return ids
