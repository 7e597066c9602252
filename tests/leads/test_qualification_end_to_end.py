"""Issue 4's promise end to end: a recorded hot call, delivered as Vapi delivers it, is scored
from its evidence and reaches the Salesforce sandbox with a follow-up Task for the lead's owner;
the same call without a budget does not."""

import copy

import pytest

from calls.models import Call
from devtools.salesforce_sandbox.ids import make_id
from leads.models import Qualification
from tests.factories import LeadFactory
from tests.leads.sync_support import run_job
from tests.support.signing import vapi_fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_describe")]

HOT = vapi_fixture("qualification-hot-report")
JORDAN = HOT["message"]["call"]["customer"]["number"]
OWNER = make_id("005", 7001)


def owned_lead(salesforce) -> str:
    lead_id = salesforce.org.insert("Lead", {"LastName": "Ellis", "Company": "Copperline Dental Supply",
                                             "Phone": JORDAN, "OwnerId": OWNER})
    LeadFactory(salesforce_id=lead_id, phone_e164=JORDAN, owner_salesforce_id=OWNER, first_name="Jordan",
                last_name="Ellis", company="Copperline Dental Supply")
    return lead_id


def follow_ups(salesforce, call: Call) -> list[dict]:
    key = f"{call.vapi_call_id}:follow-up"
    return [task for task in salesforce.org.records("Task") if task.get("Vapi_Call_Id__c") == key]


def test_a_replayed_hot_call_scores_hot_and_gives_its_owner_a_follow_up_task(post_vapi, salesforce):
    lead_id = owned_lead(salesforce)
    assert post_vapi(HOT).status_code == 200
    call = Call.objects.get(vapi_call_id=HOT["message"]["call"]["id"])
    scored = Qualification.objects.get(call=call)
    assert scored.final and scored.status == "hot" and scored.score >= 70
    answered = [name for name, found in scored.dimensions.items() if found["verdict"] == "positive"]
    assert sorted(answered) == ["authority", "budget", "need", "timeline"] and scored.evidence_count >= 4
    assert call.disposition == Call.Disposition.QUALIFIED_LEAD

    assert run_job(call)["synced"] == 1
    [task] = follow_ups(salesforce, call)
    assert (task["OwnerId"], task["WhoId"], task["Priority"]) == (OWNER, lead_id, "High")
    assert "$25,000 approved" in task["Description"]
    [lead] = [row for row in salesforce.org.records("Lead") if row["Id"] == lead_id]
    assert (lead["AI_Qualification_Score__c"], lead["Qualification_Status__c"]) == (scored.score, "Hot")
    assert lead["Disposition__c"] == "QualifiedLead"


def test_the_same_call_with_no_budget_this_year_is_not_hot_and_gets_no_follow_up(post_vapi, salesforce):
    owned_lead(salesforce)
    assert post_vapi(vapi_fixture("qualification-no-budget-report")).status_code == 200
    call = Call.objects.get(vapi_call_id=vapi_fixture("qualification-no-budget-report")["message"]["call"]["id"])
    scored = Qualification.objects.get(call=call)
    assert scored.dimensions["budget"]["verdict"] == "negative"
    assert scored.score < scored.policy.hot_threshold and scored.status != "hot"
    run_job(call)
    assert follow_ups(salesforce, call) == []


def test_a_duplicate_delivery_of_the_hot_report_writes_no_second_follow_up(post_vapi, salesforce):
    owned_lead(salesforce)
    post_vapi(HOT)
    call = Call.objects.get(vapi_call_id=HOT["message"]["call"]["id"])
    run_job(call)
    again = copy.deepcopy(HOT)
    again["message"]["timestamp"] += 1000
    post_vapi(again)
    run_job(call)
    assert len(follow_ups(salesforce, call)) == 1
    assert len(salesforce.org.records("AI_Call_Qualified__e")) == 1
