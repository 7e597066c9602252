"""Vapi server messages, parsed leniently into plain normalised records.

Only a missing envelope or type rejects a message: a field Vapi adds, omits or
sends with another type never does (it is read as empty), because losing a call
over a schema drift is worse than a blank field. Every shape real deliveries use is
read (integrations/vapi/readers.py makes each value safe to store).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from integrations.errors import PayloadError
from integrations.vapi.readers import MAX_DEPTH, as_dict, as_list, digest, from_millis, moment, number
from integrations.vapi.readers import pruned, storable, text, timestamp_ms, too_deep
from integrations.vapi.secrets import mask_secrets

logger = logging.getLogger("integrations.vapi")

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
KNOWLEDGE_BASE_REQUEST = "knowledge-base-request"
USER_INTERRUPTED = "user-interrupted"

KNOWN_TYPES = (
    STATUS_UPDATE, TRANSCRIPT, CONVERSATION_UPDATE, SPEECH_UPDATE, END_OF_CALL_REPORT, HANG, TOOL_CALLS, FUNCTION_CALL,
    ASSISTANT_REQUEST, TRANSFER_DESTINATION_REQUEST, KNOWLEDGE_BASE_REQUEST, USER_INTERRUPTED,
)
# Vapi waits for what callsync answers to these, with the caller on the line, and the answer
# depends on what is applied: they are applied before the answer. knowledge-base-request waits
# for an answer too, but callsync's (no documents) needs nothing applied: it is stored, answered
# at once and applied later, like the messages Vapi only tells.
AWAITING_ANSWER = frozenset({TOOL_CALLS, FUNCTION_CALL, ASSISTANT_REQUEST, TRANSFER_DESTINATION_REQUEST})

# Sent only while the caller is on the line: the call is in progress, whatever its snapshot says.
DURING_CALL = frozenset({TRANSCRIPT, CONVERSATION_UPDATE, SPEECH_UPDATE, USER_INTERRUPTED, HANG, TOOL_CALLS,
                         FUNCTION_CALL, TRANSFER_DESTINATION_REQUEST, KNOWLEDGE_BASE_REQUEST})

# Presigned recording URLs change on every delivery of the same report.
VOLATILE_KEYS = frozenset({"recordingUrl", "stereoRecordingUrl", "recording", "artifact", "call"})
# Call ids and CallSids are stored in columns of this size.
MAX_ID_LENGTH = 64
# How Vapi names the speakers in a transcript string ("AI: ...\nUser: ...").
TRANSCRIPT_SPEAKERS = {"ai": "assistant", "assistant": "assistant", "bot": "assistant", "user": "user"}


# --- records ------------------------------------------------------------------------


@dataclass(frozen=True)
class VapiCall:
    id: str
    type: str = ""
    # The call as it was when the message was built: stale (an end-of-call report says
    # "queued"). The message's type decides the call's state, never this.
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
        return from_millis(self.time_ms)


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
        return from_millis(self.timestamp_ms)

    @property
    def dedupe_key(self) -> str:
        """Equal for two deliveries of the same event, different for two events (with or without a call)."""
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
        # Without a call id, the status alone would make every call-less update one event.
        return f"{self.call_id}:{self.type}:{self.status}" if self.call_id else super().dedupe_key


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
        return f"{self.call_id}:{self.type}" if self.call_id else super().dedupe_key


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
    value = text(data.get(key))
    if len(value) > MAX_ID_LENGTH:
        raise PayloadError(f'"message.call.{key}" is longer than {MAX_ID_LENGTH} characters')
    return value


def parse_call(data: Any) -> VapiCall | None:
    data = as_dict(data)
    call_id = _id(data, "id")
    if not call_id:
        return None
    overrides = as_dict(data.get("assistantOverrides"))
    return VapiCall(
        id=call_id,
        type=text(data.get("type")),
        status=text(data.get("status")),
        customer_number=text(as_dict(data.get("customer")).get("number")),
        provider_call_id=_id(data, "phoneCallProviderId"),
        phone_number_id=text(data.get("phoneNumberId")),
        assistant_id=text(data.get("assistantId")),
        # What the call record keeps is stored and shown: the credentials Vapi echoes never are.
        variable_values=mask_secrets(storable(as_dict(overrides.get("variableValues")))),
        metadata=mask_secrets(storable(as_dict(overrides.get("metadata")) or as_dict(data.get("metadata")))),
        started_at=moment(data.get("startedAt"), "call.startedAt"),
        ended_at=moment(data.get("endedAt"), "call.endedAt"),
        ended_reason=text(data.get("endedReason")),
    )


def parse_utterances(messages: Any) -> tuple[Utterance, ...]:
    """Spoken turns only: system prompts and tool plumbing are not part of the transcript.
    Vapi's own format says `message`; the OpenAI format (`conversation`) says `content`."""
    utterances = []
    for item in as_list(messages):
        item = as_dict(item)
        role = text(item.get("role"))
        said = text(item.get("message")) or text(item.get("content"))
        if role in ("user", "bot", "assistant") and said.strip():
            utterances.append(
                Utterance(
                    role="assistant" if role == "bot" else role,
                    text=said,
                    time_ms=timestamp_ms(item.get("time"), "a turn's time"),
                    seconds_from_start=number(item.get("secondsFromStart"), "a turn's secondsFromStart"),
                )
            )
    return tuple(utterances)


def parse_transcript(transcript: Any) -> tuple[Utterance, ...]:
    """Turns from a transcript string as Vapi writes it, one "AI: ..." or "User: ..." line per
    turn; a line without a speaker continues the turn before it. It carries no times."""
    turns: list[list[str]] = []
    for line in text(transcript).splitlines():
        speaker, colon, said = line.partition(":")
        role = TRANSCRIPT_SPEAKERS.get(speaker.strip().lower()) if colon else None
        if role is not None:
            turns.append([role, said.strip()])
        elif turns and line.strip():
            turns[-1][1] = f"{turns[-1][1]} {line.strip()}".strip()
    return tuple(Utterance(role=role, text=said) for role, said in turns if said)


def _first_spoken(*sources: Any) -> tuple[Utterance, ...]:
    """The turns of the first source that has any: an empty list or a blank string is no conversation."""
    for source in sources:
        utterances = parse_transcript(source) if isinstance(source, str) else parse_utterances(source)
        if utterances:
            return utterances
    return ()


def _arguments(value: Any) -> tuple[dict | None, str]:
    if value is None or value == "":
        return {}, ""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None, "arguments are not valid JSON"
        except RecursionError:
            return None, "arguments nest too deeply"
        value = pruned(value) if too_deep(value) else value
    if isinstance(value, dict):
        return storable(value), ""
    return None, "arguments must be a JSON object"


def parse_tool_call(item: Any) -> ToolCall:
    item = as_dict(item)
    function = as_dict(item.get("function"))
    name = text(function.get("name")) or text(item.get("name"))
    for source in (function, item):
        for key in ("arguments", "parameters"):
            if key in source:
                arguments, error = _arguments(source[key])
                return ToolCall(id=text(item.get("id")), name=name, arguments=arguments, arguments_error=error)
    return ToolCall(id=text(item.get("id")), name=name, arguments={})


def _tool_calls(message: dict) -> tuple[ToolCall, ...]:
    if message.get("functionCall") is not None:  # legacy function-call
        return (parse_tool_call(message["functionCall"]),)
    items = as_list(message.get("toolCallList")) or as_list(message.get("toolCalls"))
    if not items:
        items = [as_dict(entry).get("toolCall") for entry in as_list(message.get("toolWithToolCallList"))]
    return tuple(parse_tool_call(item) for item in items)


def _success_evaluation(value: Any) -> str:
    """Model output, as a string ("true", "8", prose), a bool or a number: kept as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return text(value)
    if isinstance(value, (dict, list)):
        return json.dumps(storable(value))
    return text(value)


def _report_fields(message: dict) -> dict:
    artifact = as_dict(message.get("artifact"))
    analysis = as_dict(message.get("analysis"))
    call = as_dict(message.get("call"))
    started_at = moment(message.get("startedAt"), "startedAt") or moment(call.get("startedAt"), "call.startedAt")
    ended_at = moment(message.get("endedAt"), "endedAt") or moment(call.get("endedAt"), "call.endedAt")
    duration = number(message.get("durationSeconds"), "durationSeconds")
    if duration is None and started_at and ended_at:
        duration = (ended_at - started_at).total_seconds()
    structured = analysis.get("structuredData")
    return {
        "ended_reason": text(message.get("endedReason")) or text(call.get("endedReason")),
        "started_at": started_at,
        "ended_at": ended_at,
        "duration_seconds": duration,
        "cost": number(message.get("cost"), "cost"),
        "summary": text(analysis.get("summary")) or text(message.get("summary")),
        "structured_data": storable(
            structured if isinstance(structured, dict) else ({} if structured is None else {"value": structured})
        ),
        "success_evaluation": _success_evaluation(analysis.get("successEvaluation")),
        "recording_url": text(artifact.get("recordingUrl")) or text(message.get("recordingUrl")),
        "stereo_recording_url": text(artifact.get("stereoRecordingUrl")) or text(message.get("stereoRecordingUrl")),
        # Newer reports: artifact.messages. 2024 reports: top-level messages / transcript, with
        # artifact.messages an empty list.
        "utterances": _first_spoken(
            artifact.get("messages"), message.get("messages"), artifact.get("transcript"), message.get("transcript")
        ),
    }


def parse_message(envelope: Any) -> VapiMessage:
    """Parse a decoded JSON body; raise PayloadError when it is no Vapi message."""
    if not isinstance(envelope, dict) or not isinstance(envelope.get("message"), dict):
        raise PayloadError('expected a JSON object with a "message" object')
    message = envelope["message"]
    raw_type = message.get("type")
    if not isinstance(raw_type, str) or not raw_type.strip():
        raise PayloadError('"message.type" is missing')
    raw_type = text(raw_type)
    if too_deep(message):
        logger.warning("a Vapi %s message nests deeper than %d levels: the deeper values are ignored", raw_type[:64], MAX_DEPTH)
        message = pruned(message)
    kind = normalise_type(raw_type.strip())
    common = {
        "type": kind,
        "raw_type": raw_type,
        "call": parse_call(message.get("call")),
        "timestamp_ms": timestamp_ms(message.get("timestamp"), "timestamp"),
        "raw": message,
    }
    if kind == STATUS_UPDATE:
        return StatusUpdate(**common, status=text(message.get("status")), ended_reason=text(message.get("endedReason")))
    if kind == TRANSCRIPT:
        transcript_type = text(message.get("transcriptType")) or ("final" if "final" in raw_type else "partial")
        return Transcript(
            **common, role=text(message.get("role")), transcript_type=transcript_type, text=text(message.get("transcript"))
        )
    if kind == CONVERSATION_UPDATE:
        artifact = as_dict(message.get("artifact"))
        utterances = _first_spoken(message.get("messages"), artifact.get("messages"), message.get("conversation"))
        return ConversationUpdate(**common, utterances=utterances)
    if kind == END_OF_CALL_REPORT:
        return EndOfCallReport(**common, **_report_fields(message))
    if kind in (TOOL_CALLS, FUNCTION_CALL):
        return ToolCallsRequest(**common, tool_calls=_tool_calls(message))
    return VapiMessage(**common)


def report_envelope_from_api_call(call: dict) -> dict:
    """An end-of-call-report envelope built from a call fetched with GET /call/{id}, so a
    report Vapi never delivered is applied exactly as a delivered one would be."""
    report_keys = ("endedReason", "artifact", "analysis", "startedAt", "endedAt", "cost", "summary",
                   "messages", "transcript", "recordingUrl", "stereoRecordingUrl")
    return {"message": {"type": END_OF_CALL_REPORT, "call": call, **{key: call[key] for key in report_keys if key in call}}}


def parse_json(body: bytes | str) -> VapiMessage:
    try:
        data = json.loads(body)
    except ValueError:
        raise PayloadError("the body is not JSON") from None
    except RecursionError:  # nesting no real message has, deep enough to exhaust the parser's stack
        raise PayloadError("the body nests too deeply") from None
    return parse_message(data)
