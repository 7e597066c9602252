"""The Salesforce sandbox authenticates like an org: OAuth grants, tokens and verified TLS."""

from __future__ import annotations

import httpx
import pytest
import requests
from simple_salesforce.exceptions import SalesforceExpiredSession

from tests.integrations.salesforce.sandbox_clients import error_of, fetch_token, salesforce_client


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
