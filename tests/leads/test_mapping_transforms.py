"""The mapping engine on its own, reading values: the document's paths, the transforms, truncation and URLs.
Plain documents and rules, no database."""

from datetime import date, datetime, timedelta, timezone

import pytest

from crm.models import FieldMapping
from integrations.salesforce.mapping import (
    TRANSFORMS, TRUNCATION_MARKER, FieldInfo, TransformError, apply_transform, lookup, map_document, truncate_text,
)
from tests.leads.mapping_support import PRESIGNED, document, rule


# --- reading the document ----------------------------------------------------------------

def test_lookup_follows_dotted_paths_and_list_indexes_and_answers_none_when_missing():
    doc = {"analysis": {"structuredData": {"budget": "$40,000", "contacts": [{"name": "Renata"}]}}}
    assert lookup(doc, "analysis.structuredData.budget") == "$40,000"
    assert lookup(doc, "analysis.structuredData.contacts.0.name") == "Renata"
    assert lookup(doc, "analysis.structuredData.contacts.5.name") is None
    assert lookup(doc, "analysis.structuredData.budget.amount") is None
    assert lookup(doc, "caller.name") is None
    assert lookup(doc, "const:Completed") == "Completed"


# --- transforms ----------------------------------------------------------------------------

def test_engine_and_model_offer_the_same_transforms():
    assert set(FieldMapping.Transform.values) == set(TRANSFORMS)


@pytest.mark.parametrize(("raw", "options", "expected"), [
    ("(415) 555-0123", {"region": "US"}, "+14155550123"),
    ("+1 415.555.0123", {}, "+14155550123"),
    ("020 7946 0958", {"region": "GB"}, "+442079460958"),
    (14155550123, {"region": "US"}, "+14155550123"),
])
def test_phone_e164_reads_common_spellings(raw, options, expected):
    assert apply_transform("phone_e164", raw, options) == expected


@pytest.mark.parametrize("raw", ["12", "call me maybe", "+1 415"])
def test_phone_e164_refuses_what_is_no_phone_number(raw):
    with pytest.raises(TransformError):
        apply_transform("phone_e164", raw, {"region": "US"})


@pytest.mark.parametrize(("raw", "options", "expected"), [
    ("2026-11-19T15:04:05.123Z", {}, "2026-11-19T15:04:05.123Z"),
    ("2026-11-19T16:04:05+01:00", {}, "2026-11-19T15:04:05.000Z"),
    (datetime(2026, 11, 19, 15, 4, 5), {}, "2026-11-19T15:04:05.000Z"),  # naive means UTC
    (datetime(2026, 11, 19, 7, 4, 5, tzinfo=timezone(timedelta(hours=-8))), {}, "2026-11-19T15:04:05.000Z"),
    (1795100899926, {}, "2026-11-19T15:08:19.926Z"),  # Vapi's epoch milliseconds
    (date(2026, 11, 19), {"date_only": True}, "2026-11-19"),
    ("2026-11-19T23:30:00-05:00", {"date_only": True}, "2026-11-20"),  # the UTC day
])
def test_iso_datetime_writes_utc(raw, options, expected):
    assert apply_transform("iso_datetime", raw, options) == expected


@pytest.mark.parametrize("raw", ["yesterday", "19/11/2026", True, {"at": 1}])
def test_iso_datetime_refuses_what_is_no_time(raw):
    with pytest.raises(TransformError):
        apply_transform("iso_datetime", raw)


def test_picklist_maps_without_case_falls_back_to_its_default_and_explains_a_missing_value():
    options = {"map": {"hot": "Hot", "Warm": "Warm", "true": "Yes"}}
    assert apply_transform("picklist", " HOT ", options) == "Hot"
    assert apply_transform("picklist", "warm", options) == "Warm"
    assert apply_transform("picklist", True, options) == "Yes"
    assert apply_transform("picklist", "lukewarm", {**options, "default": "Cold"}) == "Cold"
    with pytest.raises(TransformError, match="lukewarm"):
        apply_transform("picklist", "lukewarm", options)


@pytest.mark.parametrize(("raw", "expected"), [
    (True, True), ("yes", True), ("Given", True), ("1", True), (1, True),
    (False, False), ("no", False), ("refused", False), (0, False), ("FALSE", False),
])
def test_boolean_reads_words_and_numbers(raw, expected):
    assert apply_transform("boolean", raw) is expected


@pytest.mark.parametrize("raw", ["maybe", 2, "   "])
def test_boolean_refuses_anything_else(raw):
    with pytest.raises(TransformError):
        apply_transform("boolean", raw)


@pytest.mark.parametrize(("raw", "options", "expected"), [
    (252.366, {"decimals": 0}, 252),
    ("0.5", {"decimals": 0}, 1),  # half up, not to even
    ("1.235", {"decimals": 2}, 1.24),
    (" 42 ", {}, 42),
    (0.875, {}, 0.875),
    (0, {}, 0),
])
def test_number_rounds_half_up_to_its_decimals(raw, options, expected):
    result = apply_transform("number", raw, options)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize("raw", ["about forty", "$40,000", True, "NaN", "Infinity"])
def test_number_refuses_what_is_not_a_plain_number(raw):
    with pytest.raises(TransformError):
        apply_transform("number", raw)


def test_email_keeps_addresses_and_refuses_spoken_ones():
    assert apply_transform("email", " dana.whitfield@example.com ") == "dana.whitfield@example.com"
    assert apply_transform("email", "mailto:a@b.co") == "a@b.co"
    for spoken in ("dana at example dot com", "dana@example", "@example.com"):
        with pytest.raises(TransformError):
            apply_transform("email", spoken)


def test_none_sends_scalars_as_they_are_and_objects_as_json_text():
    assert apply_transform("none", 3.5) == 3.5
    assert apply_transform("none", False) is False
    assert apply_transform("none", {"budget": "€40k"}) == '{"budget": "€40k"}'
    assert apply_transform("truncate", ["a", 1]) == '["a", 1]'
    assert apply_transform("truncate", True) == "true"


def test_unknown_transform_is_an_error_not_a_crash():
    with pytest.raises(TransformError):
        apply_transform("uppercase", "x")


# --- truncation ------------------------------------------------------------------------------

def test_truncate_text_is_exactly_the_limit_and_ends_in_the_marker():
    cut = truncate_text("word " * 100, 100)
    assert len(cut) <= 100 and cut.endswith(TRUNCATION_MARKER)
    assert truncate_text("short", 100) == "short"
    assert truncate_text("abcdefghij", 5) == "abcde"  # no room for the marker: a plain cut


def test_a_200000_character_transcript_fits_a_131072_character_field_with_a_visible_marker():
    transcript = ("Caller: we dispatch six hundred calls a day. " * 5000)[:200_000]
    info = {("Lead", "call_transcript__c"): FieldInfo(length=131_072, type="textarea")}
    records = map_document({"transcript": transcript}, [rule("Call_Transcript__c", "transcript")], info)
    sent = records.create("Lead")["Call_Transcript__c"]
    assert len(sent) == 131_072
    assert sent.endswith(TRUNCATION_MARKER) and sent.startswith("Caller: we dispatch")
    assert records.update("Lead")["Call_Transcript__c"] == sent
    assert records.notes == ["Lead.Call_Transcript__c: truncated from 200,000 to 131,072 characters (marked)"]
    assert records.problems == []


def test_the_smaller_of_the_rule_limit_and_the_field_length_wins():
    text = {"call": {"summary": "x" * 500}}
    truncate_300 = rule("Description", "call.summary", "Task", transform="truncate", options={"limit": 300})
    longer_field = {("Task", "description"): FieldInfo(length=32_000, type="textarea")}
    shorter_field = {("Task", "description"): FieldInfo(length=100, type="textarea")}
    assert len(map_document(text, [truncate_300], longer_field).create("Task")["Description"]) == 300
    assert len(map_document(text, [truncate_300], shorter_field).create("Task")["Description"]) == 100
    assert len(map_document(text, [truncate_300]).create("Task")["Description"]) == 300
    assert len(map_document(text, [rule("Description", "call.summary", "Task")]).create("Task")["Description"]) == 500


def test_truncate_can_cut_without_the_marker():
    records = map_document({"call": {"id": "x" * 50}}, [
        rule("CallObject", "call.id", "Task", transform="truncate", options={"limit": 10, "marker": False})])
    assert records.create("Task") == {"CallObject": "x" * 10}


# --- URLs ----------------------------------------------------------------------------------

def test_a_url_too_long_for_its_field_loses_its_query_string_instead_of_being_cut():
    recording = rule("Recording_URL__c", "call.recording_url", "Task", transform="truncate", options={"limit": 255})
    records = map_document(document(), [recording])
    sent = records.create("Task")["Recording_URL__c"]
    assert sent == PRESIGNED.split("?")[0]
    assert "query string" in records.notes[0]


def test_a_url_that_does_not_fit_even_without_its_query_is_left_out_with_a_note():
    info = {("Task", "recording_url__c"): FieldInfo(length=40, type="url")}
    records = map_document(document(), [rule("Recording_URL__c", "call.recording_url", "Task")], info)
    assert "Recording_URL__c" not in records.create("Task")
    assert "left out" in records.notes[0] and "Recording_URL__c" in records.notes[0]


def test_a_url_that_fits_is_sent_untouched():
    info = {("Task", "recording_url__c"): FieldInfo(length=1000, type="url")}
    records = map_document(document(), [rule("Recording_URL__c", "call.recording_url", "Task")], info)
    assert records.create("Task")["Recording_URL__c"] == PRESIGNED and records.notes == []
