"""Who may see the manager pages, what they load, and the API and webhooks keeping their own authentication."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from accounts.services import provision_user
from tests.accounts.support import ensure_roles
from tests.calls.manager_pages_support import DASHBOARD, EXPORT, LIST, scored_call
from tests.factories import LeadFactory, TranscriptSegmentFactory
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db


# --- who may see the pages ---------------------------------------------------------------------

@pytest.mark.parametrize("path", [LIST, DASHBOARD, EXPORT, "/calls/1/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")


def test_a_manager_logs_in_on_the_login_page_and_lands_on_the_page_they_asked_for(client):
    ensure_roles()
    provision_user(email="maya@example.com", role="manager", password="a-long-pass-phrase-77")
    login = client.get(LIST)["Location"]
    response = client.post(login, {"username": "maya@example.com", "password": "a-long-pass-phrase-77",
                                    "next": LIST}, follow=True)
    assert response.redirect_chain[-1][0] == LIST and response.status_code == 200


@pytest.mark.parametrize("path", [LIST, DASHBOARD, EXPORT])
def test_a_user_without_the_view_permission_gets_403(client, django_user_model, path):
    client.force_login(django_user_model.objects.create_user("someone", password="x"))
    assert client.get(path).status_code == 403


def test_a_manager_reads_the_list_the_call_and_the_dashboard(manager, policy):
    call = scored_call(policy)
    list_page = manager.get(LIST)
    assert list_page.status_code == 200
    html = list_page.content.decode()
    assert 'id="call-list"' in html and 'id="call-filters"' in html and 'class="call-row"' in html
    assert manager.get(f"/calls/{call.pk}/").status_code == 200
    dashboard = manager.get(DASHBOARD)
    assert dashboard.status_code == 200 and 'id="dashboard"' in dashboard.content.decode()
    assert manager.get("/").url == DASHBOARD
    assert manager.get("/calls/999999/").status_code == 404


def test_the_stylesheet_is_served_by_the_app_not_a_cdn(manager, policy):
    call = scored_call(policy)
    TranscriptSegmentFactory(call=call, seconds_from_start=3)
    for path in (LIST, DASHBOARD, f"/calls/{call.pk}/"):
        html = manager.get(path).content.decode()
        assert '<link rel="stylesheet" href="/static/css/app.css">' in html
        assert '<script src="/static/js/app.js" defer></script>' in html
        assert "http://" not in html.split("<main>")[0] and "https://" not in html.split("<main>")[0]
        # The pages' Content Security Policy forbids inline styles and scripts.
        assert 'style="' not in html and "<script>" not in html and " on" + "click=" not in html
    # collectstatic (make run) finds both files for whitenoise to serve.
    assert finders.find("css/app.css") and finders.find("js/app.js")


# --- the API and the webhooks keep their own authentication ---------------------------------------

def test_the_api_needs_a_token_or_a_session(client, manager):
    lead = LeadFactory()
    anonymous = client.__class__().post(f"/api/leads/{lead.pk}/qualify/")
    assert anonymous.status_code in (401, 403)
    assert manager.post(f"/api/leads/{lead.pk}/qualify/").status_code == 403  # a session, but no permission


def test_webhooks_need_only_the_providers_credentials(client, post_vapi):
    assert post_vapi(vapi_fixture("status-update-ringing")).status_code == 200  # no Django login
    unsigned = client.post("/webhooks/vapi/", vapi_fixture("status-update-ringing"), content_type="application/json")
    assert unsigned.status_code == 401
