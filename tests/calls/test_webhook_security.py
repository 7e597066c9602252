"""What every webhook endpoint refuses, and how (one case per provider endpoint)."""

import json
import time

import pytest

from calls.models import WebhookEvent
from tests.support import signing
from tests.support.signing import twilio_fixture, vapi_fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("mode", ["secret", "bearer", "hmac", "hmac-legacy", "hmac-ts"])
def test_vapi_accepts_each_credential(post_vapi, mode):
    assert post_vapi(vapi_fixture("hang"), mode=mode).status_code == 200
    assert WebhookEvent.objects.get().status == "processed"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_X_VAPI_SECRET": "wrong"},
        {"HTTP_AUTHORIZATION": "Bearer wrong"},
        {"HTTP_X_VAPI_SIGNATURE": "0" * 64},
    ],
)
def test_vapi_bad_or_missing_credential_is_401_and_nothing_is_stored(client, vapi_auth, headers, caplog):
    body = json.dumps(vapi_fixture("hang"))
    response = client.post("/webhooks/vapi/", body, content_type="application/json", **headers)
    assert response.status_code == 401
    assert "Authentication failed" in response.json()["detail"]
    assert not WebhookEvent.objects.exists()
    assert any("rejected vapi webhook" in r.message and "127.0.0.1" in r.message for r in caplog.records)


def test_vapi_replayed_signature_outside_the_window_is_401(client, vapi_auth):
    body = json.dumps(vapi_fixture("hang")).encode()
    headers = signing.vapi_headers(body, "hmac-ts", timestamp=str(int(time.time()) - 3600))
    assert client.post("/webhooks/vapi/", body, content_type="application/json", **headers).status_code == 401


def test_vapi_with_no_credential_configured_is_503_naming_the_settings(client, settings):
    settings.VAPI_WEBHOOK_SECRET = settings.VAPI_WEBHOOK_HMAC_SECRET = settings.VAPI_WEBHOOK_BEARER_TOKEN = ""
    response = client.post("/webhooks/vapi/", vapi_fixture("hang"), content_type="application/json")
    assert response.status_code == 503
    assert "VAPI_WEBHOOK_SECRET" in response.json()["detail"]
    assert not WebhookEvent.objects.exists()


def test_vapi_with_no_credential_in_debug_accepts_with_a_warning(client, settings, caplog):
    settings.DEBUG = True
    settings.VAPI_WEBHOOK_SECRET = settings.VAPI_WEBHOOK_HMAC_SECRET = settings.VAPI_WEBHOOK_BEARER_TOKEN = ""
    response = client.post("/webhooks/vapi/", vapi_fixture("hang"), content_type="application/json")
    assert response.status_code == 200
    assert any("NOT AUTHENTICATED" in r.message for r in caplog.records)


@pytest.mark.parametrize(
    "body, detail",
    [
        (b"this is not json", "not JSON"),
        (b'{"message": {"call": {"id": "x"}}}', "message.type"),
        (b"[1, 2, 3]", "message"),
        (b"\xff\xfe\x00garbage", "not JSON"),
    ],
)
def test_vapi_malformed_body_is_400_and_stored_as_rejected(post_vapi, body, detail):
    response = post_vapi(body)
    assert response.status_code == 400
    assert detail in response.json()["detail"]
    event = WebhookEvent.objects.get()
    assert (event.valid, event.status) == (False, "rejected")
    assert detail in event.error


def test_stored_headers_carry_no_credentials(post_vapi):
    post_vapi(vapi_fixture("hang"), mode="secret", HTTP_AUTHORIZATION="Bearer x", HTTP_X_CUSTOM="kept")
    headers = {k.lower(): v for k, v in WebhookEvent.objects.get().headers.items()}
    assert "x-vapi-secret" not in headers and "authorization" not in headers
    assert headers["x-custom"] == "kept"


def test_body_over_one_mebibyte_is_413(post_vapi):
    payload = vapi_fixture("hang")
    payload["message"]["padding"] = "x" * (1024 * 1024)
    assert post_vapi(payload).status_code == 413
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("path", ["/webhooks/vapi/", "/webhooks/twilio/voice/", "/webhooks/twilio/status/", "/webhooks/twilio/recording/"])
@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_wrong_method_is_405(client, path, method):
    assert getattr(client, method)(path).status_code == 405


@pytest.mark.parametrize("path, fixture", [("/webhooks/twilio/voice/", "voice-inbound"), ("/webhooks/twilio/status/", "status-ringing"), ("/webhooks/twilio/recording/", "recording-completed")])
def test_twilio_bad_signature_is_401(client, twilio_auth, path, fixture):
    body, headers = signing.twilio_request(path, twilio_fixture(fixture), token="not-the-token")
    response = client.generic("POST", path, body, content_type="application/x-www-form-urlencoded", **headers)
    assert response.status_code == 401
    assert not WebhookEvent.objects.exists()


def test_twilio_signature_for_another_url_is_401(client, twilio_auth):
    body, headers = signing.twilio_request("/webhooks/twilio/voice/", twilio_fixture("status-ringing"))
    response = client.generic("POST", "/webhooks/twilio/status/", body, content_type="application/x-www-form-urlencoded", **headers)
    assert response.status_code == 401


def test_twilio_without_auth_token_is_503(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    response = client.post("/webhooks/twilio/status/", twilio_fixture("status-ringing"))
    assert response.status_code == 503 and "TWILIO_AUTH_TOKEN" in response.json()["detail"]


def test_twilio_without_public_base_url_is_503(client, twilio_auth, settings):
    settings.PUBLIC_BASE_URL = ""
    response = client.post("/webhooks/twilio/status/", twilio_fixture("status-ringing"), HTTP_X_TWILIO_SIGNATURE="x")
    assert response.status_code == 503 and "PUBLIC_BASE_URL" in response.json()["detail"]


def test_twilio_callback_without_call_sid_is_400_and_stored(post_twilio):
    params = twilio_fixture("status-ringing")
    del params["CallSid"]
    response = post_twilio("/webhooks/twilio/status/", params)
    assert response.status_code == 400 and "CallSid" in response.json()["detail"]
    assert WebhookEvent.objects.get().status == "rejected"


def test_behind_a_trusted_proxy_the_stored_and_logged_address_is_the_callers(post_vapi, settings, caplog):
    """Behind nginx every request comes from 127.0.0.1; the address nginx appended is the sender's."""
    settings.CALLSYNC_TRUSTED_PROXY_COUNT = 1
    forwarded = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.7", "REMOTE_ADDR": "127.0.0.1"}
    assert post_vapi(vapi_fixture("hang"), **forwarded).status_code == 200
    assert WebhookEvent.objects.get().remote_addr == "203.0.113.7"  # not what the client wrote further left
    assert post_vapi(vapi_fixture("hang"), mode="none", **forwarded).status_code == 401
    assert any("from 203.0.113.7" in record.getMessage() for record in caplog.records)


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(post_vapi):
    assert post_vapi(vapi_fixture("hang"), HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 200
    assert WebhookEvent.objects.get().remote_addr == "127.0.0.1"
