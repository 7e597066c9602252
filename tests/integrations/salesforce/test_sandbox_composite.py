"""The Salesforce sandbox writes many records in one request as an org does: sObject Collections and Composite."""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from tests.integrations.salesforce.sandbox_clients import LEAD, api_calls_used, error_of


# --- sObject Collections ---------------------------------------------------------------


def lead_records(count: int, **overrides) -> list[dict]:
    return [{"attributes": {"type": "Lead"}, **LEAD, "LastName": f"Lead {index}", **overrides} for index in range(count)]


def test_collection_create_takes_200_records_for_one_api_call(sf, sandbox):
    results = sf.restful("composite/sobjects", method="POST", json={"allOrNone": False, "records": lead_records(200)})
    assert len(results) == 200 and all(result["success"] for result in results)
    assert len(sandbox.org.records("Lead")) == 200
    assert api_calls_used(sf) == 1


def test_collection_of_more_than_200_records_is_refused(sf, sandbox):
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.restful("composite/sobjects", method="POST", json={"records": lead_records(201)})
    assert error_of(raised)["errorCode"] == "EXCEEDED_ID_LIMIT"
    assert sandbox.org.records("Lead") == []


def test_collection_all_or_none_rolls_everything_back(sf, sandbox):
    records = lead_records(3)
    records[1]["LastName"] = None
    results = sf.restful("composite/sobjects", method="POST", json={"allOrNone": True, "records": records})
    assert [result["success"] for result in results] == [False, False, False]
    assert [result["errors"][0]["statusCode"] for result in results] == [
        "ALL_OR_NONE_OPERATION_ROLLED_BACK", "REQUIRED_FIELD_MISSING", "ALL_OR_NONE_OPERATION_ROLLED_BACK"]
    assert results[1]["errors"][0]["fields"] == ["LastName"]
    assert sandbox.org.records("Lead") == []


def test_collection_without_all_or_none_keeps_the_good_records(sf, sandbox):
    records = lead_records(3)
    records[1]["Foo__c"] = "x"
    results = sf.restful("composite/sobjects", method="POST", json={"allOrNone": False, "records": records})
    assert [result["success"] for result in results] == [True, False, True]
    assert results[1] == {"success": False, "errors": [
        {"statusCode": "INVALID_FIELD", "message": "No such column 'Foo__c' on sobject of type Lead", "fields": ["Foo__c"]}]}
    assert len(sandbox.org.records("Lead")) == 2


def test_collection_update_by_id(sf, sandbox):
    ids = [sandbox.org.insert("Lead", LEAD) for _ in range(2)]
    records = [{"attributes": {"type": "Lead"}, "Id": record_id, "Status": "Working - Contacted"} for record_id in ids]
    results = sf.restful("composite/sobjects", method="PATCH", json={"records": records})
    assert [result["id"] for result in results] == ids
    assert {lead["Status"] for lead in sandbox.org.records("Lead")} == {"Working - Contacted"}


def test_collection_upsert_by_external_id(sf, sandbox):
    def upsert(records):
        body = {"allOrNone": False, "records": [{"attributes": {"type": "Task"}, **record} for record in records]}
        return sf.restful("composite/sobjects/Task/Vapi_Call_Id__c", method="PATCH", json=body)

    first = upsert([{"Vapi_Call_Id__c": "a", "Subject": "1"}, {"Vapi_Call_Id__c": "b", "Subject": "2"}])
    assert [result["created"] for result in first] == [True, True]
    second = upsert([{"Vapi_Call_Id__c": "a", "Subject": "3"}, {"Vapi_Call_Id__c": "c"}, {"Vapi_Call_Id__c": "c"}])
    assert second[0] == {"id": first[0]["id"], "success": True, "errors": [], "created": False}
    assert [result["errors"][0]["statusCode"] for result in second[1:]] == ["DUPLICATE_EXTERNAL_ID"] * 2
    assert sorted(task["Subject"] for task in sandbox.org.records("Task")) == ["2", "3"]


# --- Composite -------------------------------------------------------------------------


def composite(sf, subrequests, all_or_none=True):
    return sf.restful("composite", method="POST", json={"allOrNone": all_or_none, "compositeRequest": subrequests})


def test_composite_resolves_references_and_costs_one_call(sf, sandbox):
    base = "/services/data/v62.0"
    responses = composite(sf, [
        {"method": "POST", "url": f"{base}/sobjects/Account", "referenceId": "account", "body": {"Name": "Acme"}},
        {"method": "POST", "url": f"{base}/sobjects/Contact", "referenceId": "contact",
         "body": {"LastName": "Doe", "AccountId": "@{account.id}"}},
        {"method": "POST", "url": f"{base}/sobjects/Lead", "referenceId": "lead", "body": LEAD},
        {"method": "PATCH", "url": f"{base}/sobjects/Task/Vapi_Call_Id__c/call-9", "referenceId": "task",
         "body": {"Subject": "Call with @{contact.id}", "WhoId": "@{lead.id}"}},
        {"method": "GET", "url": f"{base}/sobjects/Lead/@{{lead.id}}?fields=LastName", "referenceId": "read"},
    ])["compositeResponse"]
    assert [response["httpStatusCode"] for response in responses] == [201, 201, 201, 201, 200]
    assert responses[3]["httpHeaders"]["Location"].startswith(f"{base}/sobjects/Task/00T")
    assert responses[4]["body"]["LastName"] == "Lovelace"
    [task] = sandbox.org.records("Task")
    assert task["WhoId"] == responses[2]["body"]["id"]
    assert task["Subject"] == f"Call with {responses[1]['body']['id']}"
    assert sandbox.org.records("Contact")[0]["AccountId"] == responses[0]["body"]["id"]
    assert api_calls_used(sf) == 1


def test_composite_all_or_none_rolls_back_and_halts(sf, sandbox):
    base = "/services/data/v62.0"
    responses = composite(sf, [
        {"method": "POST", "url": f"{base}/sobjects/Lead", "referenceId": "lead", "body": LEAD},
        {"method": "POST", "url": f"{base}/sobjects/Lead", "referenceId": "bad", "body": {"Company": "Acme"}},
        {"method": "POST", "url": f"{base}/sobjects/Task", "referenceId": "task", "body": {"WhoId": "@{lead.id}"}},
    ])["compositeResponse"]
    assert [response["httpStatusCode"] for response in responses] == [400, 400, 400]
    assert [response["body"][0]["errorCode"] for response in responses] == [
        "PROCESSING_HALTED", "REQUIRED_FIELD_MISSING", "PROCESSING_HALTED"]
    assert sandbox.org.records("Lead") == [] and sandbox.org.records("Task") == []


def test_composite_without_all_or_none_halts_only_what_depends_on_a_failure(sf, sandbox):
    base = "/services/data/v62.0"
    responses = composite(sf, [
        {"method": "POST", "url": f"{base}/sobjects/Lead", "referenceId": "bad", "body": {"Company": "Acme"}},
        {"method": "POST", "url": f"{base}/sobjects/Task", "referenceId": "task", "body": {"WhoId": "@{bad.id}"}},
        {"method": "POST", "url": f"{base}/sobjects/Lead", "referenceId": "good", "body": LEAD},
    ], all_or_none=False)["compositeResponse"]
    assert [response["httpStatusCode"] for response in responses] == [400, 400, 201]
    assert responses[1]["body"][0]["errorCode"] == "PROCESSING_HALTED"
    assert len(sandbox.org.records("Lead")) == 1


def test_composite_takes_at_most_25_subrequests(sf):
    subrequest = {"method": "GET", "url": "/services/data/v62.0/limits"}
    composite(sf, [{**subrequest, "referenceId": f"r{index}"} for index in range(25)])
    with pytest.raises(SalesforceMalformedRequest):
        composite(sf, [{**subrequest, "referenceId": f"r{index}"} for index in range(26)])
