"""Outbound qualification calls: POST /api/leads/{id}/qualify/ and the admin action, against
a Vapi stand-in over real HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from calls.models import Call
from crm.services.call_document import call_document, iso
from leads.salesforce_ids import person_from_call_data
from tests.factories import CallFactory, LeadFactory
from tests.support.signing import vapi_fixture
from tests.support.together import run_together
from tests.support.vapi_api import queued_outbound_call, vapi_error

pytestmark = pytest.mark.django_db


def qualify_url(reference) -> str:
    return reverse("leads:qualify", args=[reference])


def callable_lead(**fields):
    """A lead the assistant may call under the default settings."""
    return LeadFactory(consent=Call.Consent.GIVEN, status="Open - Not Contacted", **fields)


def user_who_may_call(username: str = "sam") -> User:
    user = User.objects.create_user(username, password="a long test password")
    user.user_permissions.add(Permission.objects.get(codename="start_qualification_call"))
    return user


def token_client(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {Token.objects.create(user=user).key}"})


def vapi_calls(vapi) -> list[dict]:
    return [request for request in vapi.requests if (request["method"], request["path"]) == ("POST", "/call")]


@pytest.fixture
def vapi(vapi_api, settings):
    """Vapi answers each POST /call with a new queued call; the default outbound rules apply."""
    vapi_api.body = queued_outbound_call
    settings.CALLSYNC_OUTBOUND_CONSENT = "required"
    settings.CALLSYNC_OUTBOUND_MIN_HOURS_BETWEEN_CALLS = 24.0
    settings.VAPI_API_TIMEOUT_SECONDS = 5.0
    return vapi_api


@pytest.fixture
def api(db):
    return token_client(user_who_may_call())


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


# --- the admin action -------------------------------------------------------------------

CHANGELIST = "admin:leads_lead_changelist"


def run_action(client, leads):
    return client.post(reverse(CHANGELIST), {"action": "start_qualification_calls",
                                             "_selected_action": [lead.pk for lead in leads]}, follow=True)


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def test_the_admin_action_calls_each_lead_and_says_why_others_were_not(admin_client, vapi):
    ready = callable_lead(first_name="Ana", last_name="Lopez")
    blocked = callable_lead(first_name="Bo", last_name="Chen", do_not_call=True, phone_e164="+14155550999")

    response = run_action(admin_client, [ready, blocked])

    assert len(vapi_calls(vapi)) == 1
    assert Call.objects.get().lead == ready
    assert messages_of(response) == [
        ("warning", "Bo Chen was not called: The lead is marked Do Not Call in Salesforce."),
        ("success", "Started 1 AI qualification call(s): Ana Lopez."),
    ]


def test_the_admin_action_reports_vapi_failures(admin_client, vapi):
    vapi.status, vapi.body = 401, vapi_error(401, "Unauthorized", "Invalid Key. Hot tip, make sure you're using the "
                                                                   "private key.")
    response = run_action(admin_client, [callable_lead(first_name="Ana", last_name="Lopez")])
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert text.startswith("Ana Lopez was not called: Vapi answered 401: Invalid Key.")


def test_the_admin_action_needs_vapi_configured(admin_client, vapi, settings):
    settings.VAPI_API_KEY = ""
    response = run_action(admin_client, [callable_lead()])
    assert messages_of(response) == [("error", "Outbound calls are not configured: set VAPI_API_KEY.")]
    assert vapi_calls(vapi) == []


def test_the_admin_action_is_offered_only_with_the_permission(client, vapi):
    staff = User.objects.create_user("viewer", password="a long test password", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_lead"),
                               Permission.objects.get(codename="change_lead"))
    client.force_login(staff)
    lead = callable_lead()

    def offered() -> bool:
        form = client.get(reverse(CHANGELIST)).context["action_form"]  # None when no action is offered
        return form is not None and "start_qualification_calls" in dict(form.fields["action"].choices)

    assert not offered()
    run_action(client, [lead])
    assert vapi_calls(vapi) == []

    staff.user_permissions.add(Permission.objects.get(codename="start_qualification_call"))
    assert offered()
    run_action(client, [lead])
    assert len(vapi_calls(vapi)) == 1


def test_the_lead_list_shows_and_filters_the_calling_fields(admin_client):
    callable_lead(first_name="Ana", owner_salesforce_id="005000000000001AAA")
    LeadFactory(first_name="Bo", status="Closed - Converted", do_not_call=True, consent=Call.Consent.REFUSED)

    def names(**filters) -> set[str]:
        response = admin_client.get(reverse(CHANGELIST), filters)
        assert response.status_code == 200
        return {lead.first_name for lead in response.context["cl"].result_list}

    assert names() == {"Ana", "Bo"}
    assert names(consent__exact="refused") == {"Bo"}
    assert names(do_not_call__exact="0") == {"Ana"}
    assert names(status="Open - Not Contacted") == {"Ana"}
    assert names(owner_salesforce_id="005000000000001AAA") == {"Ana"}
    html = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert "Closed - Converted" in html and "005000000000001AAA" in html
