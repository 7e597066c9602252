"""One Salesforce sandbox per test module, reset before every test, reached the way the
app reaches Salesforce: simple-salesforce over HTTPS verified against the sandbox's CA."""

from __future__ import annotations

import httpx
import pytest
from simple_salesforce import Salesforce

from devtools.salesforce_sandbox import SalesforceSandbox
from tests.integrations.salesforce.sandbox_clients import API_VERSION, fetch_token, salesforce_client, trusting_sandbox


@pytest.fixture(scope="module")
def sandbox_server():
    with SalesforceSandbox(api_version=API_VERSION) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(sandbox_server, monkeypatch):
    # requests lets these variables override session.verify; they must not pick the CA for the tests.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    sandbox_server.org.reset()
    sandbox_server.faults.clear()
    yield sandbox_server
    sandbox_server.faults.clear()


@pytest.fixture
def http(sandbox):
    """An httpx client that trusts only the sandbox's CA."""
    with httpx.Client(base_url=sandbox.instance_url, verify=trusting_sandbox(sandbox)) as client:
        yield client


@pytest.fixture
def token(http, sandbox) -> str:
    return fetch_token(http, sandbox)


@pytest.fixture
def sf(sandbox, token) -> Salesforce:
    return salesforce_client(sandbox, token)
