"""Every way a Salesforce request fails comes out as a SalesforceError whose kind tells the
sync what to do: injected faults and real org refusals over HTTPS, then the shapes of
error bodies on their own."""

from __future__ import annotations

import pickle
import time
from email.utils import formatdate

import pytest

from devtools.salesforce_sandbox.auth import TOKEN_PATH
from integrations.salesforce import errors
from integrations.salesforce.client import get_client
from integrations.salesforce.errors import ErrorKind, SalesforceError, from_error_list

QUERY = "SELECT Id FROM Lead"


def failure_of(call) -> SalesforceError:
    with pytest.raises(SalesforceError) as raised:
        call()
    return raised.value


# --- injected faults -------------------------------------------------------------------


@pytest.mark.parametrize(("arm", "kind", "status", "code"), [
    ({"status": 503}, ErrorKind.TRANSIENT, 503, "SERVER_UNAVAILABLE"),
    ({"status": 500}, ErrorKind.TRANSIENT, 500, "UNKNOWN_EXCEPTION"),
    ({"status": 502}, ErrorKind.TRANSIENT, 502, ""),  # an HTML page from the edge
    ({"kind": "unable_to_lock_row"}, ErrorKind.TRANSIENT, 400, "UNABLE_TO_LOCK_ROW"),
    ({"kind": "request_limit"}, ErrorKind.LIMIT_EXCEEDED, 403, "REQUEST_LIMIT_EXCEEDED"),
])
def test_injected_failures_are_classified(salesforce, salesforce_client, arm, kind, status, code):
    salesforce.faults.fail_next(**arm)
    error = failure_of(lambda: salesforce_client.query(QUERY))
    assert (error.kind, error.status, error.code) == (kind, status, code)
    assert error.retryable and not error.permanent
    assert salesforce_client.query(QUERY) == []  # the fault was used up; the next request goes through


def test_a_bad_gateway_page_is_summarised_not_dumped(salesforce, salesforce_client):
    salesforce.faults.fail_next(status=502)
    assert str(failure_of(lambda: salesforce_client.query(QUERY))).startswith("Salesforce answered HTTP 502: <html>")


def test_a_dropped_connection_is_transient(salesforce, salesforce_client):
    salesforce.faults.drop_next()
    error = failure_of(lambda: salesforce_client.query(QUERY))
    assert (error.kind, error.code, error.status) == (ErrorKind.TRANSIENT, "CONNECTION_FAILED", None)
    assert "/services/data/v62.0/query" in error.message
    assert "SELECT" not in error.message  # SOQL may hold personal data: the query string stays out


def test_retry_after_is_kept(salesforce, salesforce_client):
    salesforce.faults.fail_next(status=503, retry_after=7)
    assert failure_of(lambda: salesforce_client.query(QUERY)).retry_after == 7.0


def test_a_slow_answer_times_out_quickly_as_transient(salesforce, settings):
    settings.SALESFORCE_TIMEOUT_SECONDS = 0.2
    client = get_client()
    client.limits()  # the token is fetched before the org slows down
    salesforce.faults.set_latency(3.0)
    started = time.monotonic()
    error = failure_of(lambda: client.query(QUERY))
    assert (error.kind, error.code) == (ErrorKind.TRANSIENT, "TIMEOUT")
    assert time.monotonic() - started < 2.0


def test_a_slow_token_endpoint_times_out_as_transient(salesforce, settings):
    settings.SALESFORCE_TIMEOUT_SECONDS = 0.2
    salesforce.faults.set_latency(3.0, path=TOKEN_PATH)
    error = failure_of(lambda: get_client().query(QUERY))
    assert (error.kind, error.code) == (ErrorKind.TRANSIENT, "TIMEOUT")


def test_an_exhausted_budget_is_limit_exceeded(salesforce, salesforce_client):
    salesforce.faults.exhaust_budget()
    error = failure_of(lambda: salesforce_client.create_many([{"attributes": {"type": "Lead"}, "LastName": "Doe"}]))
    assert (error.kind, error.code) == (ErrorKind.LIMIT_EXCEEDED, "REQUEST_LIMIT_EXCEEDED")


# --- refusals from the org -------------------------------------------------------------


def test_an_unknown_field_is_permanent_and_names_the_field(salesforce, salesforce_client):
    error = failure_of(lambda: salesforce_client.request("POST", "sobjects/Task", json={"Subject": "Call", "Foo__c": 1}))
    assert (error.kind, error.status, error.fields) == (ErrorKind.PERMANENT, 400, ("Foo__c",))
    assert str(error) == "INVALID_FIELD (Foo__c): No such column 'Foo__c' on sobject of type Task"
    assert error.permanent and not error.retryable


def test_a_failed_collection_record_reads_the_same(salesforce, salesforce_client):
    [result] = salesforce_client.create_many([{"attributes": {"type": "Task"}, "Subject": "Call", "Foo__c": 1}])
    assert result["success"] is False
    error = from_error_list(result["errors"])
    assert (error.kind, error.code, error.fields) == (ErrorKind.PERMANENT, "INVALID_FIELD", ("Foo__c",))


def test_a_missing_required_field_is_permanent(salesforce, salesforce_client):
    [result] = salesforce_client.create_many([{"attributes": {"type": "Lead"}, "LastName": "Doe"}])
    error = from_error_list(result["errors"])
    assert (error.kind, error.code, error.fields) == (ErrorKind.PERMANENT, "REQUIRED_FIELD_MISSING", ("Company",))


def test_a_malformed_query_is_permanent(salesforce, salesforce_client):
    error = failure_of(lambda: salesforce_client.query("SELECT FROM"))
    assert (error.kind, error.code) == (ErrorKind.PERMANENT, "MALFORMED_QUERY")


def test_a_missing_record_is_permanent(salesforce, salesforce_client):
    error = failure_of(lambda: salesforce_client.request("GET", "sobjects/Lead/00Q000000000000AAA"))
    assert (error.kind, error.status, error.code) == (ErrorKind.PERMANENT, 404, "NOT_FOUND")


def seed_two_cases_with_the_same_call_id(salesforce) -> None:
    for _ in range(2):
        salesforce.org.insert("Case", {"Subject": "Help", "Vapi_Call_Id__c": "call-1"})


def test_several_matches_for_an_external_id_are_ambiguous(salesforce, salesforce_client):
    seed_two_cases_with_the_same_call_id(salesforce)
    error = failure_of(lambda: salesforce_client.request("PATCH", "sobjects/Case/Vapi_Call_Id__c/call-1",
                                                         json={"Subject": "Again"}))
    assert (error.kind, error.status) == (ErrorKind.AMBIGUOUS, 300)
    assert error.permanent
    assert error.message.count("/sobjects/Case/500") == 2


def test_ambiguous_in_a_composite_subresponse_and_a_collection_result(salesforce, salesforce_client):
    seed_two_cases_with_the_same_call_id(salesforce)
    [subresponse] = salesforce_client.composite([{
        "method": "PATCH", "url": salesforce_client.api_path("sobjects/Case/Vapi_Call_Id__c/call-1"),
        "referenceId": "case", "body": {"Subject": "Again"},
    }])
    assert from_error_list(subresponse["body"], subresponse["httpStatusCode"]).kind is ErrorKind.AMBIGUOUS
    [result] = salesforce_client.upsert_many("Case", "Vapi_Call_Id__c", [{"Vapi_Call_Id__c": "call-1", "Subject": "x"}])
    assert from_error_list(result["errors"]).kind is ErrorKind.AMBIGUOUS


def test_composite_reports_failed_subrequests_without_raising(salesforce, salesforce_client):
    responses = salesforce_client.composite([
        {"method": "POST", "url": salesforce_client.api_path("sobjects/Lead"), "referenceId": "good",
         "body": {"LastName": "Doe", "Company": "Acme"}},
        {"method": "POST", "url": salesforce_client.api_path("sobjects/Lead"), "referenceId": "bad",
         "body": {"LastName": "Doe"}},
    ])
    kinds = [from_error_list(response["body"], response["httpStatusCode"]) for response in responses]
    assert [(error.kind, error.code) for error in kinds] == [
        (ErrorKind.TRANSIENT, "PROCESSING_HALTED"),  # rolled back because of the other one
        (ErrorKind.PERMANENT, "REQUIRED_FIELD_MISSING"),
    ]
    assert salesforce.org.records("Lead") == []


# --- error bodies on their own ---------------------------------------------------------


@pytest.mark.parametrize(("code", "status", "kind"), [
    ("UNABLE_TO_LOCK_ROW", 400, ErrorKind.TRANSIENT),
    ("SERVER_UNAVAILABLE", 503, ErrorKind.TRANSIENT),
    ("REQUEST_LIMIT_EXCEEDED", 403, ErrorKind.LIMIT_EXCEEDED),
    ("INVALID_SESSION_ID", 401, ErrorKind.SESSION_EXPIRED),
    ("STRING_TOO_LONG", 400, ErrorKind.PERMANENT),
    ("FIELD_CUSTOM_VALIDATION_EXCEPTION", 400, ErrorKind.PERMANENT),
    ("INVALID_FIELD_FOR_INSERT_UPDATE", 400, ErrorKind.PERMANENT),
    ("SOMETHING_SALESFORCE_ADDS_NEXT_YEAR", 400, ErrorKind.PERMANENT),
    ("SOMETHING_SALESFORCE_ADDS_NEXT_YEAR", 503, ErrorKind.TRANSIENT),
    ("SOMETHING_SALESFORCE_ADDS_NEXT_YEAR", 429, ErrorKind.TRANSIENT),
    ("SOMETHING_SALESFORCE_ADDS_NEXT_YEAR", None, ErrorKind.PERMANENT),
])
def test_codes_and_statuses_decide_the_kind(code, status, kind):
    assert from_error_list([{"errorCode": code, "message": "m"}], status).kind is kind
    assert from_error_list([{"statusCode": code, "message": "m", "fields": []}], status).kind is kind


def test_an_error_a_retry_cannot_fix_wins_over_a_transient_one():
    error = from_error_list([
        {"statusCode": "UNABLE_TO_LOCK_ROW", "message": "locked", "fields": []},
        {"statusCode": "STRING_TOO_LONG", "message": "Subject: data value too large", "fields": ["Subject"]},
    ])
    assert (error.kind, error.code, error.fields) == (ErrorKind.PERMANENT, "STRING_TOO_LONG", ("Subject",))
    assert error.message == "locked; Subject: data value too large"


def test_an_error_without_code_or_fields_reads_as_its_message():
    error = SalesforceError(ErrorKind.TRANSIENT, "Could not reach the org")
    assert str(error) == "Could not reach the org"


def test_token_endpoint_refusals_are_auth_failed_and_its_outages_transient():
    refused = errors.from_token_response(400, {"error": "invalid_grant", "error_description": "authentication failure"})
    assert (refused.kind, refused.code, refused.message) == (
        ErrorKind.AUTH_FAILED, "invalid_grant", "Salesforce refused the login: authentication failure")
    assert errors.from_token_response(502, "<html>Bad Gateway</html>").kind is ErrorKind.TRANSIENT


@pytest.mark.parametrize(("header", "expected"), [("30", 30.0), ("1.5", 1.5), ("", None), ("soon", None)])
def test_retry_after_in_seconds(header, expected):
    assert errors.parse_retry_after(header) == expected


def test_retry_after_as_an_http_date():
    assert 55 <= errors.parse_retry_after(formatdate(time.time() + 60, usegmt=True)) <= 60


def test_errors_survive_pickling_as_celery_does():
    error = from_error_list([{"errorCode": "INVALID_FIELD", "message": "No such column", "fields": ["Foo__c"]}], 400)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.kind, copy.status, copy.code, copy.fields, str(copy)) == (
        error.kind, 400, "INVALID_FIELD", ("Foo__c",), str(error))
    not_configured = pickle.loads(pickle.dumps(errors.NotConfigured(["SALESFORCE_CLIENT_ID"])))
    assert (type(not_configured), not_configured.missing) == (errors.NotConfigured, ["SALESFORCE_CLIENT_ID"])
