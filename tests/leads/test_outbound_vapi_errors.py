"""Outbound qualification calls when Vapi fails: its errors passed on as 502, a timeout as 504, and no phone
number in the logs."""

from __future__ import annotations

import pytest

from calls.models import Call
from tests.leads.outbound_support import callable_lead, qualify_url, vapi_calls
from tests.support.vapi_api import queued_outbound_call, vapi_error

pytestmark = pytest.mark.django_db


# --- Vapi fails -------------------------------------------------------------------------

@pytest.mark.parametrize("error_body", [
    vapi_error(400, "Bad Request", "Couldn't Get Phone Number. Need A Valid `phoneNumberId`."),
    {"message": "Couldn't Get Phone Number. Need A Valid `phoneNumberId`.", "error": "Bad Request",
     "statusCode": 400},
])
def test_a_vapi_error_is_a_502_with_vapis_message(api, vapi, error_body):
    vapi.status, vapi.body = 400, error_body
    response = api.post(qualify_url(callable_lead().pk))
    assert response.status_code == 502
    body = response.json()
    assert body["code"] == "vapi_error" and body["vapi_status"] == 400
    assert body["detail"] == "Vapi answered 400: Couldn't Get Phone Number. Need A Valid `phoneNumberId`."
    assert len(vapi_calls(vapi)) == 1
    assert not Call.objects.exists()


def test_several_vapi_messages_are_all_passed_on(api, vapi):
    vapi.status = 400
    vapi.body = vapi_error(400, "Bad Request", "assistantOverrides.metadata must be an object",
                           "customer.name must be shorter than or equal to 40 characters")
    detail = api.post(qualify_url(callable_lead().pk)).json()["detail"]
    assert detail == ("Vapi answered 400: assistantOverrides.metadata must be an object; "
                      "customer.name must be shorter than or equal to 40 characters")


def test_a_vapi_answer_that_is_not_json_is_a_502(api, vapi):
    vapi.status, vapi.body = 503, "<html>upstream unavailable</html>"
    response = api.post(qualify_url(callable_lead().pk))
    assert response.status_code == 502
    assert "upstream unavailable" in response.json()["detail"]


def test_vapi_unreachable_is_a_502(api, vapi, settings):
    vapi.stop()
    response = api.post(qualify_url(callable_lead().pk))
    assert response.status_code == 502
    assert response.json()["code"] == "vapi_error"
    assert not Call.objects.exists()


def test_a_vapi_timeout_is_a_504(api, vapi, settings):
    settings.VAPI_API_TIMEOUT_SECONDS = 0.3
    vapi.delay = 2.0
    response = api.post(qualify_url(callable_lead().pk))
    assert response.status_code == 504
    body = response.json()
    assert body["code"] == "vapi_timeout"
    assert "Vapi did not answer within 0.3 s" in body["detail"]
    assert not Call.objects.exists()


def test_a_lead_may_be_called_again_after_vapi_failed(api, vapi):
    lead = callable_lead()
    vapi.status, vapi.body = 500, vapi_error(500, "Internal Server Error", "Internal server error")
    assert api.post(qualify_url(lead.pk)).status_code == 502
    vapi.status, vapi.body = 201, queued_outbound_call
    assert api.post(qualify_url(lead.pk)).status_code == 201


def test_logs_never_carry_the_phone_number(api, vapi, caplog):
    vapi.status = 400
    vapi.body = vapi_error(400, "Bad Request", "customer.number +14155550123 is not allowed")
    caplog.set_level("INFO")
    api.post(qualify_url(callable_lead().pk))
    vapi.status, vapi.body = 201, queued_outbound_call
    api.post(qualify_url(callable_lead(phone_e164="+14155550188").pk))
    assert caplog.records and "not started" in caplog.text and "started for lead" in caplog.text
    assert "4155550123" not in caplog.text and "4155550188" not in caplog.text
