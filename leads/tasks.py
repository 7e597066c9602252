from celery import shared_task

from leads.services import outbox
from leads.services.sweeper import requeue_stuck_jobs
from leads.services.sync import run_sync
from leads.services.sync_jobs import LEASE


# The hard limit ends a hung attempt before its lease runs out, so no two workers
# ever hold the same job.
@shared_task(ignore_result=True, soft_time_limit=LEASE.total_seconds() - 60, time_limit=LEASE.total_seconds() - 30)
def sync_call_job(job_id: int) -> dict[str, int]:
    """Sync the job's call, with any other due calls in the same batch."""
    report = run_sync(job_id)
    for again in report.again:
        outbox.enqueue(again)
    for retry_id, delay in report.retry:
        outbox.enqueue(retry_id, delay)
    return {"claimed": report.claimed, "synced": report.synced, "failed": report.failed, "api_requests": report.api_requests}


@shared_task(ignore_result=True)
def requeue_stuck_sync_jobs() -> int:
    """Beat: queue again the due jobs whose message was lost (broker down, worker killed)."""
    return requeue_stuck_jobs()
