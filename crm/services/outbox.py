"""The sync outbox: a call's change and its SyncJob commit together; the task is queued on commit.

Several changes of one call coalesce into its one job: each bumps the job's revision,
and whichever worker runs next syncs the latest state."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from calls.models import Call
from crm.models import SyncJob

logger = logging.getLogger(__name__)

# A job that Salesforce already has must be written again after a change; a waiting
# job keeps its place unless the change makes it due sooner.
_RESTART = (SyncJob.State.SYNCED, SyncJob.State.DEAD)


def sync_after_change(*, call: Call, changed: list[str], queue_task: bool = True) -> SyncJob | None:
    """Salesforce hears of a call when it ends: at once when the report arrives, after a
    grace period when only the status says so (the report usually follows within
    seconds, and one write costs half of two). A score that moves after the end (a
    straggling line) is treated like the end itself; during the call nothing syncs.
    Returns the job asked to run, if any. Without `queue_task` no task is sent for it: the
    caller sends one for several jobs (calls/services/waiting_events.py), or the sweeper does."""
    if call.status != Call.Status.ENDED:
        return None
    if "report_received_at" in changed:
        return request_sync(call=call, queue_task=queue_task)
    if {"status", "qualification"} & set(changed):
        return request_sync(call=call, delay_seconds=settings.CALLSYNC_REPORT_GRACE_SECONDS, queue_task=queue_task)
    return None


def request_sync(*, call: Call, delay_seconds: float = 0.0, queue_task: bool = True) -> SyncJob:
    """Ask for the call to reach Salesforce in `delay_seconds`. Call it with the call row locked."""
    due = timezone.now() + timedelta(seconds=delay_seconds)
    job, created = SyncJob.objects.get_or_create(call=call, defaults={"due_at": due})
    if not created:
        _bump(job, due)
    if queue_task:
        enqueue_on_commit(job.pk, delay_seconds)
    return job


def _bump(job: SyncJob, due) -> None:
    changes = {"revision": F("revision") + 1}
    if job.state in _RESTART:
        changes.update(state=SyncJob.State.PENDING, due_at=due)
        if job.state == SyncJob.State.DEAD:
            changes["attempts"] = 0  # new data may be what the dead letter was missing
    elif job.state == SyncJob.State.PENDING and due < job.due_at:
        changes["due_at"] = due
    SyncJob.objects.filter(pk=job.pk).update(**changes, updated_at=timezone.now())


def enqueue_on_commit(job_id: int, delay_seconds: float = 0.0) -> None:
    transaction.on_commit(lambda: enqueue(job_id, delay_seconds))


def enqueue(job_id: int, delay_seconds: float = 0.0) -> bool:
    """Send the task; a broker that is down is not an error: the sweeper sends it later."""
    from crm.tasks import sync_call_job  # the task module imports the services

    try:
        sync_call_job.apply_async((job_id,), countdown=max(delay_seconds, 0.0) or None)
    except Exception as exc:  # any broker failure: the job row is committed and will be swept
        logger.warning("sync job %s not queued (%s: %s); the sweeper will queue it", job_id, exc.__class__.__name__, exc)
        return False
    SyncJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    return True
