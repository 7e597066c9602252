"""The hand-off of an inbound Twilio call to Vapi happens once per CallSid, however often the
voice webhook is delivered: retried by Twilio, replayed by someone holding a signed request,
or sent twice at the same moment."""

import pytest
from django.test import Client

from calls.models import Call, TwilioHandoff
from tests.support import signing
from tests.support.signing import twilio_fixture, vapi_fixture
from tests.support.together import run_together

VOICE = "/webhooks/twilio/voice/"


def posts_to_vapi(vapi_api) -> int:
    return sum(1 for sent in vapi_api.requests if (sent["method"], sent["path"]) == ("POST", "/call"))


@pytest.mark.django_db
def test_five_replays_of_a_signed_voice_request_make_one_vapi_call_and_five_identical_answers(post_twilio, vapi_api):
    vapi_api.body = vapi_fixture("api-create-call-response")
    answers = [post_twilio(VOICE, twilio_fixture("voice-inbound")) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [200] * 5
    assert {answer.content.decode() for answer in answers} == {vapi_api.body["phoneCallProviderDetails"]["twiml"]}
    assert posts_to_vapi(vapi_api) == 1
    call = Call.objects.get()
    assert call.vapi_call_id == vapi_api.body["id"]


@pytest.mark.django_db
def test_a_replay_after_the_fallback_answers_the_fallback_again_without_asking_vapi(post_twilio, vapi_api, settings):
    settings.FALLBACK_PHONE_NUMBER = "+14155550999"
    vapi_api.status, vapi_api.body = 503, {"message": "down"}
    first = post_twilio(VOICE, twilio_fixture("voice-inbound")).content
    vapi_api.status, vapi_api.body = 201, vapi_fixture("api-create-call-response")  # Vapi is back
    again = post_twilio(VOICE, twilio_fixture("voice-inbound")).content
    assert again == first and b"<Dial>+14155550999</Dial>" in first
    assert posts_to_vapi(vapi_api) == 1
    assert TwilioHandoff.objects.get().fell_back is True


@pytest.mark.django_db
def test_another_call_gets_its_own_hand_off(post_twilio, vapi_api):
    vapi_api.body = vapi_fixture("api-create-call-response")
    post_twilio(VOICE, twilio_fixture("voice-inbound"))
    post_twilio(VOICE, dict(twilio_fixture("voice-inbound"), CallSid="CA" + "9" * 32))
    assert posts_to_vapi(vapi_api) == 2


@pytest.mark.django_db
def test_the_stored_twiml_is_encrypted_at_rest(post_twilio, vapi_api):
    from django.db import connection

    vapi_api.body = vapi_fixture("api-create-call-response")
    post_twilio(VOICE, twilio_fixture("voice-inbound"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT twiml FROM calls_twiliohandoff")
        [(stored,)] = cursor.fetchall()
    assert "wss://" not in stored and vapi_api.body["id"] not in stored


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_do_not_both_ask_vapi(twilio_auth, vapi_api):
    vapi_api.body = vapi_fixture("api-create-call-response")
    vapi_api.delay = 0.5  # the first request is still waiting for Vapi when the others arrive
    body, headers = signing.twilio_request(VOICE, twilio_fixture("voice-inbound"))

    def deliver(_):
        response = Client().generic("POST", VOICE, body, content_type="application/x-www-form-urlencoded", **headers)
        return response.status_code, response.content.decode()

    answers = run_together(deliver, range(4))
    assert set(answers) == {(200, vapi_api.body["phoneCallProviderDetails"]["twiml"])}
    assert posts_to_vapi(vapi_api) == 1


@pytest.mark.django_db
def test_kept_answers_go_with_the_webhook_bodies_after_their_window(post_twilio, vapi_api):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    vapi_api.body = vapi_fixture("api-create-call-response")
    post_twilio(VOICE, twilio_fixture("voice-inbound"))
    post_twilio(VOICE, dict(twilio_fixture("voice-inbound"), CallSid="CA" + "7" * 32))
    TwilioHandoff.objects.filter(call_sid="CA" + "7" * 32).update(created_at=timezone.now() - timedelta(days=31))
    call_command("purge_expired")
    assert list(TwilioHandoff.objects.values_list("call_sid", flat=True)) == [twilio_fixture("voice-inbound")["CallSid"]]
