"""A mapping's privacy: redacted, raw or never, in the engine and on the FieldMapping rows."""

from __future__ import annotations

import pytest

from crm.models import FieldMapping
from integrations.salesforce.mapping import (
    NEVER, RAW, REDACTED, MappingRule, default_privacy, map_document, rule_errors,
)
from privacy.redaction import Redactor

TRANSCRIPT = "Caller: card 4111 1111 1111 1111, call me on 415-555-0123"
DOCUMENT = {"caller": {"phone": "+14155550123"}, "transcript": TRANSCRIPT,
            "analysis": {"structuredData": {"dob": "03/03/1985", "seats": 40}}}


def rule(target_field: str, source: str, privacy: str, **fields) -> MappingRule:
    return MappingRule(target_object="Lead", target_field=target_field, source=source, privacy=privacy, **fields)


def test_redacted_rules_send_the_redactors_output_and_raw_ones_the_value():
    records = map_document(DOCUMENT, [
        rule("Call_Transcript__c", "transcript", REDACTED),
        rule("Raw_Transcript__c", "transcript", RAW),
        rule("Facts__c", "analysis.structuredData", REDACTED),
    ], redact=Redactor(keep_phones=["+14155550123"]))
    sent = records.create("Lead")
    assert sent["Call_Transcript__c"] == "Caller: card [CARD], call me on 415-555-0123"
    assert sent["Raw_Transcript__c"] == TRANSCRIPT
    assert sent["Facts__c"] == '{"dob": "[DOB]", "seats": 40}'


def test_never_leaves_the_field_out_even_when_the_call_has_a_value():
    records = map_document(DOCUMENT, [rule("Call_Transcript__c", "transcript", NEVER),
                                      rule("LastName", "caller.last_name", RAW, required=True, placeholder="Unknown")])
    assert records.create("Lead") == {"LastName": "Unknown"}
    assert "Lead.Call_Transcript__c: never sent: its privacy setting keeps it inside callsync" in records.notes


def test_without_a_redactor_a_redacted_rule_sends_nothing_rather_than_raw_data():
    records = map_document(DOCUMENT, [rule("Call_Transcript__c", "transcript", REDACTED)])
    assert records.create("Lead") == {}
    assert records.problems == ["Lead.Call_Transcript__c: left out: it must be redacted and no redactor was given"]


def test_free_text_sources_default_to_redacted():
    assert [default_privacy(source) for source in ("transcript", "call.summary", "analysis.structuredData.notes",
                                                    "caller.email", "call.subject")] == [REDACTED] * 3 + [RAW] * 2


def test_privacy_is_validated_with_the_rest_of_the_rule():
    assert "privacy" in rule_errors(rule("Notes__c", "transcript", "sometimes"))
    key = MappingRule(target_object="Task", target_field="Vapi_Call_Id__c", source="call.id", upsert_key=True,
                      privacy=NEVER)
    assert rule_errors(key)["privacy"] == [
        "An upsert key or a required field has to be sent: it cannot be set to never."]


@pytest.mark.django_db
def test_the_seeded_free_text_mappings_are_redacted_and_the_rest_raw():
    privacy = {(row.target_object, row.target_field): row.privacy for row in FieldMapping.objects.all()}
    assert privacy["Lead", "Call_Transcript__c"] == privacy["Task", "Description"] == privacy["Case", "Description"] \
        == REDACTED
    assert privacy["Lead", "Email"] == privacy["Task", "Subject"] == privacy["Lead", "Phone"] == RAW
    confidence = FieldMapping.objects.get(target_field="PII_Redaction_Confidence__c")
    assert not confidence.enabled and confidence.source == "privacy.redaction_confidence"
    confidence.enabled = True
    confidence.full_clean()  # a valid row, ready to be switched on


@pytest.mark.django_db
def test_a_new_row_left_blank_gets_the_default_for_its_source():
    transcript = FieldMapping.objects.create(target_object="Lead", target_field="Notes__c", source="transcript")
    company = FieldMapping.objects.create(target_object="Lead", target_field="Org__c", source="caller.company")
    assert (transcript.privacy, company.privacy) == (REDACTED, RAW)
    assert transcript.as_rule().privacy == REDACTED
