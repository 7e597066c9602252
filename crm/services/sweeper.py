"""Jobs whose task message never arrived, or whose worker died, are queued again."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from crm.models import SyncJob
from crm.services import outbox
from crm.services.sync_jobs import claimable
from integrations.salesforce.config import SalesforceConfig

logger = logging.getLogger(__name__)

def queued_recently() -> timedelta:
    """A message queued this recently is probably still on its way (or waiting in a busy queue)."""
    return timedelta(seconds=settings.CALLSYNC_SYNC_QUEUED_RECENTLY_SECONDS)


def requeue_stuck_jobs(limit: int = 500) -> int:
    now = timezone.now()
    stuck = SyncJob.objects.filter(claimable(now)).filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - queued_recently()))
    if not SalesforceConfig.from_settings().configured:
        stuck = stuck.exclude(state=SyncJob.State.NOT_CONFIGURED)  # they would only be parked again
    stuck = (
        stuck
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    queued = sum(outbox.enqueue(job_id) for job_id in stuck)
    if queued:
        logger.info("queued %d stuck sync job(s) again", queued)
    return queued
