"""Injected faults, as simple-salesforce (and so the app) sees them."""

from __future__ import annotations

import time

import pytest
import requests
from simple_salesforce.exceptions import (
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
)

from tests.integrations.salesforce.sandbox_clients import fetch_token, salesforce_client

QUERY = "SELECT Id FROM Lead"


@pytest.mark.parametrize(("arm", "exception", "status", "code"), [
    ({"status": 503}, SalesforceGeneralError, 503, "SERVER_UNAVAILABLE"),
    ({"status": 500}, SalesforceGeneralError, 500, "UNKNOWN_EXCEPTION"),
    ({"kind": "request_limit"}, SalesforceRefusedRequest, 403, "REQUEST_LIMIT_EXCEEDED"),
    ({"status": 403}, SalesforceRefusedRequest, 403, "REQUEST_LIMIT_EXCEEDED"),
    ({"kind": "expired_session"}, SalesforceExpiredSession, 401, "INVALID_SESSION_ID"),
    ({"kind": "unable_to_lock_row"}, SalesforceMalformedRequest, 400, "UNABLE_TO_LOCK_ROW"),
])
def test_each_failure_kind_fails_the_next_request_once(sf, sandbox, arm, exception, status, code):
    sandbox.faults.fail_next(**arm)
    with pytest.raises(exception) as raised:
        sf.query(QUERY)
    assert raised.value.status == status
    assert raised.value.content[0]["errorCode"] == code
    assert sf.query(QUERY)["totalSize"] == 0


def test_unable_to_lock_row_reads_like_salesforce(sf, sandbox):
    sandbox.faults.fail_next(kind="unable_to_lock_row")
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Lead.create({"LastName": "Doe", "Company": "Acme"})
    assert raised.value.content[0]["message"].startswith("unable to obtain exclusive access to this record or 1 records: ")
    assert sandbox.org.records("Lead") == []  # the write did not happen


def test_a_bad_gateway_answers_with_an_html_page(sf, sandbox):
    sandbox.faults.fail_next(status=502)
    with pytest.raises(SalesforceGeneralError) as raised:
        sf.query(QUERY)
    assert raised.value.status == 502
    assert "502 Bad Gateway" in raised.value.content


def test_failures_can_be_counted_and_cleared(sf, sandbox):
    sandbox.faults.fail_next(2, status=503)
    assert sandbox.faults.pending == 2
    for _ in range(2):
        with pytest.raises(SalesforceGeneralError):
            sf.query(QUERY)
    sf.query(QUERY)
    sandbox.faults.fail_next(5, status=503)
    sandbox.faults.clear()
    assert sandbox.faults.pending == 0
    sf.query(QUERY)


def test_a_dropped_connection_is_a_connection_error(sf, sandbox):
    sandbox.faults.drop_next()
    with pytest.raises(requests.exceptions.ConnectionError):
        sf.query(QUERY)
    assert sf.query(QUERY)["totalSize"] == 0


def test_latency_delays_answers_and_trips_client_timeouts(sf, sandbox):
    sandbox.faults.set_latency(0.3)
    with pytest.raises(requests.exceptions.ReadTimeout):
        sf.restful("query", params={"q": QUERY}, timeout=0.1)
    started = time.monotonic()
    sf.query(QUERY)
    assert time.monotonic() - started >= 0.3
    sandbox.faults.clear()
    started = time.monotonic()
    sf.query(QUERY)
    assert time.monotonic() - started < 0.3


def test_expired_tokens_stay_expired_until_a_new_one_is_fetched(sf, sandbox, http):
    sandbox.faults.expire_tokens()
    for _ in range(2):
        with pytest.raises(SalesforceExpiredSession):
            sf.query(QUERY)
    assert salesforce_client(sandbox, fetch_token(http, sandbox)).query(QUERY)["totalSize"] == 0


def test_exhausting_the_budget(sf, sandbox):
    sandbox.faults.exhaust_budget()
    with pytest.raises(SalesforceRefusedRequest):
        sf.Lead.create({"LastName": "Doe", "Company": "Acme"})
    assert sandbox.org.api_calls_remaining == 0


def test_a_path_filter_limits_a_fault_to_matching_requests(sf, sandbox):
    sandbox.faults.fail_next(status=500, path="/composite")
    sf.query(QUERY)
    with pytest.raises(SalesforceGeneralError):
        sf.restful("composite/sobjects", method="POST", json={"records": []})
    assert sandbox.faults.pending == 0


def test_the_token_endpoint_fails_only_when_a_fault_names_it(sandbox, http):
    sandbox.faults.fail_next(status=503)
    assert fetch_token(http, sandbox)
    assert sandbox.faults.pending == 1  # still waiting for an API request
    sandbox.faults.clear()
    sandbox.faults.fail_next(status=503, path="/services/oauth2/token")
    response = http.post("/services/oauth2/token", data={"grant_type": "client_credentials"})
    assert response.status_code == 503
    assert "Sforce-Limit-Info" not in response.headers


def test_injected_failures_use_no_budget_and_still_report_usage(sf, sandbox):
    sf.query(QUERY)
    sandbox.faults.fail_next(status=503)
    with pytest.raises(SalesforceGeneralError) as raised:
        sf.query(QUERY)
    assert raised.value.content[0]["errorCode"] == "SERVER_UNAVAILABLE"
    assert sandbox.org.api_calls_used == 1
    sf.query(QUERY)
    assert sf.api_usage["api-usage"].used == 2


@pytest.mark.parametrize("arm", [{"status": 404}, {"kind": "server_error", "status": 400}, {"kind": "flaky"}, {"n": 0}])
def test_unknown_faults_are_refused(sandbox, arm):
    with pytest.raises(ValueError):
        sandbox.faults.fail_next(**arm)
