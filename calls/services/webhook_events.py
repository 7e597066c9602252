"""Inbound webhook requests: stored, and processed in a transaction of their own.

A new request is processed, then its row is inserted with the outcome, in one
transaction: the row and the work commit together, and the row is written once
instead of inserted and then updated. When processing fails (or its commit does),
everything it did rolls back and the row is inserted alone, marked failed with the
error, for the retry task and the admin to see. Either way the request is stored.

Processing a stored row again (retry task, admin) works the same way on the row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from calls.models import WebhookEvent
from observability.logs import call_context

logger = logging.getLogger(__name__)

# Credentials are never stored; a stored signature would let anyone who can read
# the database replay the request.
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-vapi-secret", "x-vapi-signature", "x-twilio-signature"}
)

Applier = Callable[[WebhookEvent], str]


def visible_headers(headers: Mapping[str, str]) -> dict[str, str]:
    hidden = SECRET_HEADERS | {settings.VAPI_WEBHOOK_HMAC_SIGNATURE_HEADER.lower()}
    return {name: value for name, value in headers.items() if name.lower() not in hidden}


def record_event(**fields) -> WebhookEvent:
    """Store what arrived (new_event's fields); a `rejection` marks it malformed and never processed."""
    event = new_event(**fields)
    event.save(force_insert=True)
    return event


def new_event(
    *,
    provider: str,
    path: str,
    headers: Mapping[str, str],
    body: str,
    remote_addr: str | None,
    event_type: str = "",
    provider_call_id: str = "",
    dedupe_key: str = "",
    rejection: str = "",
) -> WebhookEvent:
    """What arrived, as a row not yet saved (see receive_event)."""
    return WebhookEvent(
        provider=provider,
        path=path[:200],
        headers=visible_headers(headers),
        body=body,
        remote_addr=remote_addr or None,
        event_type=event_type[:64],
        provider_call_id=provider_call_id[:64],
        dedupe_key=dedupe_key[:200],
        valid=not rejection,
        status=WebhookEvent.Status.REJECTED if rejection else WebhookEvent.Status.RECEIVED,
        error=rejection,
    )


def already_applied(event: WebhookEvent) -> bool:
    """Another delivery of the same event was processed. Call it with the call row locked."""
    if not event.dedupe_key:
        return False
    applied = WebhookEvent.objects.filter(
        provider=event.provider, dedupe_key=event.dedupe_key, status=WebhookEvent.Status.PROCESSED
    )
    return (applied.exclude(pk=event.pk) if event.pk else applied).exists()


def receive_event(event: WebhookEvent, apply: Applier) -> str:
    """Process a new, unsaved event and insert it with its outcome; returns its status.

    Call it outside a transaction: the row commits with the work it did, or alone, marked failed."""
    if not _apply(event, apply, record=lambda: event.save(force_insert=True)):
        event.save(force_insert=True)
    return event.status


def process_event(event: WebhookEvent, apply: Applier) -> str:
    """Apply a stored event again and record the outcome on its row; returns the new status."""
    recorded = ["status", "processed_at", "error", "attempts", "call"]
    if not _apply(event, apply, record=lambda: event.save(update_fields=recorded)):
        event.save(update_fields=["status", "error", "attempts"])
    return event.status


def _apply(event: WebhookEvent, apply: Applier, *, record: Callable[[], None]) -> bool:
    """Apply the event and `record` its outcome in one transaction; False when that failed, with the
    failure noted on the event (not yet saved) and everything the attempt did rolled back."""
    event.attempts += 1
    call_id_before, processed_at_before = event.call_id, event.processed_at
    with call_context(event.provider_call_id):
        try:
            with transaction.atomic():
                event.status = apply(event)
                event.processed_at = timezone.now()
                event.error = ""
                record()
        except Exception as exc:  # recorded on the row and retried; the sender still gets its answer
            logger.exception("webhook event %s (%s %s) failed", event.pk or "(new)", event.provider, event.event_type)
            event.call_id = call_id_before  # the call may have been created in the rolled-back transaction
            event.processed_at = processed_at_before
            event.status = WebhookEvent.Status.FAILED
            event.error = f"{exc.__class__.__name__}: {exc}"[:2000]
            return False
    return True
