"""Outbound qualification calls refused: a lead that may not be called, and a request from someone who may
not ask; Vapi is never reached."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from calls.models import Call
from crm.services.call_document import iso
from tests.factories import CallFactory, LeadFactory
from tests.leads.outbound_support import callable_lead, qualify_url, token_client, vapi_calls

pytestmark = pytest.mark.django_db


# --- refusals ---------------------------------------------------------------------------

def assert_refused(response, vapi, status: int, code: str, *words: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    for word in words:
        assert word in body["detail"]
    assert vapi_calls(vapi) == []
    assert not Call.objects.filter(direction=Call.Direction.OUTBOUND).exists()
    return body


@pytest.mark.parametrize("phone", ["", "555", "not a number"])
def test_a_lead_without_a_valid_phone_is_refused(api, vapi, phone):
    lead = callable_lead(phone_e164=phone)
    assert_refused(api.post(qualify_url(lead.pk)), vapi, 422, "no_valid_phone", "no valid phone number")


def test_a_do_not_call_lead_is_refused(api, vapi):
    lead = callable_lead(do_not_call=True)
    assert_refused(api.post(qualify_url(lead.pk)), vapi, 403, "do_not_call", "Do Not Call in Salesforce")


@pytest.mark.parametrize("policy", ["required", "unless-refused"])
def test_a_lead_who_refused_consent_is_refused(api, vapi, settings, policy):
    settings.CALLSYNC_OUTBOUND_CONSENT = policy
    lead = LeadFactory(consent=Call.Consent.REFUSED)
    assert_refused(api.post(qualify_url(lead.pk)), vapi, 403, "consent_refused", "refused")


def test_unknown_consent_is_refused_when_consent_is_required(api, vapi):
    lead = LeadFactory(consent=Call.Consent.UNKNOWN)
    assert_refused(api.post(qualify_url(lead.pk)), vapi, 403, "consent_unknown",
                   "not given consent", "CALLSYNC_OUTBOUND_CONSENT=required")


@pytest.mark.parametrize("by", ["lead", "phone"])
def test_a_lead_called_within_the_window_is_refused_until_it_ends(api, vapi, by):
    lead = callable_lead(phone_e164="+14155550123")
    earlier = timezone.now() - timedelta(hours=2)
    # Its own earlier call, or a call from its number that never got joined to it (an inbound one, say).
    CallFactory(lead=lead if by == "lead" else None, customer_number="+14155550123", created_at=earlier)

    body = assert_refused(api.post(qualify_url(lead.pk)), vapi, 409, "called_recently",
                          "may be called again after", "CALLSYNC_OUTBOUND_MIN_HOURS_BETWEEN_CALLS=24")
    assert body["callable_after"] == iso(earlier + timedelta(hours=24))


def test_without_vapi_settings_the_call_is_refused_naming_them(api, vapi, settings):
    settings.VAPI_ASSISTANT_ID = ""
    settings.VAPI_PHONE_NUMBER_ID = ""
    assert_refused(api.post(qualify_url(callable_lead().pk)), vapi, 503, "vapi_not_configured",
                   "VAPI_ASSISTANT_ID, VAPI_PHONE_NUMBER_ID")


# --- who may ask ------------------------------------------------------------------------

def test_a_user_without_the_permission_gets_403(vapi):
    user = User.objects.create_user("guest", password="a long test password")
    response = token_client(user).post(qualify_url(callable_lead().pk))
    body = assert_refused(response, vapi, 403, "missing_permission", "leads.start_qualification_call")
    assert set(body) == {"detail", "code"}


def test_an_anonymous_request_gets_401(client, vapi):
    response = client.post(qualify_url(callable_lead().pk))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert vapi_calls(vapi) == []


def test_a_bad_token_gets_401(vapi):
    response = Client(headers={"Authorization": "Token not-a-token"}).post(qualify_url(callable_lead().pk))
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}
    assert vapi_calls(vapi) == []


@pytest.mark.parametrize("reference", ["999999", "00Q5g00000Nobod0AA", "00Q5g00000Nobod", "003000000000001AAA",
                                       "not-a-lead"])
def test_an_unknown_lead_gets_404(api, vapi, reference):
    callable_lead()
    response = api.post(qualify_url(reference))
    assert response.status_code == 404
    assert response.json()["code"] == "lead_not_found"
    assert vapi_calls(vapi) == []


def test_only_post_is_allowed(api, vapi):
    assert api.get(qualify_url(callable_lead().pk)).status_code == 405
