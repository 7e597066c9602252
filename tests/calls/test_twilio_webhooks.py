import time

import pytest
from xml.etree import ElementTree

from calls.models import Call, Recording, WebhookEvent
from tests.support.signing import twilio_fixture, vapi_fixture

pytestmark = pytest.mark.django_db

CALL_SID = "CA1f2e3d4c5b6a79880123456789abcdef"
VAPI_CALL_ID = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"


def twiml(response) -> ElementTree.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ElementTree.fromstring(response.content)


def test_inbound_call_is_handed_to_vapi_with_its_twiml(post_twilio, vapi_api):
    vapi_api.body = vapi_fixture("api-create-call-response")
    response = post_twilio("/webhooks/twilio/voice/", twilio_fixture("voice-inbound"))
    assert response.status_code == 200
    assert response.content.decode() == vapi_api.body["phoneCallProviderDetails"]["twiml"]
    [sent] = vapi_api.requests
    assert (sent["method"], sent["path"]) == ("POST", "/call")
    assert sent["headers"]["Authorization"] == "Bearer vapi-private-key-for-tests"
    assert sent["json"] == {
        "assistantId": "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "phoneNumberId": "7c8d9e0f-1111-4222-8333-444455556666",
        "customer": {"number": "+14155550123"},
        "phoneCallProviderBypassEnabled": True,
    }
    call = Call.objects.get()
    assert (call.twilio_call_sid, call.vapi_call_id) == (CALL_SID, VAPI_CALL_ID)
    assert (call.direction, call.customer_number, call.status) == ("inbound", "+14155550123", "ringing")
    assert WebhookEvent.objects.get().status == "processed"


@pytest.mark.parametrize(
    "status, body, delay",
    [
        (500, {"message": "internal error"}, 0),
        (400, {"message": ["customer.number must be a valid phone number"]}, 0),
        (201, "<html>not json</html>", 0),
        (201, {"id": "x", "phoneCallProviderDetails": {}}, 0),
        (201, {}, 5.0),  # slower than VAPI_BYPASS_TIMEOUT_SECONDS
    ],
    ids=["5xx", "4xx", "not-json", "no-twiml", "slow"],
)
def test_when_vapi_cannot_take_the_call_the_caller_reaches_a_human(post_twilio, vapi_api, settings, status, body, delay):
    settings.FALLBACK_PHONE_NUMBER = "+14155550999"
    settings.VAPI_BYPASS_TIMEOUT_SECONDS = 1.0
    vapi_api.status, vapi_api.body, vapi_api.delay = status, body, delay
    started = time.monotonic()
    response = post_twilio("/webhooks/twilio/voice/", twilio_fixture("voice-inbound"))
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    document = twiml(response)
    assert document.find("Say").text == settings.CALLSYNC_FALLBACK_MESSAGE
    assert document.find("Dial").text == "+14155550999"
    assert elapsed < 2.5
    assert Call.objects.get().vapi_call_id is None


def test_with_no_fallback_number_the_caller_leaves_a_voicemail(post_twilio, vapi_api, settings):
    settings.FALLBACK_PHONE_NUMBER = ""
    vapi_api.status = 503
    document = twiml(post_twilio("/webhooks/twilio/voice/", twilio_fixture("voice-inbound")))
    record = document.find("Record")
    assert record is not None and document.find("Dial") is None
    assert record.get("recordingStatusCallback") == "https://callsync.example.com/webhooks/twilio/recording/"


def test_with_vapi_not_configured_the_fallback_answers_at_once(post_twilio, settings):
    settings.VAPI_API_KEY = ""
    settings.FALLBACK_PHONE_NUMBER = "+14155550999"
    document = twiml(post_twilio("/webhooks/twilio/voice/", twilio_fixture("voice-inbound")))
    assert document.find("Dial").text == "+14155550999"


def test_status_callbacks_in_any_order_end_in_the_same_state(post_twilio):
    names = ["status-ringing", "status-in-progress", "status-completed"]
    for name in names:
        assert post_twilio("/webhooks/twilio/status/", twilio_fixture(name)).status_code == 200
    call = Call.objects.get()
    expected = (call.status, call.twilio_status, call.twilio_sequence, call.duration_seconds)
    assert expected == ("ended", "completed", 2, float(twilio_fixture("status-completed")["CallDuration"]))
    Call.objects.all().delete()
    WebhookEvent.objects.all().delete()
    for name in reversed(names + names):
        post_twilio("/webhooks/twilio/status/", twilio_fixture(name))
    call = Call.objects.get()
    assert (call.status, call.twilio_status, call.twilio_sequence, call.duration_seconds) == expected


def test_no_answer_is_read_as_vapis_ended_reason(post_twilio):
    post_twilio("/webhooks/twilio/status/", twilio_fixture("status-no-answer"))
    call = Call.objects.get()
    assert (call.status, call.ended_reason) == ("ended", "customer-did-not-answer")


def test_vapi_report_wins_over_twilio_for_duration_and_reason_in_either_order(post_twilio, post_vapi):
    post_twilio("/webhooks/twilio/status/", twilio_fixture("status-completed"))
    post_vapi(vapi_fixture("end-of-call-report"))
    first = Call.objects.values("duration_seconds", "ended_reason", "status", "twilio_status").get()
    Call.objects.all().delete()
    WebhookEvent.objects.all().delete()
    post_vapi(vapi_fixture("end-of-call-report"))
    post_twilio("/webhooks/twilio/status/", twilio_fixture("status-completed"))
    assert Call.objects.values("duration_seconds", "ended_reason", "status", "twilio_status").get() == first
    assert first["ended_reason"] == "customer-ended-call"


def test_recording_callback_is_stored_once_on_the_call(post_twilio):
    params = twilio_fixture("recording-completed")
    post_twilio("/webhooks/twilio/recording/", params)
    post_twilio("/webhooks/twilio/recording/", params)
    in_progress = dict(params, RecordingStatus="in-progress", RecordingUrl="")
    post_twilio("/webhooks/twilio/recording/", in_progress)  # late, older status
    recording = Recording.objects.get()
    assert recording.call.twilio_call_sid == params["CallSid"]
    assert recording.status == "completed" and recording.url == params["RecordingUrl"]
    assert recording.duration_seconds == int(params["RecordingDuration"])


def test_vapi_events_before_the_bypass_answer_still_make_one_call(post_twilio, post_vapi, vapi_api):
    post_vapi(vapi_fixture("status-update-ringing"))  # Vapi speaks before its POST /call answered us
    vapi_api.body = vapi_fixture("api-create-call-response")
    post_twilio("/webhooks/twilio/voice/", twilio_fixture("voice-inbound"))
    call = Call.objects.get()
    assert (call.vapi_call_id, call.twilio_call_sid) == (VAPI_CALL_ID, CALL_SID)
