"""A caller reads out a card number and a date of birth: Salesforce gets neither.

The end-of-call report is posted signed, like Vapi sends it; the sync task runs as a worker
would; Salesforce is the sandbox over HTTPS.
"""

from __future__ import annotations

import re

import pytest

from calls.models import Call
from crm.models import FieldMapping
from tests.leads.sync_support import leads_with_phone, post_call, run_job, tasks_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_describe")]

FIXTURE = "pii-card-dob-report"
CALLER = "+16465550182"
COMPANY = "+18885550100"
CARD_SPELLINGS = ["4111 1111 1111 1111", "4111111111111111", "Four one one one, one one one one"]
DOB_SPELLINGS = ["March 3rd, 1985", "March 3, 1985", "03/03/1985", "third of March", "nineteen eighty-five", "1985"]


@pytest.fixture(autouse=True)
def company_numbers(settings):
    settings.CALLSYNC_COMPANY_PHONE_NUMBERS = [COMPANY]


def synced(post_vapi, salesforce) -> tuple[Call, dict, dict]:
    call = post_call(post_vapi, fixture=FIXTURE)
    assert run_job(call)["synced"] == 1
    [lead] = leads_with_phone(salesforce, CALLER)
    [task] = tasks_for(salesforce, call)
    call.refresh_from_db()
    return call, lead, task


def assert_clean(text: str) -> None:
    for spelling in CARD_SPELLINGS + DOB_SPELLINGS:
        assert spelling.lower() not in text.lower(), f"{spelling!r} reached Salesforce"
    assert not re.search(r"4111\D?1111", text)


def test_neither_the_card_nor_the_date_of_birth_reaches_salesforce(post_vapi, salesforce):
    call, lead, task = synced(post_vapi, salesforce)

    transcript, description = lead["Call_Transcript__c"], task["Description"]
    for text in (transcript, description):
        assert_clean(text)
        assert "[CARD]" in text and "[DOB]" in text
    assert "Can I just give you the card now? It's a Visa. [CARD]. Expiry is oh nine twenty-seven." in transcript
    assert "Mine is [DOB]." in transcript
    # The caller's own number and the company's stay, so do prices and the order number.
    assert "Six four six, five five five, oh one eight two." in transcript
    assert "1-888-555-0100" in transcript and "$1,299" in transcript and "8 8 1 2 3 4" in transcript
    assert "on 646-555-0182" in description
    assert lead["Email"] == "jordan.reyes@example.com" and lead["Phone"] == CALLER
    # Counted over the transcript, the summary and the structured data (its card and birth date fields too).
    assert call.pii_redactions == {"CARD": 3, "DOB": 3}
    assert call.pii_redaction_confidence == 1.0


def test_a_raw_mapping_sends_the_transcript_as_it_was_said(post_vapi, salesforce):
    FieldMapping.objects.filter(target_object="Lead", target_field="Call_Transcript__c").update(privacy="raw")

    _, lead, task = synced(post_vapi, salesforce)

    assert "Four one one one, one one one one, um, one one one one, one one one one" in lead["Call_Transcript__c"]
    assert "[CARD]" not in lead["Call_Transcript__c"]
    assert_clean(task["Description"])


def test_a_never_mapping_leaves_the_field_out(post_vapi, salesforce):
    FieldMapping.objects.filter(target_object="Task", target_field="Description").update(privacy="never")

    _, lead, task = synced(post_vapi, salesforce)

    assert not task.get("Description")
    assert "[CARD]" in lead["Call_Transcript__c"]


def test_the_redaction_confidence_goes_to_the_lead_when_its_mapping_is_enabled(post_vapi, salesforce):
    FieldMapping.objects.filter(target_field="PII_Redaction_Confidence__c").update(enabled=True)

    _, lead, _ = synced(post_vapi, salesforce)

    assert lead["PII_Redaction_Confidence__c"] == 1.0
