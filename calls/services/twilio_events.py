"""Applying Twilio voice callbacks, in any order relative to Vapi's events."""

from __future__ import annotations

from calls.models import Call, Recording, WebhookEvent
from calls.phones import to_e164
from calls.services.call_records import advance_status, call_for_twilio, fill_blank, save_applied
from calls.services.webhook_events import already_applied
from crm.services.outbox import sync_after_change
from integrations.twilio import messages as twilio

CALL_STATUSES = {
    "queued": Call.Status.QUEUED,
    "initiated": Call.Status.QUEUED,
    "ringing": Call.Status.RINGING,
    "in-progress": Call.Status.IN_PROGRESS,
    **{terminal: Call.Status.ENDED for terminal in twilio.ENDED_REASONS},
}
TWILIO_STATUS_RANK = {"queued": 0, "initiated": 1, "ringing": 2, "in-progress": 3, **{t: 4 for t in twilio.ENDED_REASONS}}
RECORDING_STATUS_RANK = {"in-progress": 0, "completed": 1, "absent": 1, "failed": 1}


def apply_call_event(*, event: WebhookEvent, record: twilio.CallEvent) -> str:
    call = call_for_twilio(record.call_sid)
    event.call = call
    if already_applied(event):
        return WebhookEvent.Status.DUPLICATE
    at = event.received_at
    customer = record.to_number if record.direction == "outbound" else record.from_number
    changed = fill_blank(call, customer_number=to_e164(customer), customer_number_raw=customer[:64])
    if call.direction == Call.Direction.UNKNOWN and record.direction != "unknown":
        call.direction = record.direction
        changed.append("direction")
    changed += _twilio_status(call, record)
    changed += advance_status(call, CALL_STATUSES.get(record.call_status, ""), at)
    if record.is_terminal and call.report_received_at is None:
        # Vapi's end-of-call report, when it comes, is the better source for both.
        changed += fill_blank(call, ended_reason=record.ended_reason, duration_seconds=record.duration_seconds, ended_at=at)
    save_applied(call, event, changed)
    if changed:
        sync_after_change(call=call, changed=changed)
    return WebhookEvent.Status.PROCESSED


def _twilio_status(call: Call, record: twilio.CallEvent) -> list[str]:
    changed = []
    rank = TWILIO_STATUS_RANK.get(record.call_status)
    if rank is not None and rank > TWILIO_STATUS_RANK.get(call.twilio_status, -1):
        call.twilio_status = record.call_status
        changed.append("twilio_status")
    seq = record.sequence_number
    if seq is not None and (call.twilio_sequence is None or call.twilio_sequence < seq):
        call.twilio_sequence = seq
        changed.append("twilio_sequence")
    return changed


def apply_recording_event(*, event: WebhookEvent, record: twilio.RecordingEvent) -> str:
    call = call_for_twilio(record.call_sid)
    event.call = call
    recording, created = Recording.objects.get_or_create(
        recording_sid=record.recording_sid, defaults={"call": call, "status": record.recording_status}
    )
    old_rank = -1 if created else RECORDING_STATUS_RANK.get(recording.status, -1)
    if created or RECORDING_STATUS_RANK.get(record.recording_status, -1) >= old_rank:
        recording.status = record.recording_status
        recording.url = record.recording_url[:2048] or recording.url
        recording.duration_seconds = record.duration_seconds if record.duration_seconds is not None else recording.duration_seconds
        recording.save()
    return WebhookEvent.Status.PROCESSED


def apply_twilio_record(*, event: WebhookEvent, record: twilio.CallEvent | twilio.RecordingEvent) -> str:
    if isinstance(record, twilio.RecordingEvent):
        return apply_recording_event(event=event, record=record)
    return apply_call_event(event=event, record=record)
