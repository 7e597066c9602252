"""The sandbox's pieces that need no server: ids, the SOQL parser, the org's rules."""

from __future__ import annotations

import pytest

from devtools.salesforce_sandbox import ids, soql
from devtools.salesforce_sandbox.auth import TokenStore
from devtools.salesforce_sandbox.org import Org
from devtools.salesforce_sandbox.responses import ApiError


def test_18_character_ids_carry_salesforces_case_checksum():
    assert ids.normalize("0013000000c9Ud3") == "0013000000c9Ud3AAE"
    assert ids.normalize("0013000000c9Ud3aae") == "0013000000c9Ud3AAE"
    assert ids.normalize("not an id") is None
    made = ids.make_id("00Q", 12345)
    assert len(made) == 18 and made.startswith("00Q") and ids.normalize(made[:15]) == made


def test_soql_parses_the_subset():
    query = soql.parse("select Id, Email from Lead where Status = 'It\\'s' and Score__c in (1, 2.5) "
                       "and Phone != null order by Email desc limit 5")
    assert query.fields == ("Id", "Email")
    assert query.sobject == "Lead"
    assert [(c.field, c.values, c.negated) for c in query.conditions] == [
        ("Status", ("It's",), False), ("Score__c", (1.0, 2.5), False), ("Phone", (None,), True)]
    assert (query.order_by, query.descending, query.limit) == ("Email", True, 5)


@pytest.mark.parametrize("text", ["", "SELECT FROM Lead", "SELECT Id Lead", "SELECT Id FROM Lead LIMIT x",
                                  "SELECT Id FROM Lead WHERE Name LIKE 'A%'", "SELECT Id FROM Lead extra",
                                  "SELECT COUNT() FROM Lead", "SELECT Id FROM Lead WHERE Id IN ()"])
def test_soql_outside_the_subset_is_malformed(text):
    with pytest.raises(ApiError) as raised:
        soql.parse(text)
    assert raised.value.code == "MALFORMED_QUERY"


def test_tokens_expire_by_the_clock():
    now = [1000.0]
    tokens = TokenStore(ttl_seconds=60, clock=lambda: now[0])
    token = tokens.issue()
    assert tokens.is_valid(token)
    now[0] += 60
    assert not tokens.is_valid(token)


def test_seeding_uses_no_api_budget_and_reset_forgets_everything():
    org = Org(daily_api_limit=10)
    lead = org.insert("Lead", {"LastName": "Doe", "Company": "Acme"})
    assert org.get("Lead", lead)["Status"] == "Open - Not Contacted"
    assert org.api_calls_used == 0
    assert org.consume_api_call() and org.limit_info() == "api-usage=1/10"
    org.reset()
    assert (org.records("Lead"), org.api_calls_used) == ([], 0)
