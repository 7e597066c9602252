"""Whom the connection trusts is SALESFORCE_CA_BUNDLE's business alone: the CA variables set
on many machines (REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_FILE) change nothing, in
either direction, for the token request (httpx) or the API requests (requests)."""

from __future__ import annotations

from dataclasses import replace

import certifi
import pytest

from integrations.salesforce.client import SalesforceClient, get_client
from integrations.salesforce.config import SalesforceConfig
from integrations.salesforce.errors import ErrorKind, SalesforceError
from integrations.salesforce.tokens import TokenProvider

QUERY = "SELECT Id FROM Lead"
CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")


def point_ca_variables_at(monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    for name in CA_VARIABLES:
        monkeypatch.setenv(name, path)


@pytest.mark.parametrize("wrong_file", ["/nonexistent/ca-bundle.pem", certifi.where()])
def test_ca_variables_in_the_environment_do_not_break_the_configured_ca(salesforce, monkeypatch, wrong_file):
    point_ca_variables_at(monkeypatch, wrong_file)
    with get_client() as client:
        assert client.query(QUERY) == []
        assert client.requests_made == 1


def test_a_client_without_the_orgs_ca_is_refused_even_if_the_environment_trusts_it(salesforce, settings, monkeypatch):
    point_ca_variables_at(monkeypatch, salesforce.ca_bundle)
    settings.SALESFORCE_CA_BUNDLE = ""  # the public CAs, which never signed the sandbox's certificate
    with pytest.raises(SalesforceError) as raised:
        get_client().query(QUERY)
    error = raised.value
    assert (error.kind, error.code) == (ErrorKind.TRANSIENT, "TLS_VERIFICATION_FAILED")
    assert "/services/oauth2/token" in error.message
    assert "certificate verify failed" in error.message.lower()
    assert "SALESFORCE_CA_BUNDLE" in error.message


def test_api_requests_verify_the_org_certificate_too(salesforce, monkeypatch):
    trusting = SalesforceConfig.from_settings()
    untrusting = replace(trusting, ca_bundle="")
    point_ca_variables_at(monkeypatch, salesforce.ca_bundle)
    client = SalesforceClient(untrusting, tokens=TokenProvider(trusting))  # the token request succeeds
    with pytest.raises(SalesforceError) as raised:
        client.query(QUERY)
    assert (raised.value.kind, raised.value.code) == (ErrorKind.TRANSIENT, "TLS_VERIFICATION_FAILED")
    assert "/services/data/v62.0/query" in raised.value.message
    assert client.requests_made == 1
