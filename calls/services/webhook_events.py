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

from calls.models import Provider, WebhookEvent
from integrations.vapi.secrets import is_secret_header, mask_json_text, mask_secrets
from observability.logs import call_context

logger = logging.getLogger(__name__)

Applier = Callable[[WebhookEvent], str]


def visible_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers without credentials: never stored, and a stored signature would let anyone who can
    read the database replay the request. Authorization, Cookie, X-Vapi-Secret, x-signature,
    X-Twilio-Signature, x-api-key... go (integrations/vapi/secrets.py), and so does the header a Vapi
    HMAC credential was configured to sign in, whatever it is called."""
    signature_header = settings.VAPI_WEBHOOK_HMAC_SIGNATURE_HEADER.lower()
    return {name: value for name, value in headers.items()
            if not is_secret_header(name) and name.lower() != signature_header}


def storable_body(provider: str, body: str) -> str:
    """The body as it is stored: a Vapi body without the credentials Vapi echoes back (its servers'
    secrets, auth headers, credentials). Called after the signature was checked over the exact bytes
    and the record parsed (its dedupe key included): what is stored parses to the same record, but
    for the masked values."""
    return mask_json_text(body) if provider == Provider.VAPI else body


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
        body=storable_body(provider, body),
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


def mask_stored_secrets(event_model, call_model, batch: int = 500) -> dict[str, int]:
    """Mask the credentials in what was stored before bodies were masked on arrival: webhook bodies and
    headers, and the variableValues / metadata calls copied from them. Idempotent: a row with nothing
    left to mask is not written. Models are passed in, so a migration can hand over its historical ones."""
    counts = {"events": 0, "events_masked": 0, "calls_masked": 0}
    for rows in _in_batches(event_model.objects.only("pk", "provider", "headers", "body"), batch):
        for event in rows:
            counts["events"] += 1
            changed = _masked_fields(event, body=storable_body(event.provider, event.body),
                                     headers=visible_headers(event.headers))
            if changed:
                event_model.objects.filter(pk=event.pk).update(**changed)
                counts["events_masked"] += 1
    for rows in _in_batches(call_model.objects.only("pk", "variable_values", "metadata"), batch):
        for call in rows:
            changed = _masked_fields(call, variable_values=mask_secrets(call.variable_values),
                                     metadata=mask_secrets(call.metadata))
            if changed:
                call_model.objects.filter(pk=call.pk).update(**changed)
                counts["calls_masked"] += 1
    return counts


def _in_batches(queryset, size: int):
    """Rows in pk order, `size` at a time: a large table is never read at once."""
    last_pk = 0
    while rows := list(queryset.filter(pk__gt=last_pk).order_by("pk")[:size]):
        yield rows
        last_pk = rows[-1].pk


def _masked_fields(row, **masked) -> dict:
    """The fields whose masked value differs from the stored one (the masking returns the very
    object it was given when there was nothing to mask)."""
    return {name: value for name, value in masked.items() if value != getattr(row, name)}
