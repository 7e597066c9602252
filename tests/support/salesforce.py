"""Fixtures for tests that reach Salesforce: one sandbox org over HTTPS for the whole session
and, per test, a clean org, clean shared state and settings that point the app at it.

    def test_sync(salesforce):               # the SalesforceSandbox, freshly reset
        client = get_client()                # settings already point at the sandbox
        salesforce.faults.fail_next(status=503)
        ...
        assert salesforce.org.records("Lead") == [...]

Registered for the whole suite from tests/conftest.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches

from devtools.salesforce_sandbox import SalesforceSandbox
from integrations.salesforce.budget import api_budget
from integrations.salesforce.client import SalesforceClient, get_client

# High enough never to slow a test down, while every request still passes the limiter.
SANDBOX_MAX_REQUESTS_PER_SECOND = 1000.0
# requests lets these override session.verify; the app must not depend on them.
_CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


@pytest.fixture(scope="session")
def salesforce_sandbox() -> Iterator[SalesforceSandbox]:
    """The running sandbox; tests use `salesforce`, which also resets it."""
    with SalesforceSandbox() as sandbox:
        yield sandbox


@pytest.fixture
def salesforce(salesforce_sandbox: SalesforceSandbox, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[SalesforceSandbox]:
    """The sandbox with an empty org and no faults, an empty cache (tokens, describes, API
    budget, rate-limit slots), and settings pointing at it with the client-credentials grant."""
    for name in _CA_BUNDLE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    settings.CACHES = _caches_of_this_run(settings.CACHES)
    settings.SALESFORCE_LOGIN_URL = salesforce_sandbox.login_url
    settings.SALESFORCE_CLIENT_ID = salesforce_sandbox.client_id
    settings.SALESFORCE_CLIENT_SECRET = salesforce_sandbox.client_secret
    settings.SALESFORCE_USERNAME = ""
    settings.SALESFORCE_PASSWORD = ""
    settings.SALESFORCE_CA_BUNDLE = salesforce_sandbox.ca_bundle
    settings.SALESFORCE_API_VERSION = salesforce_sandbox.api_version
    settings.CALLSYNC_SALESFORCE_MAX_REQUESTS_PER_SECOND = SANDBOX_MAX_REQUESTS_PER_SECOND
    _reset(salesforce_sandbox)
    yield salesforce_sandbox
    _reset(salesforce_sandbox)


@pytest.fixture
def salesforce_client(salesforce: SalesforceSandbox) -> Iterator[SalesforceClient]:
    """A SalesforceClient for the sandbox, as get_client() builds it."""
    with get_client() as client:
        yield client


def use_password_grant(settings: Any, sandbox: SalesforceSandbox) -> None:
    """Switch the settings to the username-password flow, the password with its security token."""
    settings.SALESFORCE_USERNAME = sandbox.username
    settings.SALESFORCE_PASSWORD = sandbox.password + sandbox.security_token


def _reset(sandbox: SalesforceSandbox) -> None:
    sandbox.org.reset()
    sandbox.faults.clear()
    clear_cache()
    api_budget.reset()


def _caches_of_this_run(configured: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The cache settings with a key prefix of this test process's own.  Other test runs on
    this machine may use the same Redis database at the same time: neither must see, nor
    clear, the other's tokens, budget or rate-limit slots."""
    return {**configured, "default": {**configured["default"], "KEY_PREFIX": f"callsync-test-{os.getpid()}"}}


def clear_cache() -> None:
    """Delete this run's keys from the default cache: on Redis only those under its key prefix
    (FLUSHDB would empty other runs' caches too), elsewhere everything."""
    backend = caches["default"]
    get_redis = getattr(getattr(backend, "_cache", None), "get_client", None)
    if get_redis is None:
        backend.clear()
        return
    redis = get_redis(None, write=True)
    keys = list(redis.scan_iter(match=f"{backend.key_prefix}:*", count=1000))
    if keys:
        redis.delete(*keys)
