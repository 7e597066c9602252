"""Finding, creating and joining Call rows; the rules every event follows.

Each event runs in one transaction that first locks its Call row, so two events
of the same call are applied one after the other, never interleaved.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, transaction

from calls.models import Call, Recording, WebhookEvent

logger = logging.getLogger(__name__)

STATUS_RANK = {status: rank for rank, status in enumerate(Call.Status.values)}


def _locked(**lookup) -> Call | None:
    return Call.objects.select_for_update().filter(**lookup).first()


def _create(**fields) -> Call | None:
    try:
        with transaction.atomic():  # a savepoint: losing a creation race is not an error
            return Call.objects.create(**fields)
    except IntegrityError:
        return None


def call_for_vapi(vapi_call_id: str, twilio_call_sid: str = "") -> Call:
    """The locked Call for a Vapi call id, joined with the Twilio leg it rides on."""
    for _ in range(3):
        call = _locked(vapi_call_id=vapi_call_id)
        if call is None and twilio_call_sid:
            call = _locked(twilio_call_sid=twilio_call_sid, vapi_call_id__isnull=True)
            if call is not None:
                call.vapi_call_id = vapi_call_id
                call.save(update_fields=["vapi_call_id", "updated_at"])
        if call is None:
            call = _create(vapi_call_id=vapi_call_id, twilio_call_sid=twilio_call_sid or None)
            if call is None:
                continue
        elif twilio_call_sid and not call.twilio_call_sid:
            _join_twilio_leg(call, twilio_call_sid)
        return call
    raise RuntimeError(f"could not find or create the call {vapi_call_id}")


def call_for_twilio(call_sid: str) -> Call:
    """The locked Call for a Twilio CallSid, created when Twilio speaks first."""
    for _ in range(3):
        call = _locked(twilio_call_sid=call_sid) or _create(twilio_call_sid=call_sid)
        if call is not None:
            return call
    raise RuntimeError(f"could not find or create the call {call_sid}")


def _join_twilio_leg(call: Call, call_sid: str) -> None:
    """Attach a CallSid to a Vapi call, folding in a row Twilio's callbacks made first."""
    twin = _locked(twilio_call_sid=call_sid)
    if twin is not None and twin.vapi_call_id:
        logger.warning("CallSid %s already belongs to Vapi call %s; not joined to %s", call_sid, twin.vapi_call_id, call.vapi_call_id)
        return
    if twin is not None:
        _merge_twilio_twin(into=call, twin=twin)
    call.twilio_call_sid = call_sid
    call.save(update_fields=["twilio_call_sid", "updated_at"])


def _merge_twilio_twin(*, into: Call, twin: Call) -> None:
    changed = fill_blank(
        into,
        customer_number=twin.customer_number,
        customer_number_raw=twin.customer_number_raw,
        twilio_status=twin.twilio_status,
        twilio_sequence=twin.twilio_sequence,
        ended_reason=twin.ended_reason,
        duration_seconds=twin.duration_seconds,
    )
    if into.direction == Call.Direction.UNKNOWN:
        into.direction = twin.direction
        changed.append("direction")
    changed += advance_status(into, twin.status)
    into.created_at = min(into.created_at, twin.created_at)
    Recording.objects.filter(call=twin).update(call=into)
    WebhookEvent.objects.filter(call=twin).update(call=into)
    twin.delete()
    into.save(update_fields=[*set(changed), "created_at", "updated_at"])


def save_applied(call: Call, event: WebhookEvent, changed: list[str]) -> None:
    """Write what an applied provider event changed, and its arrival as the call's last word from the
    provider (`last_provider_event_at`, the silent-call sweep's clock), in one UPDATE. Every applier
    ends here, so no provider event can forget the clock, and nothing else moves it."""
    if event.received_at > call.last_provider_event_at:  # an old event retried late does not move it back
        call.last_provider_event_at = event.received_at
        changed = [*changed, "last_provider_event_at"]
    if changed:
        call.save(update_fields=[*set(changed), "updated_at"])


def fill_blank(call: Call, **values) -> list[str]:
    """Set the fields that are still empty; the first value known wins, whatever the order."""
    changed = []
    for name, value in values.items():
        if value in (None, "", {}, []):
            continue
        if getattr(call, name) in (None, "", {}, []):
            setattr(call, name, value)
            changed.append(name)
    return changed


def advance_status(call: Call, status: str, at: datetime | None = None) -> list[str]:
    """Statuses only move forward: `in-progress` after `ended` changes nothing.

    `status_event_at` is the newest provider time seen for the current status, so
    it ends the same whichever of two `ended` events came first.
    """
    rank = STATUS_RANK.get(status)
    current = STATUS_RANK.get(call.status, -1)
    if rank is None or rank < current:
        return []
    if rank > current:
        call.status = status
        call.status_event_at = at
        return ["status", "status_event_at"]
    if at is not None and (call.status_event_at is None or at > call.status_event_at):
        call.status_event_at = at
        return ["status_event_at"]
    return []
