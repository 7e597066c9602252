"""Outbound qualification calls from the Lead admin: the action, its messages and its permission, and the
lead list's calling fields."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from calls.models import Call
from tests.factories import LeadFactory
from tests.leads.outbound_support import callable_lead, vapi_calls
from tests.support.vapi_api import vapi_error

pytestmark = pytest.mark.django_db


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
