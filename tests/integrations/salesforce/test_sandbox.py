"""The Salesforce sandbox behaves like an org, as seen through simple-salesforce and httpx over verified TLS."""

from __future__ import annotations

import threading
from urllib.parse import quote

import httpx
import pytest
import requests
from simple_salesforce.exceptions import (
    SalesforceExpiredSession,
    SalesforceMalformedRequest,
    SalesforceMoreThanOneRecord,
    SalesforceRefusedRequest,
    SalesforceResourceNotFound,
)

from devtools.salesforce_sandbox.schema import text
from tests.integrations.salesforce.sandbox_clients import api_calls_used, fetch_token, salesforce_client

LEAD = {"FirstName": "Ada", "LastName": "Lovelace", "Company": "Analytical Engines", "Phone": "+15550100"}


def error_of(raised: pytest.ExceptionInfo) -> dict:
    [error] = raised.value.content
    return error


# --- OAuth -----------------------------------------------------------------------------


def test_client_credentials_grant_returns_a_salesforce_token_response(http, sandbox):
    response = http.post("/services/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": sandbox.client_id, "client_secret": sandbox.client_secret})
    assert response.status_code == 200
    body = response.json()
    assert body["instance_url"] == sandbox.instance_url
    assert body["token_type"] == "Bearer"
    assert set(body) >= {"access_token", "id", "issued_at", "signature"}


def test_client_credentials_may_come_as_http_basic_auth(http, sandbox):
    response = http.post("/services/oauth2/token", data={"grant_type": "client_credentials"},
                         auth=(sandbox.client_id, sandbox.client_secret))
    assert response.status_code == 200


@pytest.mark.parametrize("password_suffix", ["", "security token"])
def test_password_grant_accepts_the_password_with_or_without_security_token(http, sandbox, password_suffix):
    password = sandbox.password + (sandbox.security_token if password_suffix else "")
    response = http.post("/services/oauth2/token", data={
        "grant_type": "password", "client_id": sandbox.client_id, "client_secret": sandbox.client_secret,
        "username": sandbox.username, "password": password})
    assert response.status_code == 200
    assert salesforce_client(sandbox, response.json()["access_token"]).limits()["DailyApiRequests"]["Max"] == 15000


def test_bad_password_is_an_invalid_grant(http, sandbox):
    response = http.post("/services/oauth2/token", data={
        "grant_type": "password", "client_id": sandbox.client_id, "client_secret": sandbox.client_secret,
        "username": sandbox.username, "password": "wrong"})
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": "authentication failure"}


def test_bad_client_secret_is_an_invalid_client(http, sandbox):
    response = http.post("/services/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": sandbox.client_id, "client_secret": "wrong"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client"


def test_unknown_token_is_an_invalid_session(sandbox):
    with pytest.raises(SalesforceExpiredSession) as raised:
        salesforce_client(sandbox, "00D!not-a-token").query("SELECT Id FROM Lead")
    assert error_of(raised) == {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}


def test_tokens_expire_after_their_time_to_live(sandbox, http, monkeypatch):
    monkeypatch.setattr(sandbox.tokens, "ttl_seconds", 0)
    with pytest.raises(SalesforceExpiredSession):
        salesforce_client(sandbox, fetch_token(http, sandbox)).query("SELECT Id FROM Lead")


# --- TLS -------------------------------------------------------------------------------


def test_tls_is_verified_against_the_sandbox_ca(sandbox):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(sandbox.instance_url + "/services/data/", timeout=5)  # trusts the public CAs only
    with pytest.raises(httpx.ConnectError):
        httpx.get(sandbox.instance_url + "/services/data/", timeout=5)


def test_the_certificate_also_names_localhost(sandbox):
    url = sandbox.instance_url.replace("127.0.0.1", "localhost") + "/services/data/"
    assert requests.get(url, verify=sandbox.ca_bundle, timeout=5).status_code == 200


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


# --- SOQL ------------------------------------------------------------------------------


@pytest.fixture
def leads(sandbox):
    for index, (status, email) in enumerate([("Hot", "a@x.io"), ("Warm", "b@x.io"), ("Cold", "c@x.io"), ("Hot", None)]):
        sandbox.org.insert("Lead", {"LastName": f"L{index}", "Company": "Acme", "Qualification_Status__c": status,
                                    "Email": email, "AI_Qualification_Score__c": index * 10})


@pytest.mark.parametrize(("where", "expected"), [
    ("", ["L0", "L1", "L2", "L3"]),
    ("WHERE Qualification_Status__c = 'Hot'", ["L0", "L3"]),
    ("WHERE Qualification_Status__c = 'hot' AND Email = 'A@X.IO'", ["L0"]),
    ("WHERE Qualification_Status__c IN ('Warm', 'Cold')", ["L1", "L2"]),
    ("WHERE Qualification_Status__c NOT IN ('Warm', 'Cold')", ["L0", "L3"]),
    ("WHERE Qualification_Status__c != 'Hot'", ["L1", "L2"]),
    ("WHERE Email = null", ["L3"]),
    ("WHERE AI_Qualification_Score__c = 20", ["L2"]),
    ("WHERE DoNotCall = false LIMIT 2", ["L0", "L1"]),
    ("ORDER BY AI_Qualification_Score__c DESC LIMIT 1", ["L3"]),
])
def test_soql_subset(sf, leads, where, expected):
    result = sf.query(f"SELECT Id, LastName FROM Lead {where}")
    assert result["done"] is True
    assert result["totalSize"] == len(expected)
    assert [record["LastName"] for record in result["records"]] == expected
    assert set(result["records"][0]) == {"attributes", "Id", "LastName"}
    assert result["records"][0]["attributes"]["type"] == "Lead"


def test_soql_finds_a_record_by_its_15_character_id(sf, sandbox):
    lead = sandbox.org.insert("Lead", LEAD)
    assert sf.query(f"SELECT Id FROM Lead WHERE Id = '{lead[:15]}'")["records"][0]["Id"] == lead


@pytest.mark.parametrize(("soql", "code"), [
    ("SELEC Id FROM Lead", "MALFORMED_QUERY"),
    ("SELECT Id FROM Lead WHERE", "MALFORMED_QUERY"),
    ("SELECT Id FROM Lead WHERE Email = 'unterminated", "MALFORMED_QUERY"),
    ("SELECT Id FROM Lead WHERE Email = 'a' OR Phone = 'b'", "MALFORMED_QUERY"),
    ("SELECT Id, Foo__c FROM Lead", "INVALID_FIELD"),
    ("SELECT Id FROM Lead WHERE Foo__c = 'x'", "INVALID_FIELD"),
    ("SELECT Id FROM Opportunityish", "INVALID_TYPE"),
])
def test_bad_soql_is_refused(sf, soql, code):
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.query(soql)
    assert error_of(raised)["errorCode"] == code


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


# --- platform events -------------------------------------------------------------------


def test_platform_events_are_published_and_kept(sf, sandbox):
    published = sf.AI_Call_Qualified__e.create({"Lead_Id__c": "00Q5g0000000001EAA", "Score__c": 87})
    assert published["success"] and published["id"].startswith("e00")
    [event] = sandbox.org.records("AI_Call_Qualified__e")
    assert (event["Lead_Id__c"], event["Score__c"]) == ("00Q5g0000000001EAA", "87")
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.query("SELECT Id FROM AI_Call_Qualified__e")
    assert error_of(raised)["errorCode"] == "INVALID_TYPE"


# --- limits ----------------------------------------------------------------------------


def test_every_api_response_reports_usage_and_the_budget_counts_calls(sf, http, token):
    sf.query("SELECT Id FROM Lead")
    assert sf.api_usage["api-usage"].used == 1 and sf.api_usage["api-usage"].total == 15000
    assert sf.limits()["DailyApiRequests"] == {"Max": 15000, "Remaining": 14999}  # limits is free
    versions = http.get("/services/data/")  # so is the version list, which needs no token
    assert {"version": "62.0", "label": "Winter '25", "url": "/services/data/v62.0"} in versions.json()
    assert versions.headers["Sforce-Limit-Info"] == "api-usage=1/15000"
    sf.restful("sobjects/Lead/describe")
    assert api_calls_used(sf) == 2


def test_an_exhausted_budget_refuses_requests(sf, sandbox):
    sandbox.faults.set_remaining_budget(1)
    sf.query("SELECT Id FROM Lead")
    with pytest.raises(SalesforceRefusedRequest) as raised:
        sf.query("SELECT Id FROM Lead")
    assert error_of(raised) == {"errorCode": "REQUEST_LIMIT_EXCEEDED", "message": "TotalRequests Limit exceeded."}
    assert sf.limits()["DailyApiRequests"]["Remaining"] == 0
    sandbox.org.reset()
    assert sf.query("SELECT Id FROM Lead")["totalSize"] == 0


def test_api_versions_newer_than_the_org_do_not_exist(http, token):
    response = http.get("/services/data/v99.0/limits", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    assert response.json()[0]["errorCode"] == "NOT_FOUND"
