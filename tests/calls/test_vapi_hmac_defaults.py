"""POST /webhooks/vapi/ with only VAPI_WEBHOOK_HMAC_SECRET set, signed as a Vapi HMAC credential
left at its defaults signs: x-signature = hex HMAC-SHA256 of "{x-timestamp}.{body}".

The signature is computed here with `hmac` alone, not with callsync's signing code.
"""

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from calls.models import WebhookEvent
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

SECRET = "the-secret-of-a-vapi-hmac-credential"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def only_hmac(settings):
    settings.VAPI_WEBHOOK_SECRET = settings.VAPI_WEBHOOK_BEARER_TOKEN = ""
    settings.VAPI_WEBHOOK_HMAC_SECRET = SECRET
    return settings


def vapi_default_headers(body: bytes, stamp: str, key: bytes = SECRET.encode()) -> dict[str, str]:
    signature = hmac.new(key, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"HTTP_X_SIGNATURE": signature, "HTTP_X_TIMESTAMP": stamp}


def post(client, body: bytes, headers: dict[str, str]):
    return client.generic("POST", "/webhooks/vapi/", body, content_type="application/json", **headers)


def test_a_delivery_signed_by_vapis_defaults_is_accepted_and_stored(client, only_hmac):
    body = json.dumps(vapi_fixture("status-update-in-progress")).encode()
    response = post(client, body, vapi_default_headers(body, str(int(time.time() * 1000))))
    assert response.status_code == 200, response.content
    event = WebhookEvent.objects.get()
    assert event.event_type == "status-update"
    assert "x-signature" not in {name.lower() for name in event.headers}  # a stored signature could be replayed


def test_the_same_body_with_a_changed_byte_is_401_and_not_stored(client, only_hmac, caplog):
    body = json.dumps(vapi_fixture("status-update-in-progress")).encode()
    headers = vapi_default_headers(body, str(int(time.time() * 1000)))
    tampered = body.replace(b"in-progress", b"in-progresS")
    response = post(client, tampered, headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication failed."}  # the reason stays in the log
    assert any("x-signature does not match" in record.getMessage() for record in caplog.records)
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("stamp", [
    lambda: str(int((time.time() - 3600) * 1000)),  # an hour old, correctly signed
    lambda: "nan",
    lambda: "inf",
])
def test_an_old_or_non_finite_timestamp_is_401(client, only_hmac, stamp):
    body = json.dumps(vapi_fixture("status-update-in-progress")).encode()
    assert post(client, body, vapi_default_headers(body, stamp())).status_code == 401
    assert not WebhookEvent.objects.exists()


def test_a_401_does_not_say_which_credentials_are_configured(client, vapi_auth):
    body = json.dumps(vapi_fixture("hang")).encode()
    response = post(client, body, {"HTTP_X_VAPI_SECRET": "wrong", "HTTP_AUTHORIZATION": "Bearer wrong"})
    assert response.status_code == 401
    text = response.content.decode()
    assert "X-Vapi-Secret" not in text and "Authorization" not in text and "callsync.example.com" not in text


def test_a_base64_svix_style_credential_configured_in_settings(client, only_hmac):
    key = b"svix-style-key-bytes"
    only_hmac.VAPI_WEBHOOK_HMAC_SECRET = "whsec_" + base64.b64encode(key).decode()
    only_hmac.VAPI_WEBHOOK_HMAC_SECRET_IS_BASE64 = True
    only_hmac.VAPI_WEBHOOK_HMAC_SIGNATURE_ENCODING = "base64"
    only_hmac.VAPI_WEBHOOK_HMAC_SIGNATURE_PREFIX = "v1,"
    only_hmac.VAPI_WEBHOOK_HMAC_MESSAGE_ID_HEADER = "webhook-id"
    only_hmac.VAPI_WEBHOOK_HMAC_PAYLOAD_FORMAT = "{svix-id}.{timestamp}.{body}"
    body = json.dumps(vapi_fixture("hang")).encode()
    stamp = str(int(time.time()))
    digest = hmac.new(key, b"msg_1." + stamp.encode() + b"." + body, hashlib.sha256).digest()
    headers = {"HTTP_X_SIGNATURE": "v1," + base64.b64encode(digest).decode(), "HTTP_X_TIMESTAMP": stamp,
               "HTTP_WEBHOOK_ID": "msg_1"}
    assert post(client, body, headers).status_code == 200
    assert post(client, body, {**headers, "HTTP_WEBHOOK_ID": "msg_2"}).status_code == 401


def test_a_url_signing_credential_uses_the_public_url(client, only_hmac):
    only_hmac.VAPI_WEBHOOK_HMAC_PAYLOAD_FORMAT = "{method}.{url}.{timestamp}.{body}"
    body = json.dumps(vapi_fixture("hang")).encode()
    stamp = str(int(time.time()))
    signed = f"POST.{only_hmac.PUBLIC_BASE_URL}/webhooks/vapi/.{stamp}.".encode() + body
    headers = {"HTTP_X_SIGNATURE": hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest(),
               "HTTP_X_TIMESTAMP": stamp}
    assert post(client, body, headers).status_code == 200


def test_settings_that_cannot_work_together_stop_the_start():
    environ = {"PATH": "/usr/bin:/bin", "CALLSYNC_DOTENV": "false", "DJANGO_SETTINGS_MODULE": "config.settings",
               "DJANGO_DEBUG": "true", "VAPI_WEBHOOK_HMAC_PAYLOAD_FORMAT": "{svix-id}.{body}",
               "VAPI_WEBHOOK_HMAC_ALGORITHM": "md5"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=environ, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    assert "VAPI_WEBHOOK_HMAC_ALGORITHM" in result.stderr and "message-id header" in result.stderr
