"""The Salesforce sandbox behaves like an org for single sObjects: create, read, update, delete, upsert by
external id, field validation and platform events, as seen through simple-salesforce over verified TLS."""

from __future__ import annotations

import threading
from urllib.parse import quote

import pytest
from simple_salesforce.exceptions import (
    SalesforceMalformedRequest,
    SalesforceMoreThanOneRecord,
    SalesforceResourceNotFound,
)

from devtools.salesforce_sandbox.schema import text
from tests.integrations.salesforce.sandbox_clients import LEAD, error_of, salesforce_client


# --- sObjects, upsert ------------------------------------------------------------------


def test_create_get_update_delete(sf, sandbox):
    created = sf.Lead.create(LEAD)
    assert created["success"] and created["id"].startswith("00Q") and len(created["id"]) == 18
    assert sf.Lead.update(created["id"], {"Status": "Working - Contacted"}) == 204
    lead = sf.Lead.get(created["id"])
    assert lead["attributes"] == {"type": "Lead", "url": f"/services/data/v62.0/sobjects/Lead/{created['id']}"}
    assert (lead["Name"], lead["Status"], lead["Email"]) == ("Ada Lovelace", "Working - Contacted", None)
    assert sf.Lead.get(created["id"], params={"fields": "LastName,Company"}) == {
        "attributes": lead["attributes"], "LastName": "Lovelace", "Company": "Analytical Engines"}
    assert sf.Lead.delete(created["id"]) == 204
    with pytest.raises(SalesforceResourceNotFound):
        sf.Lead.get(created["id"])


def test_ids_carry_the_key_prefix_of_their_object(sf):
    account = sf.Account.create({"Name": "Acme"})["id"]
    contact = sf.Contact.create({"LastName": "Doe", "AccountId": account})["id"]
    case = sf.Case.create({"Subject": "Call back", "ContactId": contact})["id"]
    task = sf.Task.create({"Subject": "Call", "WhatId": case})["id"]
    assert [account[:3], contact[:3], case[:3], task[:3]] == ["001", "003", "500", "00T"]
    assert sf.Case.get(case)["CaseNumber"] == "00001001"


def test_upsert_by_external_id_creates_then_updates(sf, sandbox):
    created = sf.Task.upsert("Vapi_Call_Id__c/call-1", {"Subject": "AI call", "TaskSubtype": "Call"}, raw_response=True)
    assert created.status_code == 201
    assert created.json()["created"] is True
    updated = sf.Task.upsert("Vapi_Call_Id__c/call-1", {"CallDurationInSeconds": 95}, raw_response=True)
    assert updated.status_code == 200
    assert updated.json() == {"id": created.json()["id"], "success": True, "errors": [], "created": False}
    [task] = sandbox.org.records("Task")
    assert (task["Vapi_Call_Id__c"], task["Subject"], task["CallDurationInSeconds"]) == ("call-1", "AI call", 95)


def test_upsert_url_decodes_the_external_id(sf, sandbox):
    sf.Task.upsert("Vapi_Call_Id__c/" + quote("call/1 ä", safe=""), {"Subject": "x"})
    assert sandbox.org.records("Task")[0]["Vapi_Call_Id__c"] == "call/1 ä"


def test_upsert_matching_two_records_answers_300_with_their_urls(sf, sandbox):
    first = sandbox.org.insert("Case", {"Subject": "a", "Vapi_Call_Id__c": "dup"})
    second = sandbox.org.insert("Case", {"Subject": "b", "Vapi_Call_Id__c": "dup"})
    with pytest.raises(SalesforceMoreThanOneRecord) as raised:
        sf.Case.upsert("Vapi_Call_Id__c/dup", {"Subject": "c"})
    assert raised.value.status == 300
    assert raised.value.content == [f"/services/data/v62.0/sobjects/Case/{first}", f"/services/data/v62.0/sobjects/Case/{second}"]


def test_upsert_on_a_field_that_is_not_an_external_id_is_refused(sf):
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Lead.upsert("Email/ada@example.com", LEAD)
    assert error_of(raised)["errorCode"] == "INVALID_FIELD"


def test_unique_external_ids_reject_duplicates(sf):
    sf.Task.create({"Vapi_Call_Id__c": "call-1"})
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Task.create({"Vapi_Call_Id__c": "CALL-1"})  # unique values compare case-insensitively
    assert error_of(raised)["errorCode"] == "DUPLICATE_VALUE"


def test_concurrent_upserts_of_one_external_id_make_one_record(sandbox, token):
    clients = [salesforce_client(sandbox, token) for _ in range(10)]
    start = threading.Barrier(len(clients))
    statuses = []

    def upsert(client):
        start.wait()
        statuses.append(client.Task.upsert("Vapi_Call_Id__c/race", {"Subject": "AI call"}))

    threads = [threading.Thread(target=upsert, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sandbox.org.records("Task")) == 1
    assert sorted(statuses) == [200] * 9 + [201]


# --- validation ------------------------------------------------------------------------


def test_missing_required_fields(sf):
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Lead.create({"Company": "Acme"})
    assert raised.value.content == [
        {"message": "Required fields are missing: [LastName]", "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["LastName"]}]


def test_clearing_a_required_field_is_refused(sf):
    lead = sf.Lead.create(LEAD)["id"]
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Lead.update(lead, {"Company": None})
    assert error_of(raised)["fields"] == ["Company"]


def test_unknown_field(sf):
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Lead.create({**LEAD, "Foo__c": "x"})
    assert error_of(raised) == {
        "errorCode": "INVALID_FIELD", "message": "No such column 'Foo__c' on sobject of type Lead", "fields": ["Foo__c"]}


def test_text_longer_than_the_field_is_refused(sf):
    sf.Lead.create({**LEAD, "Call_Transcript__c": "x" * 131072})
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Lead.create({**LEAD, "Call_Transcript__c": "x" * 131073})
    assert error_of(raised)["errorCode"] == "STRING_TOO_LONG"
    assert error_of(raised)["fields"] == ["Call_Transcript__c"]
    assert "(max length=131072)" in error_of(raised)["message"]


@pytest.mark.parametrize(("fields", "code"), [
    ({"Qualification_Status__c": "Lukewarm"}, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"),
    ({"Email": "not-an-email"}, "INVALID_EMAIL_ADDRESS"),
    ({"AI_Qualification_Score__c": "high"}, "JSON_PARSER_ERROR"),
    ({"Last_AI_Contact__c": "yesterday"}, "JSON_PARSER_ERROR"),
    ({"DoNotCall": "maybe"}, "JSON_PARSER_ERROR"),
    ({"OwnerId": "00Q5g0000000001EAA"}, "FIELD_INTEGRITY_EXCEPTION"),
])
def test_values_are_checked_against_their_field_type(sf, fields, code):
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Lead.create({**LEAD, **fields})
    assert error_of(raised)["errorCode"] == code


def test_custom_lead_fields_store_typed_values(sf):
    lead = sf.Lead.create({**LEAD, "AI_Qualification_Score__c": 87, "Qualification_Status__c": "Hot",
                           "Last_AI_Contact__c": "2025-03-01T09:30:00+01:00"})["id"]
    stored = sf.Lead.get(lead)
    assert stored["AI_Qualification_Score__c"] == 87.0
    assert stored["Last_AI_Contact__c"] == "2025-03-01T08:30:00.000+0000"


def test_references_must_point_at_existing_records(sf, sandbox):
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Task.create({"Subject": "Call", "WhoId": "00Q5g00000zzzzzAAA"})
    assert error_of(raised)["errorCode"] == "INVALID_CROSS_REFERENCE_KEY"


def test_task_subtype_can_be_set_on_create_only(sf):
    task = sf.Task.create({"Subject": "Call", "TaskSubtype": "Call"})["id"]
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Task.update(task, {"TaskSubtype": "Task"})
    assert error_of(raised)["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"


def test_describe_lists_fields_and_the_schema_can_be_extended(sf, sandbox):
    assert sf.Task.metadata()["objectDescribe"]["keyPrefix"] == "00T"
    assert {"Lead", "Contact", "Account", "Task", "Case"} <= {item["name"] for item in sf.describe()["sobjects"]}
    fields = {field["name"]: field for field in sf.Task.describe()["fields"]}
    assert fields["Vapi_Call_Id__c"]["externalId"] and fields["Vapi_Call_Id__c"]["unique"]
    assert fields["Description"]["length"] == 32000
    sandbox.org.schema.add_field("Lead", text("Region__c", 10))
    assert sf.Lead.get(sf.Lead.create({**LEAD, "Region__c": "EMEA"})["id"])["Region__c"] == "EMEA"
    sandbox.org.reset()
    assert "Region__c" not in {field["name"] for field in sf.Lead.describe()["fields"]}


# --- platform events -------------------------------------------------------------------


def test_platform_events_are_published_and_kept(sf, sandbox):
    published = sf.AI_Call_Qualified__e.create({"Lead_Id__c": "00Q5g0000000001EAA", "Score__c": 87})
    assert published["success"] and published["id"].startswith("e00")
    [event] = sandbox.org.records("AI_Call_Qualified__e")
    assert (event["Lead_Id__c"], event["Score__c"]) == ("00Q5g0000000001EAA", "87")
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.query("SELECT Id FROM AI_Call_Qualified__e")
    assert error_of(raised)["errorCode"] == "INVALID_TYPE"
