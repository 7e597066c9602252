"""Inbound webhook requests: stored first, then processed in a transaction of their own.

Processing runs in a transaction (a savepoint when the caller already holds one)
that rolls back alone: the stored row survives when processing fails, and the
failure is written on it for the retry task and the admin to see.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from django.db import transaction
from django.utils import timezone

from calls.models import WebhookEvent

logger = logging.getLogger(__name__)

# Credentials are never stored; a stored signature would let anyone who can read
# the database replay the request.
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-vapi-secret", "x-vapi-signature", "x-twilio-signature"}
)

Applier = Callable[[WebhookEvent], str]


def visible_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name.lower() not in SECRET_HEADERS}


def record_event(
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
    """Store what arrived; a `rejection` marks it malformed and never processed."""
    return WebhookEvent.objects.create(
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
    return (
        WebhookEvent.objects.filter(provider=event.provider, dedupe_key=event.dedupe_key, status=WebhookEvent.Status.PROCESSED)
        .exclude(pk=event.pk)
        .exists()
    )


def process_event(event: WebhookEvent, apply: Applier) -> str:
    """Apply an event atomically and record the outcome on its row; returns the new status."""
    event.attempts += 1
    call_id_before = event.call_id
    try:
        with transaction.atomic():
            event.status = apply(event)
            event.processed_at = timezone.now()
            event.error = ""
            event.save(update_fields=["status", "processed_at", "error", "attempts", "call"])
    except Exception as exc:  # recorded on the row and retried; the sender still gets its answer
        logger.exception("webhook event %s (%s %s) failed", event.pk, event.provider, event.event_type)
        event.call_id = call_id_before  # the call may have been created in the rolled-back transaction
        event.status = WebhookEvent.Status.FAILED
        event.error = f"{exc.__class__.__name__}: {exc}"[:2000]
        event.save(update_fields=["status", "error", "attempts"])
    return event.status
