from celery import shared_task

from crm.models import SyncJob
from crm.services import outbox
from crm.services.sweeper import requeue_stuck_jobs
from crm.services.sync import run_sync
from crm.services.sync_jobs import LEASE
from observability import metrics
from observability.logs import call_context

# The names are those the tasks had in leads/tasks.py, before the sync moved to crm/: messages
# queued before a deploy name them, and so do CELERY_TASK_ROUTES and CELERY_BEAT_SCHEDULE. A worker
# that registered them under crm.tasks.* would drop those messages as unregistered.
SYNC_CALL_JOB = "leads.tasks.sync_call_job"
REQUEUE_STUCK_SYNC_JOBS = "leads.tasks.requeue_stuck_sync_jobs"


# The hard limit ends a hung attempt before its lease runs out, so no two workers
# ever hold the same job.
@shared_task(name=SYNC_CALL_JOB, ignore_result=True,
             soft_time_limit=LEASE.total_seconds() - 60, time_limit=LEASE.total_seconds() - 30)
def sync_call_job(job_id: int) -> dict[str, int]:
    """Sync the job's call, with any other due calls in the same batch."""
    with call_context(call_id_of_job(job_id)):
        report = run_sync(job_id)
    metrics.sync_finished(synced=report.synced, retried=len(report.retry), dead=report.failed - len(report.retry))
    for again in report.again:
        outbox.enqueue(again)
    for retry_id, delay in report.retry:
        outbox.enqueue(retry_id, delay)
    return {"claimed": report.claimed, "synced": report.synced, "failed": report.failed, "api_requests": report.api_requests}


@shared_task(name=REQUEUE_STUCK_SYNC_JOBS, ignore_result=True)
def requeue_stuck_sync_jobs() -> int:
    """Beat: queue again the due jobs whose message was lost (broker down, worker killed)."""
    return requeue_stuck_jobs()


def call_id_of_job(job_id: int) -> str:
    """The provider's id of the job's call, for the log lines of its sync (the batch may hold others)."""
    ids = SyncJob.objects.filter(pk=job_id).values_list("call__vapi_call_id", "call__twilio_call_sid").first()
    return next((value for value in ids or () if value), "")
