"""The mapping and sync-job admin pages moved from /admin/leads/ to /admin/crm/ with the crm app:
an old bookmark or a link in an earlier alert lands on the same page."""

import pytest


@pytest.mark.parametrize("old, new", [
    ("/admin/leads/fieldmapping/", "/admin/crm/fieldmapping/"),
    ("/admin/leads/syncjob/?state__exact=dead", "/admin/crm/syncjob/?state__exact=dead"),
    ("/admin/leads/syncjob/42/change/", "/admin/crm/syncjob/42/change/"),
])
def test_the_old_admin_addresses_redirect_to_crm(client, old, new):
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == new


@pytest.mark.django_db
def test_the_leads_own_admin_pages_stay_where_they_are(admin_client):
    assert admin_client.get("/admin/leads/lead/").status_code == 200
