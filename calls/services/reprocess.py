"""Processing a stored webhook again: the retry task and the admin's reprocess action."""

from __future__ import annotations

import logging

from django.conf import settings

from calls.models import Provider, WebhookEvent
from calls.services.twilio_events import apply_twilio_record
from calls.services.vapi_events import CallBatch, apply_vapi_message
from calls.services.webhook_events import process_event
from integrations.errors import PayloadError
from integrations.twilio.messages import parse_form
from integrations.vapi.messages import parse_json

logger = logging.getLogger(__name__)


def reprocess_event(event: WebhookEvent, batch: CallBatch | None = None) -> str:
    """Apply a stored event (again) with the same services the webhook uses; a Vapi message in
    a `batch` leaves scoring and syncing to the batch's end."""
    try:
        if event.provider == Provider.VAPI:
            message = parse_json(event.body)
            return process_event(event, lambda stored: apply_vapi_message(event=stored, message=message, batch=batch))
        record = parse_form(event.event_type, event.body)
        return process_event(event, lambda stored: apply_twilio_record(event=stored, record=record))
    except PayloadError as exc:
        event.valid = False
        event.status = WebhookEvent.Status.REJECTED
        event.error = str(exc)
        event.save(update_fields=["valid", "status", "error"])
        return event.status


def events_to_retry():
    """Failed events with attempts left. Waiting ("received") events are the applier's
    (calls/services/waiting_events.py): a worker that died applying one rolled back and left
    it waiting."""
    return WebhookEvent.objects.filter(
        status=WebhookEvent.Status.FAILED, attempts__lt=settings.CALLSYNC_WEBHOOK_MAX_ATTEMPTS,
    ).order_by("received_at")


def retry_failed_events(limit: int = 500) -> dict[str, int]:
    """Reprocess failed or interrupted events, oldest first, in arrival order per call."""
    outcomes: dict[str, int] = {}
    for event in events_to_retry()[:limit]:
        status = reprocess_event(event)
        outcomes[status] = outcomes.get(status, 0) + 1
    if outcomes:
        logger.info("retried webhook events: %s", outcomes)
    return outcomes
