"""Clients for the Salesforce sandbox, built the way the app builds them, and what the sandbox's
tests send and read through them."""

from __future__ import annotations

import ssl

import httpx
import pytest
import requests
from simple_salesforce import Salesforce

from devtools.salesforce_sandbox import SalesforceSandbox

API_VERSION = "62.0"


def trusting_sandbox(sandbox: SalesforceSandbox) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=sandbox.ca_bundle)


def fetch_token(http: httpx.Client, sandbox: SalesforceSandbox) -> str:
    response = http.post(
        "/services/oauth2/token",
        data={"grant_type": "client_credentials", "client_id": sandbox.client_id, "client_secret": sandbox.client_secret},
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def salesforce_client(sandbox: SalesforceSandbox, token: str) -> Salesforce:
    session = requests.Session()
    session.verify = sandbox.ca_bundle
    return Salesforce(instance_url=sandbox.instance_url, session_id=token, version=API_VERSION, session=session)


def api_calls_used(sf: Salesforce) -> int:
    """What the last response's Sforce-Limit-Info header said."""
    return sf.api_usage["api-usage"].used


LEAD = {"FirstName": "Ada", "LastName": "Lovelace", "Company": "Analytical Engines", "Phone": "+15550100"}


def error_of(raised: pytest.ExceptionInfo) -> dict:
    [error] = raised.value.content
    return error
