"""Vapi server messages, parsed leniently into plain normalised records.

Only a missing envelope or type rejects a message: a field Vapi adds, omits or
sends with another type never does (it is read as empty), because losing a call
over a schema drift is worse than a blank field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from integrations.errors import PayloadError

STATUS_UPDATE = "status-update"
TRANSCRIPT = "transcript"
CONVERSATION_UPDATE = "conversation-update"
SPEECH_UPDATE = "speech-update"
END_OF_CALL_REPORT = "end-of-call-report"
HANG = "hang"
TOOL_CALLS = "tool-calls"
FUNCTION_CALL = "function-call"
ASSISTANT_REQUEST = "assistant-request"
TRANSFER_DESTINATION_REQUEST = "transfer-destination-request"
USER_INTERRUPTED = "user-interrupted"

KNOWN_TYPES = (
    STATUS_UPDATE,
    TRANSCRIPT,
    CONVERSATION_UPDATE,
    SPEECH_UPDATE,
    END_OF_CALL_REPORT,
    HANG,
    TOOL_CALLS,
    FUNCTION_CALL,
    ASSISTANT_REQUEST,
    TRANSFER_DESTINATION_REQUEST,
    USER_INTERRUPTED,
)
# Vapi waits for what callsync answers to these, with the caller on the line; the rest are told.
AWAITING_ANSWER = frozenset({TOOL_CALLS, FUNCTION_CALL, ASSISTANT_REQUEST, TRANSFER_DESTINATION_REQUEST})

# Presigned recording URLs change on every delivery of the same report.
VOLATILE_KEYS = frozenset({"recordingUrl", "stereoRecordingUrl", "recording", "artifact", "call"})
# Call ids and CallSids are stored in columns of this size.
MAX_ID_LENGTH = 64




# --- lenient readers ----------------------------------------------------------------


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _storable(value: Any) -> Any:
    """Drop NUL characters, which PostgreSQL cannot store in text or jsonb."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_storable(item) for item in value]
    return value


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    if isinstance(value, str):
        return _storable(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _datetime(value: Any) -> datetime | None:
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    millis = _number(value)
    return _from_millis(millis) if millis is not None else None


def _from_millis(millis: float | None) -> datetime | None:
    if millis is None:
        return None
    try:
        return datetime.fromtimestamp(millis / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def digest(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# --- records ------------------------------------------------------------------------


@dataclass(frozen=True)
class VapiCall:
    id: str
    type: str = ""
    status: str = ""
    customer_number: str = ""
    provider_call_id: str = ""  # Twilio's CallSid for phone calls
    phone_number_id: str = ""
    assistant_id: str = ""
    variable_values: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    ended_reason: str = ""


@dataclass(frozen=True)
class Utterance:
    role: str
    text: str
    time_ms: float | None = None
    seconds_from_start: float | None = None

    @property
    def spoken_at(self) -> datetime | None:
        return _from_millis(self.time_ms)


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict | None  # None when the arguments could not be read
    arguments_error: str = ""


@dataclass(frozen=True, kw_only=True)
class VapiMessage:
    type: str  # one of KNOWN_TYPES, or the raw type for an unknown message
    raw_type: str
    call: VapiCall | None
    timestamp_ms: float | None
    raw: dict

    @property
    def timestamp(self) -> datetime | None:
        return _from_millis(self.timestamp_ms)

    @property
    def dedupe_key(self) -> str:
        """Equal for two deliveries of the same event, different for two events."""
        stable = {key: value for key, value in self.raw.items() if key not in VOLATILE_KEYS}
        return f"{self.call_id}:{self.type}:{digest(stable)}"

    @property
    def call_id(self) -> str:
        return self.call.id if self.call else ""


@dataclass(frozen=True, kw_only=True)
class StatusUpdate(VapiMessage):
    status: str
    ended_reason: str

    @property
    def dedupe_key(self) -> str:
        return f"{self.call_id}:{self.type}:{self.status}"


@dataclass(frozen=True, kw_only=True)
class Transcript(VapiMessage):
    role: str
    transcript_type: str  # "partial" or "final"
    text: str

    @property
    def is_final(self) -> bool:
        return self.transcript_type == "final"


@dataclass(frozen=True, kw_only=True)
class ConversationUpdate(VapiMessage):
    utterances: tuple[Utterance, ...]


@dataclass(frozen=True, kw_only=True)
class EndOfCallReport(VapiMessage):
    ended_reason: str
    started_at: datetime | None
    ended_at: datetime | None
    duration_seconds: float | None
    cost: float | None
    summary: str
    structured_data: dict
    success_evaluation: str
    recording_url: str
    stereo_recording_url: str
    utterances: tuple[Utterance, ...]

    @property
    def dedupe_key(self) -> str:
        # One report per call; redeliveries differ only in presigned URLs.
        return f"{self.call_id}:{self.type}"


@dataclass(frozen=True, kw_only=True)
class ToolCallsRequest(VapiMessage):
    tool_calls: tuple[ToolCall, ...]


# --- parsing ------------------------------------------------------------------------


def normalise_type(raw_type: str) -> str:
    """Map a raw type to a known one by prefix: `transcript[transcriptType="final"]` is a transcript."""
    for known in KNOWN_TYPES:
        if raw_type == known or raw_type.startswith(known + "["):
            return known
    return raw_type


def _id(data: dict, key: str) -> str:
    """An identifier as stored (64 characters at most): a longer one is no Vapi or Twilio id."""
    value = _str(data.get(key))
    if len(value) > MAX_ID_LENGTH:
        raise PayloadError(f'"message.call.{key}" is longer than {MAX_ID_LENGTH} characters')
    return value


def parse_call(data: Any) -> VapiCall | None:
    data = _dict(data)
    call_id = _id(data, "id")
    if not call_id:
        return None
    overrides = _dict(data.get("assistantOverrides"))
    return VapiCall(
        id=call_id,
        type=_str(data.get("type")),
        status=_str(data.get("status")),
        customer_number=_str(_dict(data.get("customer")).get("number")),
        provider_call_id=_id(data, "phoneCallProviderId"),
        phone_number_id=_str(data.get("phoneNumberId")),
        assistant_id=_str(data.get("assistantId")),
        variable_values=_storable(_dict(overrides.get("variableValues"))),
        metadata=_storable(_dict(overrides.get("metadata")) or _dict(data.get("metadata"))),
        started_at=_datetime(data.get("startedAt")),
        ended_at=_datetime(data.get("endedAt")),
        ended_reason=_str(data.get("endedReason")),
    )


def parse_utterances(messages: Any) -> tuple[Utterance, ...]:
    """Spoken turns only: system prompts and tool plumbing are not part of the transcript."""
    utterances = []
    for item in _list(messages):
        item = _dict(item)
        role = _str(item.get("role"))
        text = _str(item.get("message"))
        if role in ("user", "bot", "assistant") and text.strip():
            utterances.append(
                Utterance(
                    role="assistant" if role == "bot" else role,
                    text=text,
                    time_ms=_number(item.get("time")),
                    seconds_from_start=_number(item.get("secondsFromStart")),
                )
            )
    return tuple(utterances)


def _arguments(value: Any) -> tuple[dict | None, str]:
    if value is None or value == "":
        return {}, ""
    if isinstance(value, dict):
        return value, ""
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return None, "arguments are not valid JSON"
        if isinstance(decoded, dict):
            return decoded, ""
    return None, "arguments must be a JSON object"


def parse_tool_call(item: Any) -> ToolCall:
    item = _dict(item)
    function = _dict(item.get("function"))
    name = _str(function.get("name")) or _str(item.get("name"))
    for source in (function, item):
        for key in ("arguments", "parameters"):
            if key in source:
                arguments, error = _arguments(source[key])
                return ToolCall(id=_str(item.get("id")), name=name, arguments=arguments, arguments_error=error)
    return ToolCall(id=_str(item.get("id")), name=name, arguments={})


def _tool_calls(message: dict) -> tuple[ToolCall, ...]:
    if message.get("toolCallList") is not None:
        items = _list(message.get("toolCallList"))
    elif message.get("toolWithToolCallList") is not None:
        items = [_dict(entry).get("toolCall") for entry in _list(message.get("toolWithToolCallList"))]
    else:
        items = []
    if message.get("functionCall") is not None:  # legacy function-call
        items = [message["functionCall"]]
    return tuple(parse_tool_call(item) for item in items)


def _report_fields(message: dict) -> dict:
    artifact = _dict(message.get("artifact"))
    analysis = _dict(message.get("analysis"))
    call = _dict(message.get("call"))
    started_at = _datetime(message.get("startedAt")) or _datetime(call.get("startedAt"))
    ended_at = _datetime(message.get("endedAt")) or _datetime(call.get("endedAt"))
    duration = _number(message.get("durationSeconds"))
    if duration is None and started_at and ended_at:
        duration = (ended_at - started_at).total_seconds()
    structured = analysis.get("structuredData")
    evaluation = analysis.get("successEvaluation")
    if not isinstance(evaluation, str):
        evaluation = "" if evaluation is None else json.dumps(evaluation)
    return {
        "ended_reason": _str(message.get("endedReason")) or _str(call.get("endedReason")),
        "started_at": started_at,
        "ended_at": ended_at,
        "duration_seconds": duration,
        "cost": _number(message.get("cost")),
        "summary": _str(analysis.get("summary")) or _str(message.get("summary")),
        "structured_data": _storable(
            structured if isinstance(structured, dict) else ({} if structured is None else {"value": structured})
        ),
        "success_evaluation": evaluation,
        "recording_url": _str(artifact.get("recordingUrl")) or _str(message.get("recordingUrl")),
        "stereo_recording_url": _str(artifact.get("stereoRecordingUrl")) or _str(message.get("stereoRecordingUrl")),
        "utterances": parse_utterances(artifact.get("messages") if "messages" in artifact else message.get("messages")),
    }


def parse_message(envelope: Any) -> VapiMessage:
    """Parse a decoded JSON body; raise PayloadError when it is no Vapi message."""
    if not isinstance(envelope, dict) or not isinstance(envelope.get("message"), dict):
        raise PayloadError('expected a JSON object with a "message" object')
    message = envelope["message"]
    raw_type = message.get("type")
    if not isinstance(raw_type, str) or not raw_type.strip():
        raise PayloadError('"message.type" is missing')
    kind = normalise_type(raw_type.strip())
    common = {
        "type": kind,
        "raw_type": raw_type,
        "call": parse_call(message.get("call")),
        "timestamp_ms": _number(message.get("timestamp")),
        "raw": message,
    }
    if kind == STATUS_UPDATE:
        return StatusUpdate(**common, status=_str(message.get("status")), ended_reason=_str(message.get("endedReason")))
    if kind == TRANSCRIPT:
        transcript_type = _str(message.get("transcriptType")) or ("final" if "final" in raw_type else "partial")
        return Transcript(
            **common, role=_str(message.get("role")), transcript_type=transcript_type, text=_str(message.get("transcript"))
        )
    if kind == CONVERSATION_UPDATE:
        return ConversationUpdate(**common, utterances=parse_utterances(message.get("messages")))
    if kind == END_OF_CALL_REPORT:
        return EndOfCallReport(**common, **_report_fields(message))
    if kind in (TOOL_CALLS, FUNCTION_CALL):
        return ToolCallsRequest(**common, tool_calls=_tool_calls(message))
    return VapiMessage(**common)


def report_envelope_from_api_call(call: dict) -> dict:
    """An end-of-call-report envelope built from a call fetched with GET /call/{id}, so a
    report Vapi never delivered is applied exactly as a delivered one would be."""
    report_keys = ("endedReason", "artifact", "analysis", "startedAt", "endedAt", "cost", "summary")
    return {"message": {"type": END_OF_CALL_REPORT, "call": call, **{key: call[key] for key in report_keys if key in call}}}


def parse_json(body: bytes | str) -> VapiMessage:
    try:
        data = json.loads(body)
    except ValueError:
        raise PayloadError("the body is not JSON") from None
    except RecursionError:  # nesting no real message has, deep enough to exhaust the parser's stack
        raise PayloadError("the body nests too deeply") from None
    return parse_message(data)
