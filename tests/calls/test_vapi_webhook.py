import json
import random

import pytest
from django.forms.models import model_to_dict

from calls.models import Call, TranscriptSegment, WebhookEvent
from tests.factories import LeadFactory
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

CALL_ID = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
CALL_SID = "CA1f2e3d4c5b6a79880123456789abcdef"
SEQUENCE = [
    "status-update-ringing",
    "status-update-in-progress",
    "speech-update",
    "transcript-partial",
    "transcript-final",
    "transcript-final-typed",
    "conversation-update",
    "user-interrupted",
    "hang",
    "status-update-ended",
    "end-of-call-report",
]


def state():
    """Everything the database holds about calls, minus bookkeeping timestamps."""
    volatile = {"id", "created_at", "updated_at", "last_provider_event_at", "report_received_at", "lead"}
    calls = [{k: v for k, v in model_to_dict(c).items() if k not in volatile} for c in Call.objects.order_by("vapi_call_id")]
    segments = sorted(TranscriptSegment.objects.values_list("call__vapi_call_id", "source", "segment_key", "role", "text"))
    return calls, segments


def test_end_of_call_report_makes_one_call_with_transcript_summary_and_data(post_vapi):
    response = post_vapi(vapi_fixture("end-of-call-report"))
    assert response.status_code == 200
    call = Call.objects.get()
    assert call.vapi_call_id == CALL_ID and call.twilio_call_sid == CALL_SID
    assert call.status == Call.Status.ENDED
    assert call.customer_number == "+14155550123"
    assert call.direction == Call.Direction.INBOUND
    assert call.ended_reason == "customer-ended-call"
    assert call.summary and call.structured_data["company"] == "Northwind Logistics"
    assert call.success_evaluation == "true"
    assert call.consent == Call.Consent.GIVEN
    assert call.cost is not None and 200 < call.duration_seconds < 300
    assert call.recording_url.startswith("https://")
    segments = list(call.segments.all())
    assert len(segments) >= 10 and {s.source for s in segments} == {TranscriptSegment.Source.REPORT}
    assert [s.seconds_from_start for s in segments] == sorted(s.seconds_from_start for s in segments)
    event = WebhookEvent.objects.get()
    assert (event.status, event.call, event.event_type, event.valid) == ("processed", call, "end-of-call-report", True)


def test_the_same_report_again_changes_nothing(post_vapi):
    post_vapi(vapi_fixture("end-of-call-report"))
    before = state()
    assert post_vapi(vapi_fixture("end-of-call-report")).status_code == 200
    assert post_vapi(vapi_fixture("end-of-call-report-redelivery")).status_code == 200
    assert state() == before
    statuses = list(WebhookEvent.objects.order_by("id").values_list("status", flat=True))
    assert statuses == ["processed", "duplicate", "duplicate"]


def test_long_call_keeps_every_turn(post_vapi):
    payload = vapi_fixture("end-of-call-report-long")
    turns = [m for m in payload["message"]["artifact"]["messages"] if m.get("role") in ("user", "bot") and m.get("message")]
    assert len(payload["message"]["artifact"]["messages"]) >= 100
    post_vapi(payload)
    call = Call.objects.get()
    assert call.segments.count() == len(turns)


def test_in_order_and_shuffled_duplicated_delivery_end_in_the_same_state(post_vapi):
    for name in SEQUENCE:
        assert post_vapi(vapi_fixture(name)).status_code == 200
    in_order = state()
    Call.objects.all().delete()
    WebhookEvent.objects.all().delete()

    deliveries = SEQUENCE * 2 + ["end-of-call-report-redelivery"]
    random.Random(7).shuffle(deliveries)
    for name in deliveries:
        assert post_vapi(vapi_fixture(name)).status_code == 200
    assert state() == in_order
    assert Call.objects.count() == 1


def test_in_progress_after_ended_does_not_reopen_the_call(post_vapi):
    post_vapi(vapi_fixture("status-update-ended"))
    post_vapi(vapi_fixture("status-update-in-progress"))
    assert Call.objects.get().status == Call.Status.ENDED


def test_transcripts_after_the_report_leave_the_in_order_state(post_vapi):
    in_order = ["transcript-final", "conversation-update", "end-of-call-report"]
    for name in in_order:
        post_vapi(vapi_fixture(name))
    expected = state()
    assert {s.source for s in TranscriptSegment.objects.all()} == {"report"}
    Call.objects.all().delete()
    WebhookEvent.objects.all().delete()
    for name in reversed(in_order):
        post_vapi(vapi_fixture(name))
    assert state() == expected


def test_live_transcripts_store_final_lines_only(post_vapi):
    post_vapi(vapi_fixture("transcript-partial"))
    post_vapi(vapi_fixture("transcript-final"))
    post_vapi(vapi_fixture("transcript-final"))
    post_vapi(vapi_fixture("transcript-final-typed"))
    segments = TranscriptSegment.objects.order_by("id")
    assert [(s.source, s.role) for s in segments] == [("live", "user"), ("live", "assistant")]
    assert segments[0].text == vapi_fixture("transcript-final")["message"]["transcript"]


def test_conversation_update_snapshots_upsert_turns(post_vapi):
    payload = vapi_fixture("conversation-update")
    post_vapi(payload)
    count = TranscriptSegment.objects.filter(source="conversation").count()
    assert count == len([m for m in payload["message"]["messages"] if m["role"] in ("user", "bot")])
    newer = json.loads(json.dumps(payload))
    newer["message"]["timestamp"] += 5000
    newer["message"]["messages"].append({"role": "user", "message": "One more thing.", "time": 1763564999000, "secondsFromStart": 99.0})
    post_vapi(newer)
    post_vapi(payload)  # the older snapshot, late: ignored
    assert TranscriptSegment.objects.filter(source="conversation").count() == count + 1


def test_unknown_types_are_stored_and_acknowledged(post_vapi):
    response = post_vapi(vapi_fixture("unknown-type"))
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.valid and event.status == "processed"
    assert event.event_type == vapi_fixture("unknown-type")["message"]["type"]


def test_tool_calls_are_answered_in_vapi_results_format(post_vapi):
    LeadFactory(phone_e164="+14155550123", first_name="Dana", company="Northwind Logistics")
    response = post_vapi(vapi_fixture("tool-calls"))
    assert response.status_code == 200
    results = {r["toolCallId"]: r for r in response.json()["results"]}
    assert set(results) == {"call_lk1", "call_sc2", "call_cb3"}
    looked_up = json.loads(results["call_lk1"]["result"])
    assert looked_up["found"] is True and looked_up["company"] == "Northwind Logistics"
    assert results["call_sc2"]["name"] == "score_lead"
    assert json.loads(results["call_sc2"]["result"])["qualificationStatus"] == "hot"
    # The recorded callback time is in the past by now: the assistant is told so, and how to fix it.
    assert results["call_cb3"]["result"].startswith("Error: ") and "It is now" in results["call_cb3"]["result"]


def test_tool_with_bad_arguments_gets_an_error_result_not_an_http_error(post_vapi):
    payload = vapi_fixture("tool-calls")
    payload["message"]["toolCallList"] = [{"id": "t1", "type": "function", "function": {"name": "lookup_lead", "arguments": "{oops"}}]
    payload["message"].pop("toolWithToolCallList", None)
    response = post_vapi(payload)
    assert response.status_code == 200
    assert response.json() == {"results": [{"toolCallId": "t1", "name": "lookup_lead", "result": "Error: arguments are not valid JSON."}]}


def test_legacy_function_call_gets_a_single_result(post_vapi):
    response = post_vapi(vapi_fixture("function-call"))
    assert response.status_code == 200
    assert json.loads(response.json()["result"]) == {"found": False, "message": "No lead on record for this caller."}


def test_assistant_request_names_the_assistant_and_the_known_caller(post_vapi, settings):
    settings.VAPI_ASSISTANT_ID = "asst-123"
    LeadFactory(phone_e164="+14155550123", first_name="Dana", last_name="Whitfield", salesforce_id="00Q000000000001AAA")
    response = post_vapi(vapi_fixture("assistant-request"))
    assert response.status_code == 200
    body = response.json()
    assert body["assistantId"] == "asst-123"
    variables = body["assistantOverrides"]["variableValues"]
    assert variables["firstName"] == "Dana" and variables["leadId"] == "00Q000000000001AAA"
    assert variables["customerNumber"] == "+14155550123"


def test_assistant_request_without_an_assistant_configured_answers_an_error(post_vapi, settings):
    settings.VAPI_ASSISTANT_ID = ""
    body = post_vapi(vapi_fixture("assistant-request")).json()
    assert set(body) == {"error"}


def test_transfer_destination_is_the_fallback_number(post_vapi, settings):
    settings.FALLBACK_PHONE_NUMBER = "+14155550999"
    body = post_vapi(vapi_fixture("transfer-destination-request")).json()
    assert body["destination"]["type"] == "number" and body["destination"]["number"] == "+14155550999"
    settings.FALLBACK_PHONE_NUMBER = ""
    assert "error" in post_vapi(vapi_fixture("transfer-destination-request")).json()


def test_twilio_first_then_vapi_joins_one_call(post_vapi, post_twilio):
    from tests.support.signing import twilio_fixture

    post_twilio("/webhooks/twilio/status/", twilio_fixture("status-completed"))
    post_vapi(vapi_fixture("end-of-call-report"))
    call = Call.objects.get()
    assert call.vapi_call_id == CALL_ID and call.twilio_call_sid == CALL_SID
    assert call.twilio_status == "completed" and call.summary
    assert WebhookEvent.objects.filter(call=call).count() == 2
