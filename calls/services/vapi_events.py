"""Applying normalised Vapi messages to the database."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from calls.consent import consent_from
from calls.models import Call, TranscriptSegment, WebhookEvent
from calls.phones import to_e164
from calls.services import transcripts
from calls.services.call_records import advance_status, call_for_vapi, fill_blank, save_applied
from calls.services.webhook_events import already_applied
from crm.services.outbox import sync_after_change
from integrations.vapi import messages as vapi
from leads.services.call_updates import mirror_consent
from leads.services.qualification import requalify

DIRECTIONS = {"inboundPhoneCall": Call.Direction.INBOUND, "outboundPhoneCall": Call.Direction.OUTBOUND, "webCall": Call.Direction.WEB}
def apply_vapi_message(*, event: WebhookEvent, message: vapi.VapiMessage, batch: CallBatch | None = None) -> str:
    """Bring the call up to date with one message; returns the event's outcome status.

    With a `batch` (several waiting messages of one call applied together), scoring and the
    request to sync wait for `batch.finish()`; without one they happen here."""
    if message.call is None:
        return WebhookEvent.Status.PROCESSED
    call = call_for_vapi(message.call.id, message.call.provider_call_id)
    event.call = call
    if already_applied(event):
        return WebhookEvent.Status.DUPLICATE
    at = message.timestamp or event.received_at
    changed = _absorb_call_info(call, message, at)
    applier = APPLIERS.get(message.type)
    if applier is not None:
        changed += applier(call, message, at)
    save_applied(call, event, changed)
    own_batch = batch is None
    batch = batch or CallBatch()
    batch.absorbed(call, event, changed, evidence=_brings_evidence(call, message, changed),
                   final=message.type == vapi.END_OF_CALL_REPORT)
    if own_batch:
        batch.finish()
    return WebhookEvent.Status.PROCESSED


class CallBatch:
    """What one call's messages, applied together, leave to do once at the end: score the call
    again (the score reads all of the call's evidence, so scoring once after the last message is
    scoring after each) and ask for a sync with everything that changed."""

    def __init__(self):
        self.call: Call | None = None
        self.changed: set[str] = set()
        self.final = False
        self.evidence_event: WebhookEvent | None = None  # the last message that may move the score
        self.queue_sync_task = True  # False: the caller sends one task for several calls' jobs
        self.sync_job_id: int | None = None

    def absorbed(self, call: Call, event: WebhookEvent, changed: list[str], *, evidence: bool, final: bool) -> None:
        self.call = call  # each message locks and reads the row afresh: the last one is current
        self.changed.update(changed)
        if evidence:
            self.evidence_event = event
            self.final = self.final or final

    @property
    def pending(self) -> bool:
        return self.call is not None and (self.evidence_event is not None or bool(self.changed))

    def finish(self) -> None:
        if not self.pending:
            return
        changed, outcome = self.changed, None
        if self.evidence_event is not None:
            outcome = requalify(call=self.call, final=self.final)
            if outcome is not None and (outcome.moved or outcome.disposition_changed):
                changed = changed | {"qualification"}
        # Redacted once, as stored: the pages show the kept redaction.
        transcripts.redact_call_text(self.call, qualification=outcome.qualification if outcome else None,
                                     final=self.final)
        if changed:
            job = sync_after_change(call=self.call, changed=list(changed), queue_task=self.queue_sync_task)
            self.sync_job_id = job.pk if job is not None else None


def _brings_evidence(call: Call, message: vapi.VapiMessage, changed: list[str]) -> bool:
    """The message may move the score: a caller's final line, a conversation update, the
    end-of-call report (which makes the score final)."""
    if message.type == vapi.END_OF_CALL_REPORT:
        return "report_received_at" in changed
    if message.type == vapi.CONVERSATION_UPDATE:
        return "conversation_event_at" in changed and call.report_received_at is None
    if isinstance(message, vapi.Transcript):
        caller_spoke = message.is_final and (message.role or "user") == "user" and bool(message.text.strip())
        return caller_spoke and call.report_received_at is None
    return False


def _absorb_call_info(call: Call, message: vapi.VapiMessage, at: datetime) -> list[str]:
    info = message.call
    changed = fill_blank(
        call,
        vapi_call_type=info.type,
        customer_number=to_e164(info.customer_number),
        customer_number_raw=info.customer_number[:64],
        assistant_id=info.assistant_id,
        phone_number_id=info.phone_number_id,
        variable_values=info.variable_values,
        metadata=info.metadata,
        started_at=info.started_at,
    )
    if call.direction == Call.Direction.UNKNOWN and info.type in DIRECTIONS:
        call.direction = DIRECTIONS[info.type]
        changed.append("direction")
    # Not `info.status`: a snapshot from when Vapi built the message (an end-of-call report says
    # "queued"). The type says it: a message sent during the call means it is in progress; status
    # updates and the report say the rest (APPLIERS).
    if message.type in vapi.DURING_CALL:
        changed += advance_status(call, Call.Status.IN_PROGRESS, at)
    return changed


def _status_update(call: Call, message: vapi.StatusUpdate, at: datetime) -> list[str]:
    changed = advance_status(call, message.status, at)
    if message.status == Call.Status.ENDED:
        changed += fill_blank(call, ended_reason=message.ended_reason[:128], ended_at=message.call.ended_at or at)
    return changed


def _transcript(call: Call, message: vapi.Transcript, at: datetime) -> list[str]:
    if message.is_final and message.text.strip() and call.report_received_at is None:
        transcripts.store_live(call, message.role or "user", message.text, message.timestamp)
    return []


def _conversation_update(call: Call, message: vapi.ConversationUpdate, at: datetime) -> list[str]:
    newest = call.conversation_event_at is None or at > call.conversation_event_at
    if not newest:
        return []  # an older snapshot than one already seen
    if call.report_received_at is None:  # after the report, its artifact is the transcript
        transcripts.store_conversation(call, TranscriptSegment.Source.CONVERSATION, message.utterances)
    call.conversation_event_at = at
    return ["conversation_event_at"]


def _end_of_call_report(call: Call, message: vapi.EndOfCallReport, at: datetime) -> list[str]:
    if call.report_received_at is not None:
        return []  # the first report wins; redeliveries differ only in presigned URLs
    call.ended_reason = message.ended_reason[:128] or call.ended_reason
    call.started_at = message.started_at or call.started_at
    call.ended_at = message.ended_at or call.ended_at or at
    call.duration_seconds = message.duration_seconds if message.duration_seconds is not None else call.duration_seconds
    call.cost = _decimal(message.cost)
    call.summary = message.summary
    call.structured_data = message.structured_data
    call.success_evaluation = message.success_evaluation
    call.recording_url = message.recording_url[:2048]
    call.stereo_recording_url = message.stereo_recording_url[:2048]
    call.consent = consent_from(message.structured_data.get("consent")) or call.consent
    call.report_received_at = timezone.now()
    transcripts.replace_with_report(call, message.utterances)
    mirror_consent(call)
    fields = [
        "ended_reason", "started_at", "ended_at", "duration_seconds", "cost", "summary", "structured_data",
        "success_evaluation", "recording_url", "stereo_recording_url", "consent", "report_received_at",
    ]
    return fields + advance_status(call, Call.Status.ENDED, at)


def _decimal(value: float | None) -> Decimal | None:
    if value is None or not abs(value) < 10**6:  # outside the column's range: not a real cost
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.0001"))
    except InvalidOperation:
        return None


APPLIERS = {
    vapi.STATUS_UPDATE: _status_update,
    vapi.TRANSCRIPT: _transcript,
    vapi.CONVERSATION_UPDATE: _conversation_update,
    vapi.END_OF_CALL_REPORT: _end_of_call_report,
}
