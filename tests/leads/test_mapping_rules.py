"""The mapping engine's checks of the rules sales ops write: API names, sources, options, one rule and a rule set."""

import pytest

from integrations.salesforce.mapping import (
    api_name_error, options_errors, rule_errors, rule_set_problems, source_error,
)
from tests.leads.mapping_support import COMPANY, LAST_NAME, rule


# --- validating rules ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["LastName", "Vapi_Call_Id__c", "AI_Qualification_Score__c", "acme__Score__c",
                                  "CallDurationInSeconds", "X1"])
def test_api_names_that_salesforce_accepts(name):
    assert api_name_error(name) == ""


@pytest.mark.parametrize("name", ["", "Last Name", "1Field", "_Field", "Field_", "Bad__Name", "Field__r", "Field___c",
                                  "Field__c_", "__c", "Vapi-Call-Id__c", "Ça__c", "a__b__c__c"])
def test_api_names_that_salesforce_refuses(name):
    assert "is not a Salesforce API name" in api_name_error(name)


def test_sources_start_with_a_root_of_the_document_or_are_constants():
    assert source_error("caller.last_name") == ""
    assert source_error("const:Completed") == ""
    assert source_error("transcript") == ""
    assert "start with one of caller" in source_error("customer.name")
    assert "start with one of" in source_error("caller..name")
    known = ["caller.last_name", "analysis.structuredData"]
    assert source_error("caller.nickname", known_paths=known) != ""
    assert source_error("analysis.structuredData.budget", known_paths=known, open_paths=["analysis.structuredData"]) == ""


def test_options_must_fit_the_transform():
    assert options_errors("picklist", {"map": {"hot": "Hot"}, "default": "Cold"}) == []
    assert "needs a map" in options_errors("picklist", {})[0]
    assert "needs a map" in options_errors("picklist", {"map": {}})[0]
    assert options_errors("truncate", {"limit": 255}) == []
    for limit in (0, -1, "255", True, None):
        assert "positive" in options_errors("truncate", {"limit": limit})[0]
    assert "decimals" in options_errors("number", {"decimals": -1})[0]
    assert "not an option of the none transform" in options_errors("none", {"limit": 3})[0]
    assert "JSON object" in options_errors("none", ["limit"])[0]
    assert "two-letter" in options_errors("phone_e164", {"region": "Britain"})[0]


def test_rule_errors_name_the_field_to_fix():
    assert rule_errors(rule("LastName", "caller.last_name", required=True, placeholder="Unknown")) == {}
    errors = rule_errors(rule("Vapi_Call_Id__c", "const:same", "Lead", upsert_key=True, create_only=True,
                              placeholder="x"))
    assert set(errors) == {"upsert_key", "create_only", "source", "placeholder"}
    assert "matched by phone" in errors["upsert_key"][0]
    assert set(rule_errors(rule("Bad Name", "nowhere", "Opportunity", transform="shout"))) == {
        "target_object", "target_field", "source", "transform"}


def test_rule_set_problems_catch_duplicates_missing_and_extra_upsert_keys_and_lead_required_fields():
    good = [LAST_NAME, COMPANY, rule("Vapi_Call_Id__c", "call.id", "Task", upsert_key=True)]
    assert rule_set_problems(good) == []
    problems = rule_set_problems([
        LAST_NAME, rule("lastname", "caller.first_name"),
        rule("Vapi_Call_Id__c", "call.id", "Task", upsert_key=True), rule("Other_Id__c", "call.id", "Task", upsert_key=True),
        rule("Subject", "call.subject", "Case"),
    ])
    assert problems == [
        "Lead.lastname is mapped 2 times.",
        "Task has 2 upsert keys (Vapi_Call_Id__c, Other_Id__c); it may have one.",
        "Case has no upsert key: its records cannot be written idempotently.",
        "Lead.Company is required by Salesforce but no enabled mapping fills it.",
    ]
