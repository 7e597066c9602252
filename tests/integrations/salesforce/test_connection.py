"""The Salesforce connection: configuration, OAuth tokens shared through the cache, and the
client's resources, against the sandbox org over verified HTTPS."""

from __future__ import annotations

import pytest

from devtools.salesforce_sandbox.auth import TOKEN_PATH
from integrations.salesforce.client import SalesforceClient, get_client
from integrations.salesforce.config import SalesforceConfig
from integrations.salesforce.errors import ErrorKind, NotConfigured, SalesforceError
from integrations.salesforce.tokens import TokenProvider
from tests.support.salesforce import use_password_grant

LEAD_QUERY = "SELECT Id, LastName FROM Lead"


def lead(last_name: str = "Lovelace", **fields: object) -> dict:
    return {"attributes": {"type": "Lead"}, "LastName": last_name, "Company": "Analytical Engines", **fields}


def arm_token_endpoint_failure(sandbox) -> None:
    """Any token request from now on fails; `pending` tells whether one was made."""
    sandbox.faults.fail_next(status=503, path=TOKEN_PATH)


class Clock:
    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


# --- configuration ---------------------------------------------------------------------


def test_config_reads_the_settings_at_call_time(salesforce, settings):
    settings.SALESFORCE_TIMEOUT_SECONDS = 2.5
    settings.SALESFORCE_LOGIN_URL = salesforce.login_url + "/"
    config = SalesforceConfig.from_settings()
    assert config.timeout_seconds == 2.5
    assert config.login_url == salesforce.login_url  # the trailing slash goes
    assert config.token_url == salesforce.login_url + TOKEN_PATH
    assert (config.grant_type, config.configured, config.missing) == ("client_credentials", True, [])


def test_config_with_a_username_uses_the_password_grant_and_needs_the_password(salesforce, settings):
    settings.SALESFORCE_USERNAME = salesforce.username
    config = SalesforceConfig.from_settings()
    assert config.grant_type == "password"
    assert config.missing == ["SALESFORCE_PASSWORD"]
    assert not config.configured


def test_config_repr_hides_the_secrets(salesforce, settings):
    use_password_grant(settings, salesforce)
    shown = repr(SalesforceConfig.from_settings())
    assert salesforce.client_id in shown
    assert salesforce.client_secret not in shown
    assert salesforce.password not in shown


def test_not_configured_names_the_missing_settings(salesforce, settings):
    settings.SALESFORCE_CLIENT_ID = ""
    settings.SALESFORCE_CLIENT_SECRET = ""
    with pytest.raises(NotConfigured) as raised:
        get_client()
    assert raised.value.kind is ErrorKind.NOT_CONFIGURED
    assert raised.value.missing == ["SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET"]
    assert str(raised.value) == "NOT_CONFIGURED: Salesforce is not configured: set SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET"
    assert not raised.value.retryable and not raised.value.permanent


# --- grants and tokens -----------------------------------------------------------------


def test_client_credentials_grant_reaches_the_org(salesforce, salesforce_client):
    salesforce.org.insert("Lead", {"LastName": "Hopper", "Company": "Navy"})
    assert [record["LastName"] for record in salesforce_client.query(LEAD_QUERY)] == ["Hopper"]


def test_password_grant_reaches_the_org(salesforce, settings):
    use_password_grant(settings, salesforce)
    with get_client() as client:
        assert client.tokens.config.grant_type == "password"
        assert client.limits()["DailyApiRequests"]["Max"] == 15000


def test_a_token_is_fetched_once_and_shared_by_clients(salesforce):
    first, second = get_client(), get_client()
    first.query(LEAD_QUERY)
    arm_token_endpoint_failure(salesforce)
    second.query(LEAD_QUERY)  # would fail had it asked the token endpoint
    assert salesforce.faults.pending == 1
    assert second.tokens.get() == first.tokens.get()


def test_a_token_older_than_its_ttl_is_renewed(salesforce):
    config = SalesforceConfig.from_settings()
    clock = Clock()
    tokens = TokenProvider(config, clock=clock)
    original = tokens.get()
    clock.now += config.token_ttl_seconds - 61  # inside the renewal margin: still used
    assert tokens.get() == original
    clock.now += 2
    renewed = tokens.get()
    assert renewed.access_token != original.access_token
    assert renewed.issued_at == clock.now
    assert SalesforceClient(config, tokens).limits()["DailyApiRequests"]["Max"] == 15000


def test_invalidate_makes_the_next_get_fetch_a_new_token(salesforce):
    tokens = TokenProvider(SalesforceConfig.from_settings())
    original = tokens.get()
    tokens.invalidate()
    assert tokens.get().access_token != original.access_token


def test_an_expired_token_is_refreshed_and_the_request_retried_once(salesforce, salesforce_client):
    salesforce_client.query(LEAD_QUERY)
    stale = salesforce_client.tokens.get()
    salesforce.faults.expire_tokens()
    salesforce.org.insert("Lead", {"LastName": "Hamilton", "Company": "NASA"})
    assert [record["LastName"] for record in salesforce_client.query(LEAD_QUERY)] == ["Hamilton"]
    assert salesforce_client.requests_made == 3  # the first query, the refused one, its retry
    assert salesforce_client.tokens.get().access_token != stale.access_token


def test_a_second_refusal_after_the_refresh_is_session_expired(salesforce, salesforce_client):
    salesforce.faults.fail_next(2, kind="expired_session")
    with pytest.raises(SalesforceError) as raised:
        salesforce_client.query(LEAD_QUERY)
    assert raised.value.kind is ErrorKind.SESSION_EXPIRED
    assert (raised.value.status, raised.value.code) == (401, "INVALID_SESSION_ID")
    assert raised.value.retryable
    assert salesforce_client.requests_made == 2
    assert salesforce.faults.pending == 0


def test_refresh_takes_the_token_another_worker_already_fetched(salesforce):
    config = SalesforceConfig.from_settings()
    worker, other_worker = TokenProvider(config), TokenProvider(config)
    stale = worker.get()
    salesforce.faults.expire_tokens()
    replacement = other_worker.refresh(stale)
    arm_token_endpoint_failure(salesforce)
    assert worker.refresh(stale) == replacement
    assert salesforce.faults.pending == 1


def test_refresh_fetches_a_new_token_when_the_cache_still_holds_the_stale_one(salesforce):
    tokens = TokenProvider(SalesforceConfig.from_settings())
    stale = tokens.get()
    assert tokens.refresh(stale).access_token != stale.access_token


@pytest.mark.parametrize(("setting", "value", "code"), [
    ("SALESFORCE_CLIENT_SECRET", "wrong-secret", "invalid_client"),
    ("SALESFORCE_PASSWORD", "wrong-password", "invalid_grant"),
])
def test_refused_credentials_are_auth_failed_and_retryable(salesforce, settings, setting, value, code):
    use_password_grant(settings, salesforce)
    setattr(settings, setting, value)
    with pytest.raises(SalesforceError) as raised:
        get_client().query(LEAD_QUERY)
    assert raised.value.kind is ErrorKind.AUTH_FAILED
    assert (raised.value.status, raised.value.code) == (400, code)
    assert raised.value.retryable
    assert value not in str(raised.value)


def test_a_failing_token_endpoint_is_transient(salesforce, salesforce_client):
    salesforce.faults.fail_next(status=503, path=TOKEN_PATH, retry_after=12)
    with pytest.raises(SalesforceError) as raised:
        salesforce_client.query(LEAD_QUERY)
    assert (raised.value.kind, raised.value.status, raised.value.retry_after) == (ErrorKind.TRANSIENT, 503, 12.0)
    assert salesforce_client.requests_made == 0  # no API request without a token


def test_the_access_token_never_shows_in_reprs(salesforce, salesforce_client):
    token = salesforce_client.tokens.get()
    assert token.access_token not in repr(token)


# --- resources -------------------------------------------------------------------------


def test_requests_made_counts_api_requests_but_not_token_requests(salesforce, salesforce_client):
    salesforce_client.create_many([lead()])
    salesforce_client.query(LEAD_QUERY)
    salesforce_client.limits()
    assert salesforce_client.requests_made == 3
    assert get_client().requests_made == 0


def test_query_follows_next_records_url(salesforce, salesforce_client):
    for number in range(2001):
        salesforce.org.insert("Lead", {"LastName": f"Lead {number}", "Company": "Acme"})
    records = salesforce_client.query(LEAD_QUERY)
    assert len(records) == 2001
    assert len({record["Id"] for record in records}) == 2001
    assert salesforce_client.requests_made == 2


def test_create_update_and_upsert_collections(salesforce, salesforce_client):
    [created] = salesforce_client.create_many([lead()])
    assert created["success"]
    [updated] = salesforce_client.update_many([{"attributes": {"type": "Lead"}, "Id": created["id"], "Company": "Babbage"}])
    assert updated == {"id": created["id"], "success": True, "errors": []}
    upserted = salesforce_client.upsert_many("Task", "Vapi_Call_Id__c", [
        {"Vapi_Call_Id__c": "call-1", "Subject": "Call"}, {"Vapi_Call_Id__c": "call-2", "Subject": "Call"},
    ])
    assert [result["created"] for result in upserted] == [True, True]
    [again] = salesforce_client.upsert_many("Task", "Vapi_Call_Id__c", [{"Vapi_Call_Id__c": "call-1", "Subject": "Again"}])
    assert (again["created"], again["id"]) == (False, upserted[0]["id"])
    assert [task["Subject"] for task in salesforce.org.records("Task")] == ["Again", "Call"]
    assert salesforce.org.records("Lead")[0]["Company"] == "Babbage"
    assert salesforce_client.requests_made == 4


def test_composite_returns_every_subresponse(salesforce, salesforce_client):
    responses = salesforce_client.composite([
        {"method": "POST", "url": salesforce_client.api_path("sobjects/Lead"), "referenceId": "lead",
         "body": {"LastName": "Noether", "Company": "Erlangen"}},
        {"method": "GET", "url": salesforce_client.api_path("sobjects/Lead/@{lead.id}"), "referenceId": "read"},
    ])
    assert [response["httpStatusCode"] for response in responses] == [201, 200]
    assert responses[1]["body"]["LastName"] == "Noether"
    assert salesforce_client.requests_made == 1


def test_api_path_is_the_versioned_root(salesforce_client):
    assert salesforce_client.api_path("sobjects/Lead") == "/services/data/v62.0/sobjects/Lead"
    assert salesforce_client.api_path("/composite") == "/services/data/v62.0/composite"


@pytest.mark.parametrize(("send", "size"), [
    (lambda client, items: client.create_many(items), 201),
    (lambda client, items: client.update_many(items), 201),
    (lambda client, items: client.upsert_many("Task", "Vapi_Call_Id__c", items), 201),
    (lambda client, items: client.composite(items), 26),
])
def test_batches_over_salesforce_limits_are_refused_before_sending(salesforce_client, send, size):
    with pytest.raises(ValueError, match="at most"):
        send(salesforce_client, [lead() for _ in range(size)])
    assert salesforce_client.requests_made == 0


def test_empty_batches_cost_no_call(salesforce_client):
    assert salesforce_client.create_many([]) == []
    assert salesforce_client.composite([]) == []
    assert salesforce_client.requests_made == 0


def test_names_that_would_change_the_url_are_refused(salesforce_client):
    with pytest.raises(ValueError):
        salesforce_client.upsert_many("Task", "Vapi_Call_Id__c/../../x", [{"Subject": "x"}])


def test_describe_is_cached_for_every_client(salesforce, salesforce_client):
    described = salesforce_client.describe("Lead")
    assert {"LastName", "Company"} <= {field["name"] for field in described["fields"]}
    assert salesforce_client.describe("Lead") == described
    other = get_client()
    assert other.describe("Lead") == described
    assert (salesforce_client.requests_made, other.requests_made) == (1, 0)
    assert other.describe("Lead", refresh=True)["name"] == "Lead"
    assert other.requests_made == 1
