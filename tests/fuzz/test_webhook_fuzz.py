"""Fuzzing the webhooks: never a 5xx; what is stored as valid is exactly what parses as a
provider event, and what does not is stored rejected (signed) or not at all (unsigned)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from calls.models import WebhookEvent
from tests.fuzz.strategies import TWILIO_NAMES, twilio_params, vapi_bodies
from tests.support import signing

pytestmark = pytest.mark.django_db

APPLIED = {WebhookEvent.Status.PROCESSED, WebhookEvent.Status.DUPLICATE}


def is_vapi_message(body: bytes) -> bool:
    try:
        envelope = json.loads(body)
    except (ValueError, RecursionError):
        return False
    message = envelope.get("message") if isinstance(envelope, dict) else None
    kind = message.get("type") if isinstance(message, dict) else None
    call = message.get("call") if isinstance(message, dict) else None
    ids = [call.get(key) for key in ("id", "phoneCallProviderId")] if isinstance(call, dict) else []
    ids_fit = all(len(value) <= 64 for value in ids if isinstance(value, str))  # what the id columns hold
    return isinstance(kind, str) and bool(kind.strip()) and ids_fit


def newest_event(before: int) -> WebhookEvent | None:
    events = list(WebhookEvent.objects.filter(pk__gt=before))
    assert len(events) <= 1
    return events[0] if events else None


def last_pk() -> int:
    return WebhookEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@given(body=vapi_bodies())
@example(body=b"[" * 100_000)
@example(body=b'{"message": {"type": "status-update", "call": {"id": "' + b"9" * 200 + b'"}}}')
@example(body=b'{"message": {"type": "end-of-call-report", "call": {"id": "c"}, "startedAt": "2026-99-99"}}')
def test_signed_vapi_deliveries_never_fail_and_are_stored_valid_only_when_they_are(post_vapi, body):
    before = last_pk()
    response = post_vapi(body)

    assert response.status_code < 500, (response.status_code, body[:300])
    event = newest_event(before)
    if is_vapi_message(body):
        assert response.status_code == 200, (response.content, body[:300])
        assert event.valid and event.status in APPLIED, (event.status, event.error, body[:300])
    else:
        assert response.status_code == 400, (response.status_code, body[:300])
        assert not event.valid and event.status == WebhookEvent.Status.REJECTED and event.error


@given(body=vapi_bodies(), mode=st.sampled_from(["none", "secret", "bearer", "hmac"]))
def test_unsigned_or_wrongly_signed_vapi_deliveries_are_refused_and_not_stored(client, vapi_auth, body, mode):
    before = last_pk()
    headers = {"none": {}, "secret": {"HTTP_X_VAPI_SECRET": "wrong"},
               "bearer": {"HTTP_AUTHORIZATION": "Bearer wrong"},
               "hmac": {"HTTP_X_VAPI_SIGNATURE": "sha256=" + "0" * 64}}[mode]
    response = client.generic("POST", "/webhooks/vapi/", body, content_type="application/json", **headers)

    assert response.status_code == 401
    assert newest_event(before) is None


def test_an_oversized_vapi_delivery_is_refused_with_413(post_vapi):
    before = last_pk()
    body = json.dumps({"message": {"type": "transcript", "transcript": "x" * (1024 * 1024)}}).encode()
    assert post_vapi(body).status_code == 413
    assert newest_event(before) is None


@pytest.mark.parametrize("path", ["/webhooks/twilio/status/", "/webhooks/twilio/recording/", "/webhooks/twilio/voice/"])
@given(params=twilio_params)
@example(params={"CallSid": "CA" + "f" * 100, "CallStatus": "completed", "RecordingSid": "RE" + "1" * 100})
@example(params={"CallSid": "CA1", "SequenceNumber": "9" * 40, "CallDuration": "-5", "RecordingDuration": "1e9"})
@example(params={"CallSid": "CA2", "RecordingSid": "RE2", "RecordingStatus": "9" * 30, "CallStatus": "x" * 30})
def test_signed_twilio_callbacks_never_fail_and_are_stored_valid_only_when_they_are(post_twilio, path, params):
    before = last_pk()
    response = post_twilio(path, params)

    assert response.status_code < 500, (response.status_code, params)
    event = newest_event(before)
    required = ["CallSid", "RecordingSid"] if "recording" in path else ["CallSid"]
    sids = [params.get(name, "").replace("\x00", "") for name in required]  # NUL is dropped, as PostgreSQL must
    if all(0 < len(sid) <= 64 for sid in sids):  # what the sid columns hold
        assert response.status_code == 200, (response.content, params)
        assert event.valid and event.status in APPLIED, (event.status, event.error, params)
    else:
        assert response.status_code == 400
        assert not event.valid and event.status == WebhookEvent.Status.REJECTED


@given(body=st.one_of(st.binary(max_size=300), twilio_params.map(lambda params: urlencode(params).encode())),
       path=st.sampled_from(["/webhooks/twilio/status/", "/webhooks/twilio/recording/", "/webhooks/twilio/voice/"]))
def test_unsigned_twilio_callbacks_are_refused_and_not_stored(client, twilio_auth, body, path):
    before = last_pk()
    response = client.generic("POST", path, body, content_type="application/x-www-form-urlencoded",
                              HTTP_X_TWILIO_SIGNATURE="not-a-signature")
    assert response.status_code == 401
    assert newest_event(before) is None


def test_the_twilio_names_cover_every_field_the_parser_reads():
    import inspect

    from integrations.twilio import messages

    read = set(__import__("re").findall(r'params(?:\.get\(|\[)"(\w+)"', inspect.getsource(messages)))
    assert read <= set(TWILIO_NAMES) and "CallSid" in read
    assert signing.TWILIO_TOKEN  # the callbacks above are signed with it
