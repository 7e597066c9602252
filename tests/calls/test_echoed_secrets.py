"""The credentials Vapi echoes back in its bodies (servers' secrets, auth headers, `credentials`,
Twilio tokens) are never kept, shown, logged, exported or synced; the conversation is.

A real end-of-call report carrying them (tests/fixtures/vapi/end-of-call-report-with-server-secrets.json,
fake values all starting "fake-") is posted signed as Vapi signs it, then read back everywhere it goes."""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
import time

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.services import provision_user
from privacy.encryption import decrypt
from calls.models import Call, WebhookEvent
from integrations.vapi.auth import HmacPlan, sign_with_plan
from integrations.vapi.messages import parse_json
from integrations.vapi.secrets import MASK, mask_secrets
from tests.accounts.support import ensure_roles
from tests.support import signing
from tests.support.signing import FIXTURES, vapi_fixture
from tests.test_logging import console, lines  # noqa: F401 (the production log handler, as a fixture)

pytestmark = pytest.mark.django_db

FIXTURE = "end-of-call-report-with-server-secrets"
RAW = (FIXTURES / "vapi" / f"{FIXTURE}.json").read_text()
# Every credential in the fixture: 21 fake values.
SECRETS = sorted(set(re.findall(r"fake-[a-z0-9-]+|SKfake\w+", RAW)))


def leaked(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.fixture
def report(post_vapi):
    """The report, posted as Vapi delivers it and applied by the worker."""
    payload = vapi_fixture(FIXTURE)
    response = post_vapi(RAW.encode())
    assert response.status_code == 200, response.content
    return payload


def stored_event() -> WebhookEvent:
    return WebhookEvent.objects.get(event_type="end-of-call-report")


def test_the_fixture_carries_the_credentials_vapi_echoes():
    assert len(SECRETS) == 21


def test_the_stored_body_has_no_credential_and_still_reads_as_the_same_report(report):
    event = stored_event()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM calls_webhookevent WHERE id = %s", [event.pk])
        [(column,)] = cursor.fetchall()
    assert column.startswith("enc1:")  # encrypted at rest, as before
    for text in (decrypt(column), event.body):
        assert leaked(text) == []
    stored, delivered = json.loads(event.body), json.loads(RAW)
    # The same document but for the masked values; the conversation exactly as it came.
    assert stored == mask_secrets(delivered) and stored != delivered
    message = stored["message"]
    assert message["artifact"] == delivered["message"]["artifact"]
    assert message["transcript"] == delivered["message"]["transcript"]
    assert message["analysis"] == delivered["message"]["analysis"]
    assert message["assistant"]["server"]["secret"] == MASK
    assert message["assistant"]["server"]["headers"] == {
        "Authorization": MASK, "X-Vapi-Secret": MASK, "X-Tenant": "northwind"}
    assert message["assistant"]["server"]["credentialId"] == "7f0e9d8c-1111-4222-8333-aaaabbbbcccc"
    assert message["assistant"]["isServerUrlSecretSet"] is True and message["assistant"]["model"]["maxTokens"] == 250
    assert message["phoneNumber"]["twilioAuthToken"] == MASK
    # The dedupe key is the delivered record's; the worker applied the stored one, every spoken turn kept.
    assert event.dedupe_key == parse_json(RAW).dedupe_key
    assert event.status == WebhookEvent.Status.PROCESSED
    call = Call.objects.get(vapi_call_id=message["call"]["id"])
    assert call.segments.count() == len(parse_json(RAW).utterances) > 10
    assert call.variable_values == {"firstName": "Dana", "crmApiKey": MASK}


def test_stored_headers_keep_no_credential(client, vapi_auth):
    vapi_auth.VAPI_WEBHOOK_HMAC_SIGNATURE_HEADER = "X-Callsync-Sig"  # Vapi's HMAC credential, its header renamed
    body = json.dumps(vapi_fixture("hang")).encode()
    stamp = str(int(time.time() * 1000))
    plan = HmacPlan(secret=signing.VAPI_HMAC_SECRET, signature_header="X-Callsync-Sig")
    response = client.generic("POST", "/webhooks/vapi/", body, content_type="application/json",
                              HTTP_X_CALLSYNC_SIG=sign_with_plan(plan, body, timestamp=stamp), HTTP_X_TIMESTAMP=stamp,
                              HTTP_X_API_KEY="fake-header-api-key", HTTP_COOKIE="session=fake-cookie",
                              HTTP_X_CUSTOM="kept")
    assert response.status_code == 200, response.content
    headers = {name.lower(): value for name, value in WebhookEvent.objects.get().headers.items()}
    assert not {"x-callsync-sig", "x-api-key", "cookie"} & set(headers)
    assert headers["x-custom"] == "kept" and headers["x-timestamp"] == stamp


def test_the_admin_shows_the_body_with_the_credentials_masked(report, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "x"))
    event = stored_event()
    page = client.get(reverse("admin:calls_webhookevent_change", args=[event.pk]), {"transcript": "raw"})
    html = page.content.decode()
    assert page.status_code == 200 and "&quot;secret&quot;: &quot;[secret]&quot;" in html
    assert leaked(html) == []
    assert "Northwind Logistics" in html and "credentialId" in html
    call_page = client.get(reverse("admin:calls_call_change", args=[event.call_id]))
    assert call_page.status_code == 200 and leaked(call_page.content.decode()) == []


def test_a_failure_that_logs_part_of_an_in_call_message_logs_no_credential(
        console, post_vapi, monkeypatch):  # noqa: F811
    """An answer-awaiting message (tool calls) is applied from what arrived, before it is stored: an error
    that quotes it, as a KeyError or a repr does, goes through the log's masking."""
    echoed = vapi_fixture(FIXTURE)["message"]
    payload = vapi_fixture("tool-calls")
    payload["message"]["assistant"] = echoed["assistant"]
    payload["message"]["toolWithToolCallList"][0]["server"] = echoed["assistant"]["model"]["tools"][0]["server"]

    def fail(*, event, message):
        tool = message.raw["toolWithToolCallList"][0]
        raise ValueError(f"cannot route {tool['server']!r} for {json.dumps(message.raw['assistant']['server'])}")

    monkeypatch.setattr("calls.webhooks.vapi.apply_vapi_message", fail)
    assert post_vapi(payload).status_code == 200
    [line] = [line for line in lines(console) if line["logger"] == "calls.services.webhook_events"]
    assert "ValueError: cannot route" in line["exc"] and MASK in line["exc"]
    assert leaked(console.getvalue()) == []
    assert leaked(WebhookEvent.objects.get(event_type="tool-calls").body) == []


def test_the_csv_export_carries_no_credential(report, client):
    ensure_roles()
    client.force_login(provision_user(email="maya.manager@example.com", role="manager", password=None).user)
    response = client.get("/calls/export.csv")
    text = b"".join(response.streaming_content).decode()
    [header, row] = list(csv.reader(io.StringIO(text)))
    assert leaked(text) == []
    assert row[header.index("caller_name")] == "Dana Whitfield"
    assert row[header.index("company")] == "Northwind Logistics"


def test_bodies_stored_before_masking_are_masked_by_the_migration_and_the_command():
    """As an earlier version stored them: the body and headers as they came, secrets in the call's variables."""
    old = WebhookEvent.objects.create(provider="vapi", path="/webhooks/vapi/", event_type="end-of-call-report",
                                      body=RAW, headers={"X-Vapi-Secret": "fake-old-header-secret", "X-Custom": "kept"})
    untouched = WebhookEvent.objects.create(provider="vapi", path="/webhooks/vapi/", event_type="hang",
                                            body=json.dumps(vapi_fixture("hang")), headers={"X-Custom": "kept"})
    twilio = WebhookEvent.objects.create(provider="twilio", path="/webhooks/twilio/voice/", body="CallSid=CA1&x=1")
    call = Call.objects.create(vapi_call_id="old-call", variable_values={"crmApiKey": "fake-old-variable-key"},
                               metadata={"source": "inbound-sales"})
    ciphertext = _stored_body(untouched.pk)

    migration = importlib.import_module("calls.migrations.0011_mask_echoed_secrets")
    migration.mask_existing(apps, None)

    old.refresh_from_db()
    assert leaked(old.body) == [] and json.loads(old.body) == mask_secrets(json.loads(RAW))
    assert old.headers == {"X-Custom": "kept"}
    assert _stored_body(untouched.pk) == ciphertext  # nothing to mask: not written again
    twilio.refresh_from_db()
    assert twilio.body == "CallSid=CA1&x=1"
    call.refresh_from_db()
    assert call.variable_values == {"crmApiKey": MASK} and call.metadata == {"source": "inbound-sales"}

    out = io.StringIO()
    call_command("mask_echoed_secrets", batch=2, stdout=out)  # a second run finds nothing left to mask
    assert out.getvalue().strip() == "Masked echoed credentials in 0 of 3 stored webhook events and 0 calls."


def _stored_body(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM calls_webhookevent WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_a_tool_call_applied_at_once_keeps_no_credential_in_the_calls_variables(post_vapi):
    """Tool calls are applied from the parsed record, not the stored body: the record is masked too."""
    message = vapi_fixture("tool-calls")["message"]
    message["call"]["assistantOverrides"] = {
        "variableValues": {"company": "Northwind Logistics", "crmApiKey": "fake-crm-api-key-in-variables"},
        "metadata": {"salesforceLeadId": "00Q5g00000AbCdEEAZ", "server": {"secret": "fake-metadata-server-secret"}},
    }
    assert post_vapi({"message": message}).status_code == 200
    call = Call.objects.get(vapi_call_id=message["call"]["id"])
    assert call.variable_values == {"company": "Northwind Logistics", "crmApiKey": MASK}
    assert call.metadata == {"salesforceLeadId": "00Q5g00000AbCdEEAZ", "server": {"secret": MASK}}
