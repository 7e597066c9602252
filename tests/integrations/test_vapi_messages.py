import json

import pytest

from integrations.errors import PayloadError
from integrations.vapi import messages as vapi
from integrations.vapi import readers
from tests.support.signing import vapi_fixture


@pytest.mark.parametrize(
    "fixture, kind, record",
    [
        ("assistant-request", vapi.ASSISTANT_REQUEST, vapi.VapiMessage),
        ("status-update-in-progress", vapi.STATUS_UPDATE, vapi.StatusUpdate),
        ("transcript-final", vapi.TRANSCRIPT, vapi.Transcript),
        ("transcript-final-typed", vapi.TRANSCRIPT, vapi.Transcript),
        ("transcript-partial", vapi.TRANSCRIPT, vapi.Transcript),
        ("conversation-update", vapi.CONVERSATION_UPDATE, vapi.ConversationUpdate),
        ("speech-update", vapi.SPEECH_UPDATE, vapi.VapiMessage),
        ("user-interrupted", vapi.USER_INTERRUPTED, vapi.VapiMessage),
        ("hang", vapi.HANG, vapi.VapiMessage),
        ("tool-calls", vapi.TOOL_CALLS, vapi.ToolCallsRequest),
        ("function-call", vapi.FUNCTION_CALL, vapi.ToolCallsRequest),
        ("transfer-destination-request", vapi.TRANSFER_DESTINATION_REQUEST, vapi.VapiMessage),
        ("end-of-call-report", vapi.END_OF_CALL_REPORT, vapi.EndOfCallReport),
    ],
)
def test_every_recorded_message_parses_to_its_record(fixture, kind, record):
    message = vapi.parse_message(vapi_fixture(fixture))
    assert message.type == kind
    assert type(message) is record
    assert message.call.id == "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
    assert message.call.provider_call_id == "CA1f2e3d4c5b6a79880123456789abcdef"


def test_typed_transcript_is_matched_by_prefix_and_final():
    message = vapi.parse_message(vapi_fixture("transcript-final-typed"))
    assert message.raw_type.startswith("transcript[")
    assert message.is_final


def test_end_of_call_report_fields():
    report = vapi.parse_message(vapi_fixture("end-of-call-report"))
    assert report.ended_reason == "customer-ended-call"
    assert report.summary
    assert report.structured_data["company"] == "Northwind Logistics"
    assert isinstance(report.success_evaluation, str)
    assert report.recording_url.startswith("https://")
    assert 200 < report.duration_seconds < 300
    assert len(report.utterances) >= 10
    assert {u.role for u in report.utterances} <= {"user", "assistant"}


def test_tool_call_shapes_all_read():
    message = vapi.parse_message(vapi_fixture("tool-calls"))
    calls = {call.name: call for call in message.tool_calls}
    assert calls["lookup_lead"].arguments == {"phone": "+14155550123"}  # JSON string
    assert calls["score_lead"].arguments["timeline"] == "6 weeks"  # object
    assert calls["request_callback"].arguments == {"when": "2026-11-20T10:00:00-08:00"}  # flat, "parameters"
    legacy = vapi.parse_message(vapi_fixture("function-call"))
    assert [(c.name, c.arguments) for c in legacy.tool_calls] == [("lookup_lead", {"phone": "+14155550123"})]


@pytest.mark.parametrize(
    "item, arguments, error",
    [
        ({"id": "1", "function": {"name": "x", "arguments": "{not json"}}, None, "not valid JSON"),
        ({"id": "1", "function": {"name": "x", "arguments": "[1, 2]"}}, None, "JSON object"),
        ({"id": "1", "name": "x", "arguments": 7}, None, "JSON object"),
        ({"id": "1", "name": "x"}, {}, ""),
        ({"id": "1", "function": {"name": "x", "arguments": ""}}, {}, ""),
    ],
)
def test_bad_tool_arguments_are_reported_not_raised(item, arguments, error):
    call = vapi.parse_tool_call(item)
    assert call.arguments == arguments
    assert error in call.arguments_error


def test_redeliveries_share_a_dedupe_key_and_distinct_events_do_not():
    first = vapi.parse_message(vapi_fixture("end-of-call-report"))
    again = vapi.parse_message(vapi_fixture("end-of-call-report-redelivery"))
    assert first.recording_url != again.recording_url
    assert first.dedupe_key == again.dedupe_key
    keys = {vapi.parse_message(vapi_fixture(name)).dedupe_key for name in ("transcript-final", "transcript-final-typed", "hang")}
    assert len(keys) == 3


def test_wrongly_typed_fields_read_as_empty_not_errors():
    envelope = {
        "message": {
            "type": "end-of-call-report",
            "call": {"id": "c1", "customer": "not-an-object", "assistantOverrides": []},
            "analysis": {"structuredData": ["a", "b"], "successEvaluation": True, "summary": 12},
            "artifact": {"messages": "nope"},
            "cost": "cheap",
            "startedAt": "not a date",
            "timestamp": "soon",
        }
    }
    report = vapi.parse_message(envelope)
    assert report.call.customer_number == ""
    assert report.structured_data == {"value": ["a", "b"]}
    assert report.success_evaluation == "true"
    assert report.cost is None and report.started_at is None and report.timestamp is None
    assert report.utterances == ()


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"message": "x"}', b'{"message": {}}', b'{"message": {"type": ""}}'])
def test_bodies_that_are_no_message_are_payload_errors(body):
    with pytest.raises(PayloadError):
        vapi.parse_json(body)


def test_nul_characters_are_dropped_from_stored_strings():
    envelope = {"message": {"type": "end-of-call-report", "call": {"id": "c1"}, "analysis": {"summary": "a\u0000b", "structuredData": {"k\u0000": "v\u0000"}}}}
    report = vapi.parse_message(json.loads(json.dumps(envelope)))
    assert report.summary == "ab"
    assert report.structured_data == {"k": "v"}


# --- the lenient readers, for the shapes real deliveries use (integrations/vapi/readers.py) ----

@pytest.mark.parametrize("value, millis", [
    (1719717579247, 1719717579247.0),
    ("1719717579247", 1719717579247.0),
    ("2024-06-30T03:20:01.177Z", 1719717601177.0),
    ("2024-06-30T03:20:01.177", 1719717601177.0),  # no zone: UTC
    ("2024-06-30T05:20:01.177+02:00", 1719717601177.0),
    ("soon", None), (None, None), (True, None), (float("nan"), None), ("inf", None),
])
def test_timestamps_are_epoch_milliseconds_or_iso_strings(value, millis):
    result = readers.timestamp_ms(value)
    assert result is None if millis is None else result == pytest.approx(millis)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), "nan", "Infinity", "-inf", 10**400])
def test_non_finite_numbers_read_as_absent_with_a_warning(value, caplog):
    assert readers.number(value, "durationSeconds") is None
    assert "durationSeconds" in caplog.text


def test_a_transcript_string_is_read_as_turns():
    transcript = "AI: Hello, this is Ava.\nUser: Hi. I need\na quote.\n\nAI: Sure.\nnoise before any speaker"
    turns = vapi.parse_transcript(transcript)
    assert [(t.role, t.text) for t in turns] == [
        ("assistant", "Hello, this is Ava."), ("user", "Hi. I need a quote."), ("assistant", "Sure. noise before any speaker")]
    assert vapi.parse_transcript("no speakers here") == ()


def test_an_empty_artifact_list_falls_back_to_the_next_place_with_turns():
    message = {"type": "end-of-call-report", "call": {"id": "c1"}, "artifact": {"messages": [{"role": "system", "message": "prompt"}]},
               "messages": [], "transcript": "User: hello"}
    assert [(t.role, t.text) for t in vapi.parse_message({"message": message}).utterances] == [("user", "hello")]


def test_deep_nesting_is_cut_at_max_depth_without_recursion():
    deep: dict = {}
    node = deep
    for _ in range(5000):  # far deeper than Python's recursion limit
        node["a"] = {}
        node = node["a"]
    assert readers.too_deep(deep) and not readers.too_deep({"a": {"b": [1]}})
    report = vapi.parse_message({"message": {"type": "end-of-call-report", "call": {"id": "c1"},
                                             "analysis": {"structuredData": deep}}})
    assert not readers.too_deep(report.raw, readers.MAX_DEPTH + 1)
    assert report.dedupe_key == "c1:end-of-call-report"


def test_lone_surrogates_become_replacement_characters():
    message = json.loads('{"message": {"type": "hang\\ud800", "call": {"id": "c\\udc00"}}}')
    parsed = vapi.parse_message(message)
    assert (parsed.raw_type, parsed.call_id) == ("hang\ufffd", "c\ufffd")
    parsed.dedupe_key.encode()  # storable as UTF-8
