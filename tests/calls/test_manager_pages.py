"""The manager pages (/calls/, /dashboard/): access, filters, search, the call in full, CSV and the dashboard."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.services import provision_user
from calls.models import Call, DispositionChange, Recording, ToolInvocation, WebhookEvent
from crm.models import Role, SyncAttempt, SyncedRecord
from integrations.salesforce.budget import api_budget
from integrations.salesforce.config import SalesforceConfig
from integrations.salesforce.tokens import TokenProvider
from tests.accounts.support import ensure_roles
from tests.factories import (
    CallFactory,
    LeadFactory,
    QualificationFactory,
    QualificationPolicyFactory,
    SyncJobFactory,
    TranscriptSegmentFactory,
)
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

LIST, DASHBOARD, EXPORT = "/calls/", "/dashboard/", "/calls/export.csv"


@pytest.fixture
def manager(client):
    ensure_roles()
    client.force_login(provision_user(email="maya.manager@example.com", role="manager", password=None).user)
    return client


@pytest.fixture
def policy():
    return QualificationPolicyFactory(version=3, state="retired")


def at(days_ago: int, hour: int = 12):
    """A moment `days_ago` days before today, at `hour` o'clock (UTC, the site's time zone)."""
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def scored_call(policy, *, status="hot", score=85, days_ago=0, **call_fields):
    call = CallFactory(created_at=at(days_ago), **call_fields)
    QualificationFactory(call=call, policy=policy, status=status, score=score)
    return call


def listed(response) -> list[int]:
    return [row.call.pk for row in response.context["page"].rows]


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


def test_the_detail_page_costs_a_fixed_number_of_queries(manager, policy):
    def queries_for(call) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager.get(f"/calls/{call.pk}/").status_code == 200
        return len(captured)

    small, big = scored_call(policy), scored_call(policy)
    for call, lines in ((small, 2), (big, 40)):
        job = SyncJobFactory(call=call)
        for index in range(lines):
            TranscriptSegmentFactory(call=call, seconds_from_start=index, role="user" if index % 2 else "assistant")
            ToolInvocation.objects.create(call=call, tool_call_id=f"t{index}", name="score_lead", arguments={})
            SyncAttempt.objects.create(job=job, started_at=timezone.now(), outcome="retry")
            WebhookEvent.objects.create(provider="vapi", path="/webhooks/vapi/", call=call, event_type="transcript")
    assert queries_for(big) == queries_for(small)


# --- one call ----------------------------------------------------------------------------------

def test_a_posted_report_reads_as_a_conversation_with_audio_and_timestamps(manager, post_vapi):
    post_vapi(vapi_fixture("end-of-call-report"))
    call = Call.objects.get()
    response = manager.get(f"/calls/{call.pk}/")
    html = response.content.decode()
    lines = response.context["conversation"]
    assert lines and {line.speaker for line in lines} <= {"Caller", "Assistant"}
    assert [line.seconds_from_start for line in lines] == sorted(line.seconds_from_start for line in lines)
    assert 'id="transcript"' in html and lines[0].text[:30] in html
    assert f'<audio id="recording" controls preload="none" src="{escape(call.recording_url)}">' in html
    assert call.summary[:40] in html
    assert "end-of-call-report received" in html  # the timeline lists the webhook


def test_the_transcript_comes_from_the_most_complete_source_with_mm_ss(manager):
    call = CallFactory()
    TranscriptSegmentFactory(call=call, source="live", role="user", text="live words", seconds_from_start=1)
    TranscriptSegmentFactory(call=call, source="report", role="assistant", text="Hi, this is Ava.",
                             seconds_from_start=0.4)
    TranscriptSegmentFactory(call=call, source="report", role="user", text="We need it by March.",
                             seconds_from_start=75.2)
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    assert "live words" not in html
    assert "Hi, this is Ava." in html and "We need it by March." in html
    assert ">0:00</button>" in html and ">1:15</button>" in html
    assert 'class="utterance caller"' in html and 'class="utterance assistant"' in html


def test_twilio_recording_plays_when_vapi_sent_none(manager):
    call = CallFactory(recording_url="")
    Recording.objects.create(call=call, recording_sid="RE1", status="completed",
                             url="https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1")
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    assert 'id="recording"' in html and "Recordings/RE1" in html


def test_the_evidence_per_dimension_with_policy_version_and_disposition_history(manager, policy, django_user_model):
    call = scored_call(policy, disposition="QualifiedLead", lead=LeadFactory())
    qualification = call.qualification
    qualification.dimensions["timeline"].update(weight=25, quote="about six weeks", source="transcript",
                                                reason="matched a positive pattern")
    qualification.dimensions["need"] = {"verdict": "missing", "credit": 0, "weight": 25, "evidence": []}
    qualification.save()
    DispositionChange.objects.create(call=call, disposition="QualifiedLead", reason="rule #1: hot lead")
    response = manager.get(f"/calls/{call.pk}/")
    html = response.content.decode()
    rows = {row.dimension: row for row in response.context["evidence"]}
    assert list(rows) == ["budget", "authority", "need", "timeline"]
    assert rows["timeline"].points == 10.0 and rows["timeline"].quote == "about six weeks"
    assert rows["need"].verdict == "missing"
    assert "BANT v3" in html and "10.0 / 25" in html and "matched a positive pattern" in html
    assert "rule #1: hot lead" in html and "Sales" in html  # history and intent
    assert reverse("admin:leads_lead_change", args=[call.lead.pk]) in html


def test_tool_calls_and_the_sync_timeline_with_links_to_salesforce(manager, salesforce):
    call = CallFactory()
    ToolInvocation.objects.create(call=call, tool_call_id="call_1", name="lookup_lead",
                                  arguments={"phone": "+14155550123"}, result='{"found": true}', duration_ms=42)
    job = SyncJobFactory(call=call)
    SyncedRecord.objects.create(job=job, role=Role.LEAD, sobject="Lead", salesforce_id="00Q5g00000AbCdEEAZ")
    SyncedRecord.objects.create(job=job, role=Role.CALL_TASK, sobject="Task", salesforce_id="00T5g00000XyZ12AAB")
    SyncAttempt.objects.create(job=job, started_at=timezone.now() - timedelta(minutes=1), outcome="retry",
                               api_requests=1, error_code="UNABLE_TO_LOCK_ROW", error="row locked")
    SyncAttempt.objects.create(job=job, started_at=timezone.now(), outcome="synced", api_requests=2)
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    assert "lookup_lead" in html and "&quot;phone&quot;: &quot;+14155550123&quot;" in html and "42 ms" in html
    assert "UNABLE_TO_LOCK_ROW: row locked" in html and "2 API requests" in html
    assert "00Q5g00000AbCdEEAZ" in html and "/lightning/" not in html  # the org's address is unknown yet

    instance = TokenProvider(SalesforceConfig.from_settings()).get().instance_url  # a worker logged in
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    assert f'href="{instance}/lightning/r/Lead/00Q5g00000AbCdEEAZ/view"' in html
    assert f'href="{instance}/lightning/r/Task/00T5g00000XyZ12AAB/view"' in html


def test_what_callers_said_is_escaped(manager):
    call = CallFactory(structured_data={"name": "<script>alert(1)</script>"})
    TranscriptSegmentFactory(call=call, text="<img src=x onerror=alert(1)>")
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "&lt;img src=x" in html


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


# --- the dashboard -----------------------------------------------------------------------------------

@pytest.fixture
def budget():
    """The shared API budget snapshot, emptied before and after."""
    api_budget.reset()
    yield api_budget
    api_budget.reset()


def test_the_dashboard_counts_the_chosen_range(manager, policy, budget):
    scored_call(policy, status="hot", days_ago=1, duration_seconds=60, disposition="QualifiedLead")
    scored_call(policy, status="warm", score=50, days_ago=1, duration_seconds=120, disposition="CallbackRequested")
    scored_call(policy, status="hot", days_ago=3, duration_seconds=300, disposition="QualifiedLead")
    CallFactory(created_at=at(3), disposition="NoAnswer")
    CallFactory(created_at=at(20), duration_seconds=999)  # outside the range
    for state in ("pending", "waiting_budget", "dead"):
        SyncJobFactory(state=state, call=CallFactory(created_at=at(30)))
    budget.record("api-usage=1500/15000")
    first, last = timezone.localdate() - timedelta(days=6), timezone.localdate()
    response = manager.get(DASHBOARD, {"date_from": first.isoformat(), "date_to": last.isoformat()})
    numbers = response.context["numbers"]
    per_day = dict(numbers.calls_per_day)
    assert len(per_day) == 7 and numbers.total_calls == 4
    assert per_day[last - timedelta(days=1)] == 2 and per_day[last - timedelta(days=3)] == 1 + 1
    mix = {status: count for status, _, count in numbers.qualification_mix}
    assert mix == {"hot": 2, "warm": 1, "cold": 0, "unqualified": 0, "none": 1}
    assert {value: count for value, _, count in numbers.disposition_mix} == {
        "QualifiedLead": 2, "CallbackRequested": 1, "NoAnswer": 1}
    assert numbers.median_duration_seconds == 120 and numbers.median_duration == "2:00"
    assert numbers.sync_waiting == 2 and numbers.sync_dead == 1  # sync health is as of now, not per range
    assert numbers.budget_used_percent == 10.0
    html = response.content.decode()
    assert '<svg class="chart" role="img" aria-label="Calls per day' in html
    assert "1500 of 15000" in html and "2:00" in html


def test_the_dashboard_defaults_to_the_last_14_days_and_survives_an_empty_database(manager, budget):
    response = manager.get(DASHBOARD)
    numbers = response.context["numbers"]
    assert numbers.date_to == timezone.localdate() and len(numbers.calls_per_day) == 14
    assert numbers.total_calls == 0 and numbers.median_duration_seconds is None and numbers.budget is None
    assert "not known yet" in response.content.decode()


def test_an_upside_down_date_range_is_refused_with_a_message(manager):
    today = timezone.localdate()
    response = manager.get(DASHBOARD, {"date_from": today.isoformat(),
                                       "date_to": (today - timedelta(days=3)).isoformat()})
    assert response.status_code == 200
    assert "The first day comes after the last one." in response.content.decode()
    assert len(response.context["numbers"].calls_per_day) == 14


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


def test_a_scored_hot_call_explains_each_dimension_with_the_callers_words(manager, post_vapi):
    post_vapi(vapi_fixture("qualification-hot-report"))
    call = Call.objects.get()
    response = manager.get(f"/calls/{call.pk}/")
    rows = {row.dimension: row for row in response.context["evidence"]}
    stored = call.qualification.dimensions
    assert call.qualification.status == "hot"
    for dimension, row in rows.items():
        assert row.verdict == stored[dimension]["verdict"] and row.quote == str(stored[dimension].get("quote") or "")
        if row.quote:
            assert escape(row.quote) in response.content.decode()
    assert sum(row.points or 0 for row in rows.values()) == pytest.approx(call.qualification.score, abs=2)
