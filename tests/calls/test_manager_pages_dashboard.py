"""The dashboard (/dashboard/): the numbers of the chosen range, its defaults, and a range that is upside down."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.salesforce.budget import api_budget
from tests.calls.manager_pages_support import DASHBOARD, at, scored_call
from tests.factories import CallFactory, SyncJobFactory

pytestmark = pytest.mark.django_db


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
