"""The call list (/calls/): its columns, paging, filters and search, its cost in queries, and its CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.calls.manager_pages_support import DASHBOARD, EXPORT, LIST, at, listed, scored_call
from tests.factories import CallFactory, LeadFactory, SyncJobFactory

pytestmark = pytest.mark.django_db


# --- the list, its filters and its search --------------------------------------------------------

def test_the_list_is_newest_first_with_the_columns_managers_read(manager, policy):
    lead = LeadFactory(first_name="Dana", last_name="Whitfield", company="Northwind Logistics")
    older = scored_call(policy, days_ago=2, lead=lead, duration_seconds=125, disposition="QualifiedLead")
    newer = CallFactory(created_at=at(0), structured_data={"name": "Ravi Patel", "company": "Acme Freight"},
                        customer_number="+14155550199")
    SyncJobFactory(call=older, state="synced")
    response = manager.get(LIST)
    assert listed(response) == [newer.pk, older.pk]
    html = response.content.decode()
    for text in ("Dana Whitfield", "Northwind Logistics", "2:05", "Qualified lead", "85 Hot", "Synced",
                 "Ravi Patel", "Acme Freight", "+14155550199", "Inbound"):
        assert text in html


def test_pages_show_next_without_counting_every_row(manager):
    for index in range(55):
        CallFactory(created_at=at(0) - timedelta(minutes=index))
    first = manager.get(LIST)
    assert len(first.context["page"].rows) == 50 and first.context["page"].has_next
    second = manager.get(LIST, {"page": 2})
    assert len(second.context["page"].rows) == 5 and not second.context["page"].has_next
    assert set(listed(first)).isdisjoint(listed(second))
    with CaptureQueriesContext(connection) as queries:
        manager.get(LIST)
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


@pytest.mark.parametrize("search", ["+1 (206) 555-0147", "2065550147", "+12065550147"])
def test_search_by_phone_in_any_format(manager, search):
    wanted = CallFactory(customer_number="+12065550147")
    CallFactory(customer_number="+14155550123")
    assert listed(manager.get(LIST, {"q": search})) == [wanted.pk]


def test_search_by_call_id_name_and_company(manager):
    dana = CallFactory(lead=LeadFactory(first_name="Dana", last_name="Whitfield", company="Northwind Logistics"))
    ravi = CallFactory(lead=LeadFactory(first_name="Ravi", last_name="Patel", company="Acme Freight"),
                       vapi_call_id="c0ffee00-1111-4222-8333-444455556666", twilio_call_sid="CA" + "1" * 32)
    assert listed(manager.get(LIST, {"q": "c0ffee00-1111-4222-8333-444455556666"})) == [ravi.pk]
    assert listed(manager.get(LIST, {"q": "CA" + "1" * 32})) == [ravi.pk]
    assert listed(manager.get(LIST, {"q": "whitfield"})) == [dana.pk]
    assert listed(manager.get(LIST, {"q": "Dana Whitfield"})) == [dana.pk]
    assert listed(manager.get(LIST, {"q": "acme"})) == [ravi.pk]
    assert listed(manager.get(LIST, {"q": "Dana Acme"})) == []


def test_filters_by_date_range(manager):
    CallFactory(created_at=at(5))
    two_days_ago = CallFactory(created_at=at(2, hour=0))
    yesterday = CallFactory(created_at=at(1, hour=23))
    CallFactory(created_at=at(0, hour=0))
    day = lambda days_ago: (timezone.localdate() - timedelta(days=days_ago)).isoformat()  # noqa: E731
    assert listed(manager.get(LIST, {"date_from": day(2), "date_to": day(1)})) == [yesterday.pk, two_days_ago.pk]
    assert len(listed(manager.get(LIST, {"date_from": day(1)}))) == 2
    assert len(listed(manager.get(LIST, {"date_to": day(2)}))) == 2


def test_filters_by_status_disposition_direction(manager):
    ended = CallFactory(status="ended", disposition="VoicemailLeft", direction="outbound")
    CallFactory(status="in-progress", disposition="", direction="inbound")
    CallFactory(status="ended", disposition="Spam", direction="inbound")
    assert len(listed(manager.get(LIST, {"status": "ended"}))) == 2
    assert listed(manager.get(LIST, {"disposition": "VoicemailLeft"})) == [ended.pk]
    assert listed(manager.get(LIST, {"direction": "outbound"})) == [ended.pk]


def test_filters_by_qualification_status_and_score_range(manager, policy):
    hot = scored_call(policy, status="hot", score=88)
    warm = scored_call(policy, status="warm", score=55)
    cold = scored_call(policy, status="cold", score=20)
    unscored = CallFactory()
    assert listed(manager.get(LIST, {"qualification_status": "hot"})) == [hot.pk]
    assert listed(manager.get(LIST, {"qualification_status": "none"})) == [unscored.pk]
    assert set(listed(manager.get(LIST, {"score_min": 50}))) == {hot.pk, warm.pk}
    assert set(listed(manager.get(LIST, {"score_max": 55}))) == {warm.pk, cold.pk}
    assert listed(manager.get(LIST, {"score_min": 40, "score_max": 60})) == [warm.pk]


def test_filters_by_sync_state(manager):
    synced = SyncJobFactory(state="synced").call
    waiting = {SyncJobFactory(state=state).call.pk for state in ("pending", "retrying", "waiting_budget",
                                                                   "not_configured", "in_flight")}
    dead = SyncJobFactory(state="dead").call
    incomplete = SyncJobFactory(state="synced", incomplete=True).call
    CallFactory()  # no job yet
    assert set(listed(manager.get(LIST, {"sync_state": "synced"}))) == {synced.pk, incomplete.pk}
    assert set(listed(manager.get(LIST, {"sync_state": "waiting"}))) == waiting
    assert listed(manager.get(LIST, {"sync_state": "dead"})) == [dead.pk]
    assert listed(manager.get(LIST, {"sync_state": "incomplete"})) == [incomplete.pk]


def test_an_invalid_filter_is_explained_and_ignored(manager):
    CallFactory()
    response = manager.get(LIST, {"score_min": "lots", "status": "nonsense"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"score_min", "status"}
    assert len(listed(response)) == 1


def test_yesterdays_hot_leads_are_two_clicks_away_and_explain_their_score(manager, policy):
    wanted = scored_call(policy, status="hot", days_ago=1)
    scored_call(policy, status="hot", days_ago=0)
    scored_call(policy, status="hot", days_ago=2)
    scored_call(policy, status="warm", score=50, days_ago=1)
    dashboard = manager.get(DASHBOARD)
    link = dashboard.context["hot_leads_url"]
    assert f'id="dashboard-hot-leads" href="{link.replace("&", "&amp;")}"' in dashboard.content.decode()
    hot_leads = manager.get(link)  # click one
    assert listed(hot_leads) == [wanted.pk]
    assert hot_leads.context["form"]["qualification_status"].value() == "hot"
    detail = manager.get(f"/calls/{wanted.pk}/")  # click two
    html = detail.content.decode()
    assert 'id="evidence"' in html and "$40,000 this quarter" in html and "VP of Operations" in html


def test_the_list_costs_the_same_queries_for_5_and_50_rows(manager, policy):
    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager.get(LIST, {"q": "Northwind"}).status_code == 200
        return len(captured)

    def add_calls(count):
        for _ in range(count):
            call = scored_call(policy, lead=LeadFactory(company="Northwind Logistics"))
            SyncJobFactory(call=call, state="dead")

    add_calls(5)
    with_5 = queries_for_the_list()
    add_calls(45)
    assert queries_for_the_list() == with_5


# --- CSV export -----------------------------------------------------------------------------------

def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_export_has_the_filtered_calls_and_is_safe_for_spreadsheets(manager, policy):
    hot = scored_call(policy, lead=LeadFactory(first_name="=HYPERLINK(\"http://x\")", last_name="",
                                               company="@Acme"), duration_seconds=61.5)
    scored_call(policy, status="cold", score=10)
    SyncJobFactory(call=hot, state="synced", incomplete=True)
    response = manager.get(EXPORT, {"qualification_status": "hot"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="calls-')
    rows = read_csv(response)
    assert len(rows) == 1
    row = rows[0]
    assert row["call_id"] == hot.vapi_call_id and row["score"] == "85" and row["qualification_status"] == "hot"
    assert row["caller_name"] == "'=HYPERLINK(\"http://x\")" and row["company"] == "'@Acme"
    assert row["duration_seconds"] == "61.5" and row["sync_state"] == "synced" and row["sync_incomplete"] == "yes"


def test_the_list_links_to_the_export_with_its_filters(manager):
    html = manager.get(LIST, {"direction": "outbound", "page": 2}).content.decode()
    assert 'id="export-csv" href="/calls/export.csv?direction=outbound"' in html
