"""The Salesforce sandbox answers the subset of SOQL the app sends, and refuses the rest as an org does."""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from tests.integrations.salesforce.sandbox_clients import LEAD, error_of


# --- SOQL ------------------------------------------------------------------------------


@pytest.fixture
def leads(sandbox):
    for index, (status, email) in enumerate([("Hot", "a@x.io"), ("Warm", "b@x.io"), ("Cold", "c@x.io"), ("Hot", None)]):
        sandbox.org.insert("Lead", {"LastName": f"L{index}", "Company": "Acme", "Qualification_Status__c": status,
                                    "Email": email, "AI_Qualification_Score__c": index * 10})


@pytest.mark.parametrize(("where", "expected"), [
    ("", ["L0", "L1", "L2", "L3"]),
    ("WHERE Qualification_Status__c = 'Hot'", ["L0", "L3"]),
    ("WHERE Qualification_Status__c = 'hot' AND Email = 'A@X.IO'", ["L0"]),
    ("WHERE Qualification_Status__c IN ('Warm', 'Cold')", ["L1", "L2"]),
    ("WHERE Qualification_Status__c NOT IN ('Warm', 'Cold')", ["L0", "L3"]),
    ("WHERE Qualification_Status__c != 'Hot'", ["L1", "L2"]),
    ("WHERE Email = null", ["L3"]),
    ("WHERE AI_Qualification_Score__c = 20", ["L2"]),
    ("WHERE DoNotCall = false LIMIT 2", ["L0", "L1"]),
    ("ORDER BY AI_Qualification_Score__c DESC LIMIT 1", ["L3"]),
])
def test_soql_subset(sf, leads, where, expected):
    result = sf.query(f"SELECT Id, LastName FROM Lead {where}")
    assert result["done"] is True
    assert result["totalSize"] == len(expected)
    assert [record["LastName"] for record in result["records"]] == expected
    assert set(result["records"][0]) == {"attributes", "Id", "LastName"}
    assert result["records"][0]["attributes"]["type"] == "Lead"


def test_soql_finds_a_record_by_its_15_character_id(sf, sandbox):
    lead = sandbox.org.insert("Lead", LEAD)
    assert sf.query(f"SELECT Id FROM Lead WHERE Id = '{lead[:15]}'")["records"][0]["Id"] == lead


@pytest.mark.parametrize(("soql", "code"), [
    ("SELEC Id FROM Lead", "MALFORMED_QUERY"),
    ("SELECT Id FROM Lead WHERE", "MALFORMED_QUERY"),
    ("SELECT Id FROM Lead WHERE Email = 'unterminated", "MALFORMED_QUERY"),
    ("SELECT Id FROM Lead WHERE Email = 'a' OR Phone = 'b'", "MALFORMED_QUERY"),
    ("SELECT Id, Foo__c FROM Lead", "INVALID_FIELD"),
    ("SELECT Id FROM Lead WHERE Foo__c = 'x'", "INVALID_FIELD"),
    ("SELECT Id FROM Opportunityish", "INVALID_TYPE"),
])
def test_bad_soql_is_refused(sf, soql, code):
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.query(soql)
    assert error_of(raised)["errorCode"] == code
