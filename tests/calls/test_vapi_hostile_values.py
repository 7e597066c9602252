"""Values no real Vapi message has, through the signed webhook (issue 14): each is answered 200
or 4xx with the request stored, never a 500, and the manager pages keep working after it."""

import json
import logging

import pytest

from accounts.services import provision_user
from calls.models import Call, ToolInvocation, WebhookEvent
from tests.accounts.support import ensure_roles
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

REPORT = "end-of-call-report"


@pytest.fixture
def manager_page(client):
    """GET a page as a manager (after the webhooks, which share the test client)."""

    def get(path: str):
        ensure_roles()
        client.force_login(provision_user(email="maya.manager@example.com", role="manager", password=None).user)
        return client.get(path)

    return get


def report_body(**replacements: str) -> bytes:
    """The recorded report with some values replaced by raw JSON text (NaN, Infinity...)."""
    payload = vapi_fixture(REPORT)
    message = payload["message"]
    for path in replacements:
        *parents, leaf = path.split(".")
        node = message
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(leaf) if isinstance(node, list) else leaf] = f"@@{path}@@"
    body = json.dumps(payload)
    for path, raw in replacements.items():
        body = body.replace(f'"@@{path}@@"', raw)
    return body.encode()


# --- non-finite numbers -----------------------------------------------------------------------

@pytest.mark.parametrize("raw", ['"nan"', '"inf"', '"-Infinity"', "NaN", "Infinity", "-Infinity"])
def test_a_non_finite_duration_is_ignored_and_the_call_list_still_answers(post_vapi, manager_page, caplog, raw):
    with caplog.at_level(logging.WARNING, logger="integrations.vapi"):
        assert post_vapi(report_body(durationSeconds=raw)).status_code == 200
    call = Call.objects.get()
    assert call.report_received_at is not None  # the rest of the report was applied
    assert call.duration_seconds is None or 200 < call.duration_seconds < 300  # from startedAt/endedAt
    assert any("durationSeconds" in record.getMessage() for record in caplog.records)
    assert manager_page("/calls/").status_code == 200
    assert manager_page(f"/calls/{call.pk}/").status_code == 200


@pytest.mark.parametrize("field", ["cost", "timestamp", "artifact.messages.1.secondsFromStart",
                                   "artifact.messages.1.time", "analysis.successEvaluation",
                                   "analysis.structuredData.company"])
def test_non_finite_numbers_anywhere_we_read_are_refused(post_vapi, manager_page, field):
    assert post_vapi(report_body(**{field: "NaN"})).status_code == 200
    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.PROCESSED, event.error
    call = Call.objects.get()
    assert call.cost is None or call.cost == call.cost
    assert all(s.seconds_from_start is None or abs(s.seconds_from_start) < 10**6 for s in call.segments.all())
    assert "NaN" not in json.dumps(call.structured_data) and call.success_evaluation != "NaN"
    assert manager_page("/calls/").status_code == 200
    assert manager_page(f"/calls/{call.pk}/").status_code == 200


def test_non_finite_tool_arguments_are_stored_without_them(post_vapi):
    payload = vapi_fixture("tool-calls-toolcalls-key")
    payload["message"]["toolCalls"][0]["function"]["arguments"] = '{"phone": "+14155550123", "score": NaN}'
    assert post_vapi(payload).status_code == 200
    assert ToolInvocation.objects.get().arguments == {"phone": "+14155550123", "score": None}


# --- lone surrogates --------------------------------------------------------------------------

def _with_surrogate(fixture: str, where: str) -> bytes:
    payload = vapi_fixture(fixture)
    message = payload["message"]
    if where == "call id":
        message["call"]["id"] = "@@"
    elif where == "type":
        message["type"] = "@@"
    else:
        message["toolCallList"][0]["id"] = "@@"
    return json.dumps(payload).replace('"@@"', '"x\\ud800y"').encode()


@pytest.mark.parametrize("fixture, where", [
    ("status-update-ringing", "call id"), ("end-of-call-report", "call id"), ("tool-calls", "call id"),
    ("status-update-ringing", "type"), ("tool-calls", "type"), ("tool-calls", "tool id"),
])
def test_a_lone_surrogate_is_stored_never_a_500(post_vapi, fixture, where):
    response = post_vapi(_with_surrogate(fixture, where))
    assert response.status_code == 200 or 400 <= response.status_code < 500
    event = WebhookEvent.objects.get()
    assert event.status != WebhookEvent.Status.FAILED, event.error
    assert "\ud800" not in event.provider_call_id + event.event_type + event.dedupe_key
    if where == "tool id":
        assert ToolInvocation.objects.filter(tool_call_id="x\ufffdy").exists()


# --- deep nesting -----------------------------------------------------------------------------

@pytest.mark.parametrize("levels", [600, 950])
def test_deeply_nested_structured_data_is_stored_never_a_500(post_vapi, manager_page, levels):
    nested = '{"a": ' * levels + "1" + "}" * levels
    response = post_vapi(report_body(**{"analysis.structuredData": nested}))
    assert response.status_code == 200 or 400 <= response.status_code < 500
    event = WebhookEvent.objects.get()
    assert event.status != WebhookEvent.Status.FAILED, event.error
    if response.status_code == 200:  # the call was kept, with the values below the cut ignored
        call = Call.objects.get()
        assert call.report_received_at is not None and call.segments.exists()
        assert manager_page(f"/calls/{call.pk}/").status_code == 200
    assert manager_page("/calls/").status_code == 200
