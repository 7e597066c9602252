"""A big batch of calls writes every follow-up, callback Task, Case and event once, through sObject Collections.

Calls arrive as signed webhooks; scores are recorded directly (the scoring engine is not
under test here); the sync task runs as a worker runs it, against the sandbox over HTTPS."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from calls.models import Call
from crm.models import Role
from tests.leads.follow_up_support import callback_tasks, cases_for, changed, follow_up_tasks, published, qualify
from tests.leads.sync_support import job_of, leads_with_phone, post_call, run_job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_describe")]


# --- a big batch -----------------------------------------------------------------------------

def test_a_big_batch_writes_every_extra_record_once_through_collections(post_vapi, salesforce):
    calls = [post_call(post_vapi, number=f"+1415555{index:04d}") for index in range(40)]
    hot, callers_back, support = calls[::4], calls[1::10], calls[3::10]  # ten, four, four: none in two
    for call in calls:
        qualify(call, status="warm", score=55)
    for call in hot:
        qualify(call)
    for call in callers_back:
        Call.objects.filter(pk=call.pk).update(callback_at=datetime(2026, 11, 20, 18, tzinfo=UTC),
                                               callback_timezone="America/New_York")
    for call in support:
        qualify(call, status="unqualified", score=None, intent="support")

    outcome = run_job(calls[0])

    assert outcome["claimed"] == 40 and outcome["synced"] == 40
    # One look-up request, then Lead creates, Task upserts (all three kinds), Case upserts, events.
    assert outcome["api_requests"] == 5
    _assert_written_once(salesforce, calls, hot, callers_back, support)
    events = published(salesforce)

    for call in calls:
        changed(call)
    again = run_job(calls[0])

    assert again["synced"] == 40 and again["api_requests"] == 3  # Lead updates, Task upserts, Case upserts
    _assert_written_once(salesforce, calls, hot, callers_back, support)
    assert published(salesforce) == events


def _assert_written_once(sandbox, calls, hot, callers_back, support) -> None:
    assert len(sandbox.org.records("Lead")) == 40
    assert len(sandbox.org.records("Task")) == 40 + len(hot) + len(callers_back)
    for call in calls:
        [lead] = leads_with_phone(sandbox, call.customer_number)
        follow_ups_written = follow_up_tasks(sandbox, call)
        assert len(follow_ups_written) == (call in hot)
        assert all(task["WhoId"] == lead["Id"] for task in follow_ups_written + callback_tasks(sandbox, call))
        assert len(callback_tasks(sandbox, call)) == (call in callers_back)
        assert len(cases_for(sandbox, call)) == (call in support)
    assert sorted(event["Call_Id__c"] for event in published(sandbox)) == sorted(call.vapi_call_id for call in hot)
    assert all(Role.EVENT in job_of(call).written for call in hot)
