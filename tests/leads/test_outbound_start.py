"""Outbound qualification calls started: POST /api/leads/{id}/qualify/ against a Vapi stand-in over real HTTP,
the call it records, and two requests at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from calls.models import Call
from crm.services.call_document import call_document
from leads.salesforce_ids import person_from_call_data
from tests.factories import CallFactory, LeadFactory
from tests.leads.outbound_support import callable_lead, qualify_url, token_client, user_who_may_call, vapi_calls
from tests.support.signing import vapi_fixture
from tests.support.together import run_together

pytestmark = pytest.mark.django_db


# --- a call is started ------------------------------------------------------------------

def test_a_lead_is_called_through_vapi_and_the_call_is_recorded(api, vapi, settings):
    lead = callable_lead(phone_e164="(415) 555-0123", salesforce_id="00Q5g00000Dana1AAA")

    response = api.post(qualify_url(lead.pk))

    assert response.status_code == 201, response.content
    [sent] = vapi_calls(vapi)
    assert sent["headers"]["Authorization"] == f"Bearer {settings.VAPI_API_KEY}"
    body = sent["json"]
    assert body["assistantId"] == settings.VAPI_ASSISTANT_ID
    assert body["phoneNumberId"] == settings.VAPI_PHONE_NUMBER_ID
    assert body["customer"] == {"number": "+14155550123", "name": "Dana Whitfield"}
    variables, metadata = body["assistantOverrides"]["variableValues"], body["assistantOverrides"]["metadata"]
    assert variables == {"salesforceLeadId": "00Q5g00000Dana1AAA", "leadId": "00Q5g00000Dana1AAA",
                         "firstName": "Dana", "lastName": "Whitfield", "company": "Northwind Logistics",
                         "ownerName": "Sam Rivera"}
    assert metadata == {"salesforceLeadId": "00Q5g00000Dana1AAA", "leadId": "00Q5g00000Dana1AAA",
                        "requestedBy": "sam"}

    call = Call.objects.get()
    answer = response.json()
    assert answer == {"id": call.pk, "vapi_call_id": call.vapi_call_id, "status": "queued", "direction": "outbound",
                      "customer_number": "+14155550123", "lead_id": lead.pk,
                      "lead_salesforce_id": "00Q5g00000Dana1AAA", "created_at": answer["created_at"]}
    assert call.vapi_call_id  # Vapi's id for the call, which its webhooks will carry
    assert (call.lead, call.direction, call.status, call.vapi_call_type) == (
        lead, Call.Direction.OUTBOUND, Call.Status.QUEUED, "outboundPhoneCall")
    assert (call.assistant_id, call.phone_number_id) == (settings.VAPI_ASSISTANT_ID, settings.VAPI_PHONE_NUMBER_ID)
    assert (call.variable_values, call.metadata) == (variables, metadata)
    assert person_from_call_data(call).salesforce_id == "00Q5g00000Dana1AAA"


def test_a_long_name_is_cut_to_what_vapi_takes(api, vapi):
    lead = callable_lead(first_name="Maximiliana Josefina", last_name="Castellanos-Villavicencio de la Torre")
    assert api.post(qualify_url(lead.pk)).status_code == 201
    [sent] = vapi_calls(vapi)
    assert sent["json"]["customer"]["name"] == lead.full_name[:40]
    assert sent["json"]["assistantOverrides"]["variableValues"]["lastName"] == lead.last_name


def test_session_auth_works_too(client, vapi):
    lead = callable_lead()
    client.force_login(user_who_may_call())
    response = client.post(qualify_url(lead.pk))
    assert response.status_code == 201, response.content
    assert len(vapi_calls(vapi)) == 1


@pytest.mark.parametrize("length", [18, 15])
def test_the_lead_may_be_named_by_its_salesforce_id(api, vapi, length):
    lead = callable_lead(salesforce_id="00Q5g00000Xyz9kEAB")
    callable_lead(salesforce_id="00Q5g00000xYZ9KEAB", phone_e164="+14155550999")  # differs only in case
    response = api.post(qualify_url(lead.salesforce_id[:length]))
    assert response.status_code == 201, response.content
    assert response.json()["lead_id"] == lead.pk


def test_the_webhooks_that_follow_land_on_the_same_call(api, vapi, post_vapi):
    lead = callable_lead(salesforce_id="00Q5g00000AbCdEEAZ", first_name="Priya", phone_e164="+12065550147")
    vapi_call_id = api.post(qualify_url(lead.pk)).json()["vapi_call_id"]
    report = vapi_fixture("end-of-call-report-outbound")
    report["message"]["call"]["id"] = vapi_call_id

    assert post_vapi(report).status_code == 200

    call = Call.objects.get()
    assert (call.vapi_call_id, call.lead, call.status) == (vapi_call_id, lead, Call.Status.ENDED)
    assert call.report_received_at is not None
    assert call_document(call)["lead"]["salesforce_id"] == "00Q5g00000AbCdEEAZ"


def test_unless_refused_calls_leads_whose_consent_is_unknown(api, vapi, settings):
    settings.CALLSYNC_OUTBOUND_CONSENT = "unless-refused"
    lead = LeadFactory(consent=Call.Consent.UNKNOWN)
    assert api.post(qualify_url(lead.pk)).status_code == 201
    assert len(vapi_calls(vapi)) == 1


def test_a_call_outside_the_window_does_not_stop_a_new_one(api, vapi):
    lead = callable_lead()
    CallFactory(lead=lead, created_at=timezone.now() - timedelta(hours=25))
    assert api.post(qualify_url(lead.pk)).status_code == 201


# --- two requests at once ---------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_start_one_call(vapi):
    lead = callable_lead()
    clients = [token_client(user_who_may_call(name)) for name in ("sam", "alex")]
    vapi.delay = 0.3  # Vapi takes its time: the second request arrives while the first waits
    statuses = run_together(lambda client: client.post(qualify_url(lead.pk)).status_code, clients)

    assert sorted(statuses) == [201, 409]
    assert len(vapi_calls(vapi)) == 1
    assert Call.objects.filter(lead=lead).count() == 1
