"""What keeps callsync a polite API user: the org's daily budget as every answer reports it,
and one request rate shared by every worker, both through the shared (Redis) cache."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter

import pytest

from integrations.salesforce.budget import ApiBudget, api_budget, parse_limit_info
from integrations.salesforce.client import get_client
from integrations.salesforce.errors import ErrorKind, SalesforceError
from integrations.salesforce.ratelimit import RateLimiter

QUERY = "SELECT Id FROM Lead"


# --- API budget ------------------------------------------------------------------------


def test_every_answer_records_the_orgs_api_usage(salesforce, salesforce_client):
    assert api_budget.snapshot() is None
    salesforce_client.query(QUERY)
    salesforce_client.query(QUERY)
    snapshot = api_budget.snapshot()
    assert (snapshot.used, snapshot.limit, snapshot.remaining) == (2, 15000, 14998)
    assert time.time() - snapshot.observed_at < 60


def test_failed_answers_report_usage_too(salesforce, salesforce_client):
    salesforce.faults.set_remaining_budget(0)
    with pytest.raises(SalesforceError):
        salesforce_client.query(QUERY)
    assert api_budget.snapshot().remaining == 0


def test_below_reserve_follows_the_org(salesforce, salesforce_client):
    assert not api_budget.below_reserve(20.0)  # nothing known yet
    salesforce_client.query(QUERY)
    assert not api_budget.below_reserve(20.0)
    salesforce.faults.set_remaining_budget(2000)  # under 20 % of 15,000
    salesforce_client.query(QUERY)
    assert api_budget.snapshot().remaining == 1999
    assert api_budget.below_reserve(20.0)
    assert not api_budget.below_reserve(10.0)


def test_the_budget_is_shared_through_the_cache(salesforce):
    ApiBudget().record("api-usage=120/15000")
    assert api_budget.snapshot().used == 120
    api_budget.reset()
    assert api_budget.snapshot() is None


@pytest.mark.parametrize(("header", "usage"), [
    ("api-usage=18/5000", (18, 5000)),
    ("api-usage=25/5000; per-app-api-usage=17/250(appName=sample-connected-app)", (25, 5000)),
    ("per-app-api-usage=17/250(appName=sample-connected-app)", None),
    ("", None),
])
def test_limit_info_parsing(header, usage):
    assert parse_limit_info(header) == usage


def test_a_header_without_usage_changes_nothing(salesforce):
    api_budget.record("api-usage=10/100")
    assert api_budget.record("garbage") is None
    assert api_budget.snapshot().used == 10


# --- rate limit ------------------------------------------------------------------------


class FakeTime:
    """A clock that only moves when someone sleeps, so request times are exact."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def limiters_sharing_one_rate(count: int, rate: float, fake_time: FakeTime) -> list[RateLimiter]:
    scope = uuid.uuid4().hex  # nothing left over from another test
    return [RateLimiter(rate, scope=scope, clock=fake_time.clock, sleep=fake_time.sleep) for _ in range(count)]


def test_workers_together_stay_under_the_rate_in_every_second(salesforce):
    fake_time = FakeTime()
    workers = limiters_sharing_one_rate(3, 5.0, fake_time)
    granted_at = []
    for turn in range(30):
        workers[turn % 3].acquire()
        granted_at.append(fake_time.now)
    per_second = Counter(int(moment) for moment in granted_at)
    assert max(per_second.values()) == 5
    assert len(per_second) == 6  # 30 requests at 5 per second need six seconds


def test_no_free_slot_within_the_timeout_is_transient(salesforce):
    fake_time = FakeTime()
    worker, other_worker = limiters_sharing_one_rate(2, 0.5, fake_time)  # one request every 2 s
    worker.acquire()
    with pytest.raises(SalesforceError) as raised:
        other_worker.acquire(timeout=1.0)
    assert (raised.value.kind, raised.value.code) == (ErrorKind.TRANSIENT, "RATE_LIMITED")
    assert fake_time.now == 1_800_000_000.0  # it gave up at once rather than sleep past its deadline
    other_worker.acquire(timeout=3.0)
    assert fake_time.now == 1_800_000_002.0


def test_the_rate_must_be_positive():
    with pytest.raises(ValueError):
        RateLimiter(0)


def test_clients_in_parallel_share_the_configured_rate(salesforce, settings):
    settings.CALLSYNC_SALESFORCE_MAX_REQUESTS_PER_SECOND = 40.0
    clients = [get_client(), get_client()]
    for client in clients:
        client.limits()  # tokens and connections first, so only the limiter sets the pace
    started = time.monotonic()
    threads = [threading.Thread(target=lambda c=client: [c.limits() for _ in range(6)]) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 12 requests, one per 25 ms slot: the first and last are at least 10 slots apart.
    assert time.monotonic() - started >= 10 / 40.0
    assert sum(client.requests_made for client in clients) == 14
