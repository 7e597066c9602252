"""Our Vapi fixtures checked against Vapi's own types (`vapi_server_sdk`, a dev dependency only).

Each recorded message is validated strictly against the SDK's model for its type, and the API
bodies against `Call`. The SDK is stricter than real traffic in places: those fixtures are listed
in KNOWN_DIFFERENCES with the reason, and the parser stays lenient (tests/calls/test_vapi_shapes.py).
The fields real payloads carry that the SDK does not model are printed (`pytest -s` or `-rA`).
The webhook path never imports the SDK (last test)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pydantic
import pytest
from vapi import types as sdk

from integrations.vapi import messages as vapi

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "vapi"

MODELS = {
    vapi.STATUS_UPDATE: sdk.ServerMessageStatusUpdate,
    vapi.TRANSCRIPT: sdk.ServerMessageTranscript,
    vapi.CONVERSATION_UPDATE: sdk.ServerMessageConversationUpdate,
    vapi.SPEECH_UPDATE: sdk.ServerMessageSpeechUpdate,
    vapi.END_OF_CALL_REPORT: sdk.ServerMessageEndOfCallReport,
    vapi.HANG: sdk.ServerMessageHang,
    vapi.TOOL_CALLS: sdk.ServerMessageToolCalls,
    vapi.ASSISTANT_REQUEST: sdk.ServerMessageAssistantRequest,
    vapi.TRANSFER_DESTINATION_REQUEST: sdk.ServerMessageTransferDestinationRequest,
    vapi.KNOWLEDGE_BASE_REQUEST: sdk.ServerMessageKnowledgeBaseRequest,
    vapi.USER_INTERRUPTED: sdk.ServerMessageUserInterrupted,
    "phone-call-control": sdk.ServerMessagePhoneCallControl,
    "voice-input": sdk.ServerMessageVoiceInput,
}

# Where real traffic and the SDK (3.0.0) disagree. The parser reads all of these.
KNOWN_DIFFERENCES = {
    "function-call.json": "the SDK has no model for the legacy function-call message",
    "assistant-started.json": "the SDK models assistant.started only as a client message",
    "tool-calls.json": "the SDK wants function.arguments as a string and `type`/`function` on every tool call; "
                       "real deliveries also send an object and the flat name/parameters shape",
    "tool-calls-toolcalls-key.json": "the SDK has no `toolCalls` list and requires toolWithToolCallList",
    "end-of-call-report-2024-top-level.json": "2024 reports carry an ISO `timestamp`, where the SDK wants a number",
    "status-update-2024-iso-timestamp.json": "2024 messages carry an ISO `timestamp`, where the SDK wants a number",
    "knowledge-base-request.json": "Vapi's own documented example sends OpenAI-style {role, content} messages, "
                                   "where the SDK wants {role, message, time, secondsFromStart} and messagesOpenAIFormatted",
}


def fixture_messages():
    """(fixture file, position, envelope or API body) for every Vapi fixture, old and new."""
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text())
        for position, item in enumerate(data if isinstance(data, list) else [data]):
            yield pytest.param(path.name, item, id=f"{path.stem}[{position}]" if isinstance(data, list) else path.stem)


def model_for(item: dict):
    if "message" not in item:  # a body of Vapi's REST API (POST /call, GET /call/{id})
        return sdk.Call, item
    message = item["message"]
    return MODELS.get(vapi.normalise_type(message["type"])), message


def unknown_fields(value, path: str = "") -> list[str]:
    """Paths of the fields the validated model kept as extras: what the SDK does not model."""
    if isinstance(value, pydantic.BaseModel):
        found = [f"{path}.{key}".lstrip(".") for key in (value.model_extra or {})]
        for name, field in type(value).model_fields.items():
            found += unknown_fields(getattr(value, name), f"{path}.{field.alias or name}")
        return found
    if isinstance(value, (list, tuple)):
        return sorted({found for item in value for found in unknown_fields(item, f"{path}[]")})
    return []


def validation_outcome(name: str, item: dict) -> tuple[bool, str]:
    model, data = model_for(item)
    if model is None:
        return False, "no SDK model for this type"
    try:
        validated = model.model_validate(data)
    except pydantic.ValidationError as exc:
        return False, f"{exc.error_count()} errors, first: {exc.errors()[0]['loc']} {exc.errors()[0]['msg']}"
    extras = unknown_fields(validated)
    print(f"\n{name} ({model.__name__}): fields the SDK does not know: {', '.join(extras) or 'none'}")
    return True, ""


@pytest.mark.parametrize("name, item", list(fixture_messages()))
def test_fixture_matches_the_sdk_or_is_a_known_difference(name, item):
    vapi.parse_message(item) if "message" in item else None  # our lenient parser reads every one
    valid, why = validation_outcome(name, item)
    if name in KNOWN_DIFFERENCES:
        assert not valid, f"{name} now validates: remove it from KNOWN_DIFFERENCES"
        print(f"\n{name}: known difference ({KNOWN_DIFFERENCES[name]}); SDK says {why}")
    else:
        assert valid, f"{name} fails the SDK's {model_for(item)[0]}: {why}"


def test_the_webhook_path_never_imports_the_sdk():
    code = ("import django, sys; django.setup(); import calls.webhooks.vapi, calls.services.waiting_events; "
            "print(sorted(m for m in sys.modules if m == 'vapi' or m.startswith('vapi.')))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == "[]"
