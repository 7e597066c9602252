"""The Salesforce sandbox counts API requests as an org does: usage on every response, an exhausted budget
refused, and API versions the org does not have."""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import SalesforceRefusedRequest

from tests.integrations.salesforce.sandbox_clients import api_calls_used, error_of


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
