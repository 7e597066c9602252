"""Twilio voice callbacks parsed into normalised records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from integrations.errors import PayloadError

VOICE = "voice"
CALL_STATUS = "call-status"
RECORDING_STATUS = "recording-status"

# Twilio's terminal call statuses, in Vapi's ended-reason vocabulary so that the
# core reads one set of reasons whichever provider reported the end.
ENDED_REASONS = {
    "busy": "customer-busy",
    "no-answer": "customer-did-not-answer",
    "failed": "twilio-failed-to-connect-call",
    "canceled": "customer-ended-call",
    "completed": "",
}
DIRECTIONS = {"inbound": "inbound", "outbound-api": "outbound", "outbound-dial": "outbound"}




# Sequence numbers and durations are counts; anything outside what a count column holds is noise.
_MAX_COUNT = 2 ** 31 - 1
# CallSids and RecordingSids are 34 characters; the columns that hold them take 64.
MAX_SID_LENGTH = 64
# Twilio's statuses are short words ("in-progress" is the longest); a longer value is none of them.
MAX_STATUS_LENGTH = 16


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is None or 0 <= number <= _MAX_COUNT else None


def _status(value: str) -> str:
    return value if len(value) <= MAX_STATUS_LENGTH else ""


@dataclass(frozen=True)
class CallEvent:
    """A voice webhook (the call arriving) or a status callback."""

    kind: str
    call_sid: str
    account_sid: str
    call_status: str
    from_number: str
    to_number: str
    direction: str  # inbound / outbound / unknown
    sequence_number: int | None
    duration_seconds: int | None

    @property
    def is_terminal(self) -> bool:
        return self.call_status in ENDED_REASONS

    @property
    def ended_reason(self) -> str:
        return ENDED_REASONS.get(self.call_status, "")

    @property
    def dedupe_key(self) -> str:
        return f"{self.call_sid}:{self.kind}:{self.call_status}:{self.sequence_number}"


@dataclass(frozen=True)
class RecordingEvent:
    kind: str
    call_sid: str
    account_sid: str
    recording_sid: str
    recording_url: str
    recording_status: str
    duration_seconds: int | None

    @property
    def dedupe_key(self) -> str:
        return f"{self.call_sid}:{self.kind}:{self.recording_sid}:{self.recording_status}"


def _required(params: Mapping, *names: str) -> None:
    missing = [name for name in names if not params.get(name)]
    if missing:
        raise PayloadError(f"not a Twilio callback: missing {', '.join(missing)}")
    too_long = [name for name in names if len(params[name]) > MAX_SID_LENGTH]
    if too_long:
        raise PayloadError(f"not a Twilio callback: {', '.join(too_long)} longer than {MAX_SID_LENGTH} characters")


def parse_call_event(params: Mapping, kind: str) -> CallEvent:
    _required(params, "CallSid")
    return CallEvent(
        kind=kind,
        call_sid=params["CallSid"],
        account_sid=params.get("AccountSid", ""),
        call_status=_status(params.get("CallStatus", "")),
        from_number=params.get("From", ""),
        to_number=params.get("To", ""),
        direction=DIRECTIONS.get(params.get("Direction", ""), "unknown"),
        sequence_number=_int(params.get("SequenceNumber")),
        duration_seconds=_int(params.get("CallDuration")),
    )


def parse_recording_event(params: Mapping) -> RecordingEvent:
    _required(params, "CallSid", "RecordingSid")
    return RecordingEvent(
        kind=RECORDING_STATUS,
        call_sid=params["CallSid"],
        account_sid=params.get("AccountSid", ""),
        recording_sid=params["RecordingSid"],
        recording_url=params.get("RecordingUrl", ""),
        recording_status=_status(params.get("RecordingStatus", "")),
        duration_seconds=_int(params.get("RecordingDuration")),
    )


def form_params(body: bytes | str) -> dict[str, str]:
    """Twilio posts form-encoded bodies; a repeated parameter keeps its last value. NUL characters,
    which no Twilio value holds and PostgreSQL cannot store, are dropped."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    return {name: value.replace("\x00", "") for name, value in parse_qsl(text, keep_blank_values=True)}


def parse_form(kind: str, body: bytes | str) -> CallEvent | RecordingEvent:
    params = form_params(body)
    if kind == RECORDING_STATUS:
        return parse_recording_event(params)
    if kind in (VOICE, CALL_STATUS):
        return parse_call_event(params, kind)
    raise PayloadError(f"unknown Twilio callback kind {kind!r}")
