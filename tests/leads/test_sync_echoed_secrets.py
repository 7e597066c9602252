"""What a call sends to Salesforce never carries the credentials Vapi echoed in its bodies.

The report of tests/fixtures/vapi/end-of-call-report-with-server-secrets.json is posted signed, synced by
the task to the sandbox, and every record the sandbox holds is searched for the fixture's fake secrets.
Task.Description is mapped to the whole analysis.structuredData, the widest path a mapping can read."""

from __future__ import annotations

import json

import pytest

from calls.models import Call
from crm.models import FieldMapping
from integrations.vapi.secrets import MASK
from tests.calls.test_echoed_secrets import FIXTURE, RAW, leaked
from tests.leads.sync_support import run_job, tasks_for
from tests.support.signing import vapi_fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_describe")]


def map_description_to_structured_data() -> None:
    FieldMapping.objects.filter(target_object="Task", target_field="Description").update(
        source="analysis.structuredData")


def posted(post_vapi) -> dict:
    assert post_vapi(RAW.encode()).status_code == 200
    return vapi_fixture(FIXTURE)


def test_what_reaches_salesforce_carries_no_credential(post_vapi, salesforce):
    report = posted(post_vapi)
    map_description_to_structured_data()
    call = Call.objects.get(vapi_call_id=report["message"]["call"]["id"])

    assert run_job(call)["synced"] == 1

    everything = json.dumps({name: salesforce.org.records(name) for name in ("Lead", "Task", "Case")}, default=str)
    assert leaked(everything) == []
    [task] = tasks_for(salesforce, call)
    assert json.loads(task["Description"])["company"] == "Northwind Logistics"
    [lead] = salesforce.org.records("Lead")
    assert call.segments.first().text.strip() in lead["Call_Transcript__c"]


def test_a_call_stored_before_masking_syncs_without_its_credentials(post_vapi, salesforce):
    """Rows written by an earlier version still hold what arrived: the call document masks on the way out."""
    report = posted(post_vapi)
    map_description_to_structured_data()
    call = Call.objects.get(vapi_call_id=report["message"]["call"]["id"])
    call.structured_data = {**call.structured_data, "crmApiKey": "fake-structured-crm-api-key-22uu"}
    call.save(update_fields=["structured_data"])

    run_job(call)

    [task] = tasks_for(salesforce, call)
    assert json.loads(task["Description"])["crmApiKey"] == MASK
    assert "fake-structured-crm-api-key-22uu" not in json.dumps(salesforce.org.records("Task"))
