"""Every shape real Vapi deliveries use, through the signed webhook, asserting the stored call.

The fixtures are recorded payloads from public sources (tests/fixtures/README.md); a test that
needs a variant of one changes only the field the variant is about."""

import json
from datetime import UTC, datetime

import pytest

from calls.models import Call, ToolInvocation, TranscriptSegment, WebhookEvent
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

REPORT_2024 = "end-of-call-report-2024-top-level"
SPOKEN_2024 = [
    ("assistant", "Hello. I'm Ava. How can I help you today?"),
    ("user", "Hi, Eva. How are you?"),
    ("assistant", "Hello. I'm here to help. How can I assist you with Poshmark today?"),
]


def turns(call: Call, source=TranscriptSegment.Source.REPORT):
    return [(s.role, s.text) for s in call.segments.filter(source=source).order_by("id")]


def moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC)


# --- where the conversation is ------------------------------------------------------------

def test_a_2024_report_keeps_its_top_level_turns_when_artifact_messages_is_empty(post_vapi):
    payload = vapi_fixture(REPORT_2024)
    assert payload["message"]["artifact"]["messages"] == []
    assert post_vapi(payload).status_code == 200
    call = Call.objects.get()
    assert turns(call) == SPOKEN_2024  # the system prompt is no turn
    segments = list(call.segments.order_by("id"))
    assert [s.seconds_from_start for s in segments] == [1.36, 5.5, 7.67]
    assert segments[0].spoken_at == datetime.fromtimestamp(1719717579.247, tz=UTC)
    assert call.status == Call.Status.ENDED
    assert call.status_event_at == moment("2024-06-30T03:20:01.177Z")  # the ISO `timestamp`
    assert call.success_evaluation == "false"
    assert call.recording_url.endswith("-mono.wav") and call.summary.startswith("The user greeted")


@pytest.mark.parametrize("where", ["message", "artifact"])
def test_a_report_with_only_a_transcript_string_keeps_its_turns(post_vapi, where):
    payload = vapi_fixture(REPORT_2024)
    message = payload["message"]
    transcript = message.pop("transcript")
    del message["messages"]
    (message if where == "message" else message["artifact"])["transcript"] = transcript
    post_vapi(payload)
    call = Call.objects.get()
    assert turns(call) == SPOKEN_2024
    assert all(s.seconds_from_start is None for s in call.segments.all())  # a string has no times


def test_newer_reports_still_read_artifact_messages_first(post_vapi):
    payload = vapi_fixture(REPORT_2024)
    message = payload["message"]
    message["artifact"]["messages"] = message.pop("messages")[:2]
    message["messages"] = [{"role": "user", "message": "a stale copy", "time": 1719717583387}]
    post_vapi(payload)
    assert turns(Call.objects.get()) == SPOKEN_2024[:1]


@pytest.mark.parametrize("variant", ["messages", "artifact-messages", "conversation"])
def test_conversation_update_reads_each_place_the_conversation_is_sent(post_vapi, variant):
    payload = vapi_fixture("conversation-update")
    message = payload["message"]
    expected = [("assistant" if m["role"] == "bot" else m["role"], m["message"])
                for m in message["messages"] if m["role"] != "system"]
    if variant == "artifact-messages":
        message["artifact"] = {"messages": message.pop("messages")}
    elif variant == "conversation":  # the legacy OpenAI-format copy: role/content
        del message["messages"]
    post_vapi(payload)
    stored = turns(Call.objects.get(), TranscriptSegment.Source.CONVERSATION)
    assert [role for role, _ in stored] == [role for role, _ in expected]
    assert [text for _, text in stored] == [text for _, text in expected]


# --- times ----------------------------------------------------------------------------------

def test_an_iso_timestamp_is_the_event_time(post_vapi):
    assert post_vapi(vapi_fixture("status-update-2024-iso-timestamp")).status_code == 200
    call = Call.objects.get()
    assert (call.status, call.ended_reason) == (Call.Status.ENDED, "silence-timed-out")
    assert call.status_event_at == moment("2024-06-30T02:53:31.333Z")
    assert call.ended_at == moment("2024-06-30T02:53:31.333Z")


def test_turn_times_as_iso_strings_or_numeric_strings_are_read(post_vapi):
    payload = vapi_fixture("conversation-update")
    spoken = [m for m in payload["message"]["messages"] if m["role"] != "system"]
    spoken[0]["time"] = "2026-11-19T15:04:07.002Z"
    spoken[1]["time"] = str(spoken[1]["time"])
    post_vapi(payload)
    segments = list(Call.objects.get().segments.order_by("id"))
    assert segments[0].spoken_at == moment("2026-11-19T15:04:07.002Z")
    assert segments[1].spoken_at == datetime.fromtimestamp(int(spoken[1]["time"]) / 1000, tz=UTC)


# --- state ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", ["transcript-final", "tool-calls", "speech-update"])
def test_a_message_sent_during_the_call_means_in_progress_whatever_its_snapshot(post_vapi, fixture):
    payload = vapi_fixture(fixture)
    payload["message"]["call"]["status"] = "queued"  # as stale as the snapshot in a report
    post_vapi(payload)
    call = Call.objects.get()
    assert call.status == Call.Status.IN_PROGRESS
    assert call.status_event_at == datetime.fromtimestamp(payload["message"]["timestamp"] / 1000, tz=UTC)


def test_a_snapshot_never_moves_the_status_on_a_message_that_says_nothing_of_it(post_vapi):
    payload = vapi_fixture("unknown-type")
    payload["message"]["call"]["status"] = "ended"
    post_vapi(payload)
    assert Call.objects.get().status == ""


def test_a_report_ends_the_call_whatever_its_snapshot_says(post_vapi):
    post_vapi(vapi_fixture("status-update-in-progress"))
    report = vapi_fixture("end-of-call-report")
    report["message"]["call"]["status"] = "queued"
    post_vapi(report)
    call = Call.objects.get(vapi_call_id=report["message"]["call"]["id"])
    assert call.status == Call.Status.ENDED


@pytest.mark.parametrize("sent, stored", [
    ("true", "true"), ("false", "false"), ("8", "8"), ("Pass: the caller booked a demo.", "Pass: the caller booked a demo."),
    (True, "true"), (False, "false"), (7, "7"), (0.85, "0.85"), (None, ""),
])
def test_success_evaluation_in_every_form_is_kept_as_text(post_vapi, sent, stored):
    payload = vapi_fixture("end-of-call-report")
    payload["message"]["analysis"]["successEvaluation"] = sent
    post_vapi(payload)
    assert Call.objects.get().success_evaluation == stored


# --- tools ----------------------------------------------------------------------------------

def test_tool_calls_under_tool_calls_are_run_and_answered(post_vapi):
    response = post_vapi(vapi_fixture("tool-calls-toolcalls-key"))
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["toolCallId"] == "call_tc_1" and result["name"] == "lookup_lead"
    assert not result["result"].startswith("Error: arguments")
    invocation = ToolInvocation.objects.get()
    assert invocation.arguments == {"phone": "+14155550123"}  # a JSON string, read
    assert invocation.result == result["result"]


# --- messages without a call, and types callsync does not know --------------------------------

def test_messages_without_a_call_are_stored_and_acknowledged(post_vapi):
    for name in ("speech-update-without-call", "phone-call-control-without-call"):
        response = post_vapi(vapi_fixture(name))
        assert (response.status_code, response.json()) == (200, {"ok": True})
    events = list(WebhookEvent.objects.order_by("received_at"))
    assert [(e.event_type, e.status, e.call_id) for e in events] == [
        ("speech-update", "processed", None), ("phone-call-control", "processed", None)]
    assert not Call.objects.exists()


@pytest.mark.parametrize("fixture, changed", [
    ("end-of-call-report", {"endedReason": "silence-timed-out"}),
    ("status-update-ended", {"timestamp": 1763564897000}),
])
def test_two_different_events_without_a_call_keep_two_dedupe_keys(post_vapi, fixture, changed):
    first = vapi_fixture(fixture)
    del first["message"]["call"]
    second = json.loads(json.dumps(first))
    second["message"].update(changed)
    post_vapi(first)
    post_vapi(second)
    keys = set(WebhookEvent.objects.values_list("dedupe_key", flat=True))
    assert len(keys) == 2 and all(WebhookEvent.objects.values_list("valid", flat=True))


def test_tool_calls_without_a_call_are_still_answered(post_vapi):
    payload = vapi_fixture("tool-calls-toolcalls-key")
    del payload["message"]["call"]
    response = post_vapi(payload)
    assert response.status_code == 200
    assert [r["toolCallId"] for r in response.json()["results"]] == ["call_tc_1"]


@pytest.mark.parametrize("fixture", ["assistant-started", "phone-call-control-without-call", "unknown-type"])
def test_types_callsync_does_not_know_are_stored_and_acknowledged(post_vapi, fixture):
    response = post_vapi(vapi_fixture(fixture))
    assert (response.status_code, response.json()) == (200, {"ok": True})
    event = WebhookEvent.objects.get()
    assert event.valid and event.status == WebhookEvent.Status.PROCESSED
    assert event.event_type == vapi_fixture(fixture)["message"]["type"]


def test_a_knowledge_base_request_is_answered_with_no_documents(post_vapi):
    response = post_vapi(vapi_fixture("knowledge-base-request"), worker=False)
    assert (response.status_code, response.json()) == (200, {"documents": []})
    event = WebhookEvent.objects.get()  # stored with one INSERT, applied by the worker
    assert (event.event_type, event.status) == ("knowledge-base-request", WebhookEvent.Status.RECEIVED)
