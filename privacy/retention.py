"""Deleting what callsync may no longer keep, in small batches that never hold up a webhook.

Past its window (CALLSYNC_RETENTION_TRANSCRIPT_DAYS, 90 by default) a call loses its
transcript, recording links, summary, extracted data, the assistant's tool arguments, the
redacted copies of all of these and the quotes behind its score; its row, times, disposition and score stay. Raw webhook
bodies and headers go after CALLSYNC_RETENTION_WEBHOOK_BODY_DAYS (30), and so do the kept
answers to Twilio's voice requests; the event rows stay, so the history of a call still shows
what arrived and when.

Each batch is its own short transaction and skips calls a webhook holds (SKIP LOCKED):
they are taken on the next run. What a call loses is declared in privacy/scrubbing.py."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from calls.models import Call, ToolInvocation, TranscriptSegment, TwilioHandoff, WebhookEvent
from privacy.scrubbing import scrub_calls

logger = logging.getLogger(__name__)


@dataclass
class PurgeReport:
    calls_scrubbed: int = 0
    segments_deleted: int = 0
    webhook_bodies_cleared: int = 0
    handoffs_deleted: int = 0
    dry_run: bool = False
    transcript_cutoff: str = ""
    webhook_cutoff: str = ""
    details: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"calls_scrubbed": self.calls_scrubbed, "segments_deleted": self.segments_deleted,
                "webhook_bodies_cleared": self.webhook_bodies_cleared, "handoffs_deleted": self.handoffs_deleted,
                "dry_run": self.dry_run,
                "transcript_cutoff": self.transcript_cutoff, "webhook_cutoff": self.webhook_cutoff}


def expired_calls(cutoff):
    """Calls older than the cutoff that still hold something spoken."""
    has_segments = Exists(TranscriptSegment.objects.filter(call=OuterRef("pk")))
    has_tool_arguments = Exists(ToolInvocation.objects.filter(call=OuterRef("pk"))
                                .filter(Q(arguments__isnull=False) | Q(redacted__isnull=False)))
    spoken = ~Q(summary="") | ~Q(recording_url="") | ~Q(stereo_recording_url="") | ~Q(structured_data={}) \
        | ~Q(next_steps="") | Q(redacted__isnull=False)
    return Call.objects.filter(created_at__lt=cutoff).filter(spoken | Q(has_segments) | Q(has_tool_arguments))


def expired_webhook_bodies(cutoff):
    return WebhookEvent.objects.filter(received_at__lt=cutoff).exclude(body="", headers={})


def expired_handoffs(cutoff):
    """Twilio hand-offs kept to answer a replayed voice request (calls/services/inbound_calls.py): a
    replay weeks later is no live call, and the TwiML names the call's media stream."""
    return TwilioHandoff.objects.filter(created_at__lt=cutoff)


def purge_expired(*, dry_run: bool = False, batch_size: int | None = None, now=None) -> PurgeReport:
    now = now or timezone.now()
    batch_size = batch_size or settings.CALLSYNC_RETENTION_BATCH_SIZE
    transcript_cutoff = now - timedelta(days=settings.CALLSYNC_RETENTION_TRANSCRIPT_DAYS)
    webhook_cutoff = now - timedelta(days=settings.CALLSYNC_RETENTION_WEBHOOK_BODY_DAYS)
    report = PurgeReport(dry_run=dry_run, transcript_cutoff=transcript_cutoff.isoformat(),
                         webhook_cutoff=webhook_cutoff.isoformat())
    if dry_run:
        calls = expired_calls(transcript_cutoff)
        report.calls_scrubbed = calls.count()
        report.segments_deleted = TranscriptSegment.objects.filter(call__in=calls.values("pk")).count()
        report.webhook_bodies_cleared = expired_webhook_bodies(webhook_cutoff).count()
        report.handoffs_deleted = expired_handoffs(webhook_cutoff).count()
        return report
    while (done := _scrub_call_batch(transcript_cutoff, batch_size))[0]:
        report.calls_scrubbed += done[0]
        report.segments_deleted += done[1]
    while cleared := _clear_webhook_batch(webhook_cutoff, batch_size):
        report.webhook_bodies_cleared += cleared
    while deleted := _delete_handoff_batch(webhook_cutoff, batch_size):
        report.handoffs_deleted += deleted
    logger.info("purge: %d call(s) scrubbed (%d transcript segments), %d webhook bodies cleared, %d Twilio "
                "hand-offs deleted",
                report.calls_scrubbed, report.segments_deleted, report.webhook_bodies_cleared, report.handoffs_deleted)
    return report


def _scrub_call_batch(cutoff, batch_size: int) -> tuple[int, int]:
    with transaction.atomic():
        ids = list(expired_calls(cutoff).select_for_update(skip_locked=True, of=("self",))
                   .order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return 0, 0
        return len(ids), scrub_calls(ids)


def _clear_webhook_batch(cutoff, batch_size: int) -> int:
    with transaction.atomic():
        ids = list(expired_webhook_bodies(cutoff).order_by("pk").values_list("pk", flat=True)[:batch_size])
        return WebhookEvent.objects.filter(pk__in=ids).update(body="", headers={}) if ids else 0


def _delete_handoff_batch(cutoff, batch_size: int) -> int:
    ids = list(expired_handoffs(cutoff).order_by("pk").values_list("pk", flat=True)[:batch_size])
    return TwilioHandoff.objects.filter(pk__in=ids).delete()[0] if ids else 0
