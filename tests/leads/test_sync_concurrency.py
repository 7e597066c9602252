"""Syncs running side by side, as several workers run them."""

from __future__ import annotations


import pytest

from crm.models import SyncJob
from tests.leads.sync_support import job_of, leads_with_phone, post_call, run_job, tasks_for
from tests.support.together import run_together

NEW_NUMBER = "+13125550177"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_mappings", "warm_describe")
def test_two_calls_from_one_new_number_finishing_together_make_one_lead(post_vapi, salesforce, settings):
    settings.CALLSYNC_SYNC_BATCH_SIZE = 1  # one job per worker, as when both arrive at once
    calls = [post_call(post_vapi, number=NEW_NUMBER) for _ in range(2)]
    salesforce.faults.set_latency(0.2)  # widens the window in which a second Lead could be made
    run_together(run_job, calls)

    [lead] = leads_with_phone(salesforce, NEW_NUMBER)
    for call in calls:
        assert job_of(call).state == SyncJob.State.SYNCED
        assert [task["WhoId"] for task in tasks_for(salesforce, call)] == [lead["Id"]]
