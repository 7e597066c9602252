"""Webhook events applied after the answer.

Most Vapi messages (status updates, transcripts, conversation updates, the end-of-call
report) need no answer: the webhook stores the row, status "received", with one INSERT,
and answers. A worker applies what waits (`apply_waiting_events`, behind the task
calls.tasks.apply_waiting_webhook_events) one call at a time: it locks that call's
waiting rows (SKIP LOCKED, so two workers never take the same rows), applies them in
arrival order in one transaction, and scores and syncs the call once for all of them.

Nothing waits unseen:
- the webhook asks for a run after its row commits, unless a cache key says one is on its
  way; a run that finds nothing left clears the key, then keeps looking a moment
  (CALLSYNC_WEBHOOK_APPLY_LINGER_SECONDS), so a row stored meanwhile is either seen or
  schedules a run. A web process that saw a run on its way skips the cache for half that
  time: most webhooks cost the INSERT alone;
- when the run cannot be queued (broker or cache down), the web process applies the
  call's waiting events itself, as it would without a queue;
- a message that waits for an answer (tool calls, assistant-request) first applies its
  call's waiting events, so the answer knows everything the call said;
- beat runs the applier too (calls.tasks.retry_failed_webhook_events), for runs lost
  with a worker.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection, transaction

from privacy.fields import is_unreadable
from calls.models import WebhookEvent
from calls.services.reprocess import reprocess_event
from calls.services.vapi_events import CallBatch
from crm.services.outbox import enqueue
from observability.logs import call_context
from observability.metrics import webhook_event_applied

logger = logging.getLogger(__name__)

SCHEDULED_KEY = "callsync:waiting-webhook-events:scheduled"
# A run that died leaves the key behind; after this long the next event schedules again.
SCHEDULED_TTL_SECONDS = 10
# One call's events per transaction: enough for a long call's transcript, few enough
# that an in-call request for the same call never waits long behind the lock.
EVENTS_PER_CALL = 200
LINGER_POLL_SECONDS = 0.02


def store_to_apply_later(event: WebhookEvent) -> None:
    """Insert a new, unsaved event as waiting, and have it applied once it is committed.

    One round trip: Django's per-request health check (a SELECT 1 before the first query) is
    skipped, and an INSERT that finds the connection dead is tried once more on a new one."""
    connection.health_check_done = True
    try:
        event.save(force_insert=True)
    except (InterfaceError, OperationalError):
        if connection.in_atomic_block:
            raise
        connection.close()  # dropped by the database (a restart, an idle timeout): reconnect once
        event.save(force_insert=True)
    transaction.on_commit(lambda: _schedule_or_apply(event.provider, event.provider_call_id))


def _schedule_or_apply(provider: str, provider_call_id: str) -> None:
    if time.monotonic() - _run_seen_at < _quiet_window():
        return  # a run was on its way a moment ago: it lingers long enough to take this event too
    if not schedule_run():
        apply_waiting_for_call(provider, provider_call_id)


# When this process last saw a run on its way (monotonic seconds).
_run_seen_at = float("-inf")


def _quiet_window() -> float:
    """How long a process that saw a run on its way leaves the broker alone: less than a run
    lingers after its last event, so whatever the process stores meanwhile, a run still sees."""
    return settings.CALLSYNC_WEBHOOK_APPLY_LINGER_SECONDS / 2


def schedule_run() -> bool:
    """Queue a run of the applier unless one is on its way; False when it could not be queued."""
    global _run_seen_at
    from calls.tasks import apply_waiting_webhook_events  # the task module imports the services

    looked_at = time.monotonic()
    try:
        if cache.add(SCHEDULED_KEY, 1, timeout=SCHEDULED_TTL_SECONDS):
            apply_waiting_webhook_events.apply_async()
    except Exception as exc:  # broker or cache down: the caller applies the event itself
        logger.warning("could not queue the applier (%s: %s); applying in the web process", exc.__class__.__name__, exc)
        try:
            cache.delete(SCHEDULED_KEY)
        except Exception:  # the cache is what is down; its key expires by itself
            pass
        return False
    _run_seen_at = looked_at
    return True


def apply_waiting_events(max_events: int | None = None) -> int:
    """Apply waiting events, one call at a time, until none wait; returns how many were applied.

    After `max_events` it queues another run and returns, so a backlog is shared between runs."""
    max_events = max_events or settings.CALLSYNC_WEBHOOK_APPLY_BATCH
    applied = 0
    while applied < max_events:
        count = _apply_next_call()
        if not count:
            cache.delete(SCHEDULED_KEY)  # from here on, a new arrival schedules a run of its own
            _held_syncs.release()
            count = _linger()
            if not count:
                return applied
        applied += count
    _held_syncs.release()
    schedule_run()
    return applied


def _linger() -> int:
    """Look for new events a while before ending: processes that saw this run on its way leave the
    broker alone for half as long, and what they store meanwhile is this run's to apply."""
    deadline = time.monotonic() + settings.CALLSYNC_WEBHOOK_APPLY_LINGER_SECONDS
    while True:
        if _waiting().exists():
            return _apply_next_call()  # none when other runs hold them all: they linger in turn
        if time.monotonic() >= deadline:
            return 0
        time.sleep(LINGER_POLL_SECONDS)


def apply_waiting_for_call(provider: str, provider_call_id: str) -> int:
    """Apply one call's waiting events now (an in-call request, or no queue); returns how many.

    Events another process is applying are skipped: its lock on the call row makes the caller wait
    for them anyway."""
    if not provider_call_id or not _waiting().filter(provider=provider, provider_call_id=provider_call_id).exists():
        return 0
    return _apply_next_call(provider=provider, provider_call_id=provider_call_id)


def _waiting():
    return WebhookEvent.objects.filter(status=WebhookEvent.Status.RECEIVED, valid=True).order_by("received_at", "id")


def _apply_next_call(provider: str | None = None, provider_call_id: str | None = None) -> int:
    with transaction.atomic():
        events = _claim(provider, provider_call_id)
        if events:
            with call_context(events[0].provider_call_id):
                _apply_together(events)
    return len(events)


def _claim(provider: str | None, provider_call_id: str | None) -> list[WebhookEvent]:
    """Lock the waiting events of one call (the longest-waiting call unless named)."""
    waiting = _waiting().select_for_update(skip_locked=True)
    if provider_call_id is None:
        oldest = waiting.values_list("provider", "provider_call_id").first()
        if oldest is None:
            return []
        provider, provider_call_id = oldest
    return list(waiting.filter(provider=provider, provider_call_id=provider_call_id)[:EVENTS_PER_CALL])


def _apply_together(events: list[WebhookEvent]) -> None:
    batch = CallBatch()
    for event in events:
        if is_unreadable(event.body):
            _quarantine(event)
            continue
        outcome = reprocess_event(event, batch=batch)  # each in a savepoint: one failure fails that event alone
        webhook_event_applied(provider=event.provider, event_type=event.event_type, outcome=outcome)
    if not batch.pending:
        return
    batch.queue_sync_task = not _held_syncs.should_hold()
    try:
        with transaction.atomic():
            batch.finish()
    except Exception as exc:  # the events are applied; retrying the one that brought the last evidence scores again
        logger.exception("scoring or syncing a call after %s waiting events failed", len(events))
        _fail(batch.evidence_event or events[-1], exc)
        return
    _held_syncs.note(batch.sync_job_id, queued=batch.queue_sync_task)


class _HeldSyncs:
    """While a backlog is applied, calls' sync jobs are opened without a task each: the next task
    sent (for the call after which nothing waits, for every CALLSYNC_SYNC_BATCH_SIZE-th call, or
    at the end of the run) claims them all in one batch, one Salesforce request for up to 200
    calls instead of one each. Jobs whose task is lost are the sweeper's (beat)."""

    def __init__(self):
        self.job_id: int | None = None
        self.count = 0

    def should_hold(self) -> bool:
        return self.count < settings.CALLSYNC_SYNC_BATCH_SIZE - 1 and _waiting().exists()

    def note(self, job_id: int | None, *, queued: bool) -> None:
        if queued and job_id is not None:
            self.job_id, self.count = None, 0
        elif job_id is not None:
            self.job_id, self.count = job_id, self.count + 1

    def release(self) -> None:
        """Send the task the held jobs wait for."""
        if self.job_id is not None:
            enqueue(self.job_id)
            self.job_id, self.count = None, 0


_held_syncs = _HeldSyncs()


def _fail(event: WebhookEvent, exc: Exception) -> None:
    WebhookEvent.objects.filter(pk=event.pk).update(
        status=WebhookEvent.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000])


def _quarantine(event: WebhookEvent) -> None:
    """A body no key opens is set aside, failed with the reason and no attempts left, so the call's other
    events and every other call flow on; once the key is back, the admin's reprocess action applies it."""
    logger.error("webhook event %s: the body %s; set aside", event.pk, event.body.reason)
    WebhookEvent.objects.filter(pk=event.pk).update(
        status=WebhookEvent.Status.FAILED, attempts=max(event.attempts, settings.CALLSYNC_WEBHOOK_MAX_ATTEMPTS),
        error=f"Quarantined: the body {event.body.reason}.")
    webhook_event_applied(provider=event.provider, event_type=event.event_type, outcome=WebhookEvent.Status.FAILED)
