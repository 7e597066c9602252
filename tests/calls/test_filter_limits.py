"""Extreme values in the manager pages' URLs: a page that says what is wrong, or a 4xx; never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services import provision_user
from audit.models import AuditEntry
from tests.accounts.support import ensure_roles
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

LIST, DASHBOARD, EXPORT = "/calls/", "/dashboard/", "/calls/export.csv"
DAY_RANGE = "Choose a day from 01 Jan 2000 to 31 Dec 2100."


@pytest.fixture
def manager(client):
    ensure_roles()
    client.force_login(provision_user(email="maya.manager@example.com", role="manager", password=None).user)
    CallFactory()
    return client


# Raw query strings, as a browser or a script would send them (%ED%A0%80 is a lone surrogate in UTF-8).
EXTREMES = [
    "date_to=9999-12-31", "date_from=9999-12-31", "date_from=0001-01-01", "date_to=0001-01-01",
    "date_from=0001-01-01&date_to=9999-12-31", "date_from=0001-01-01&date_to=0001-01-01",
    "date_to=99999-01-01", "date_to=2024-02-30", "date_to=NaN", "date_from=-0001-01-01",
    "score_min=99999999999999999999999", "score_max=-99999999999999999999", "score_min=NaN", "score_min=inf",
    "score_min=1e400", "score_max=50.5", "score_min=80&score_max=20",
    "q=" + "x" * 5000, "q=%00", "q=%ED%A0%80", "q=%FF%FE", "status=%00", "sync_state=nope", "%00=1", "x=%00",
    "page=99999999999999999999999", "page=" + "9" * 5000, "page=9223372036854775807", "page=10001", "page=-5",
    "page=abc", "page=NaN", "page=1e9", "page=0", "page=%00",
]


@pytest.mark.parametrize("path", [LIST, DASHBOARD, EXPORT])
@pytest.mark.parametrize("query", EXTREMES, ids=lambda query: query[:40])
def test_extreme_values_never_make_a_500(manager, path, query):
    response = manager.get(f"{path}?{query}")
    assert response.status_code in (200, 400, 404)


@pytest.mark.parametrize("query", ["date_to=9999-12-31", "date_from=0001-01-01", "date_to=0001-01-01"])
@pytest.mark.parametrize("path", [LIST, DASHBOARD])
def test_a_day_out_of_range_is_shown_as_the_fields_error(manager, path, query):
    response = manager.get(f"{path}?{query}")
    assert response.status_code == 200
    assert DAY_RANGE in response.content.decode()


def test_the_dashboard_falls_back_to_the_last_two_weeks_when_the_range_is_refused(manager):
    numbers = manager.get(DASHBOARD + "?date_from=0001-01-01&date_to=9999-12-31").context["numbers"]
    assert numbers.date_to == timezone.localdate()
    assert numbers.date_from == timezone.localdate() - timedelta(days=13)


def test_the_export_refuses_invalid_filters_with_a_400_that_says_why_and_records_nothing(manager):
    response = manager.get(EXPORT + "?date_to=9999-12-31&score_min=500")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Nothing exported" in text and f"To: {DAY_RANGE}" in text and "Score from:" in text
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT_CSV).exists()


def test_the_export_audit_entry_keeps_only_the_filters_it_knows(manager):
    response = manager.get(EXPORT + "?status=ended&x=%00")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT_CSV)
    assert entry.details["filters"] == {"status": "ended"}


@pytest.mark.parametrize("page", ["99999999999999999999999", "10001"])
def test_a_page_past_the_last_one_the_list_serves_is_a_404_that_says_so(manager, page):
    response = manager.get(f"{LIST}?page={page}")
    assert response.status_code == 404
    assert "The list goes back 10,000 pages at most: narrow it with the filters." in response.content.decode()


@pytest.mark.parametrize("page", ["-5", "abc", "NaN", "0", "1e9"])
def test_a_mistyped_page_number_shows_the_first_page(manager, page):
    response = manager.get(f"{LIST}?page={page}")
    assert response.status_code == 200 and response.context["page"].number == 1


def test_the_last_page_served_is_still_a_page(manager):
    response = manager.get(f"{LIST}?page=10000")
    assert response.status_code == 200 and response.context["page"].rows == []
