"""The mapping engine on its own: plain documents and rules, no database."""

from datetime import date, datetime, timedelta, timezone

import pytest

from crm.models import FieldMapping
from integrations.salesforce.mapping import (
    TRANSFORMS, TRUNCATION_MARKER, FieldInfo, MappingRule, TransformError, api_name_error, apply_transform, lookup,
    map_document, options_errors, rule_errors, rule_set_problems, source_error, truncate_text,
)

PRESIGNED = (
    "https://storage.vapi.ai/9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f-1795100899926-4caa4b4c-42e6-4478-8e25-935f5a7424da-mono.wav"
    "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261119%2Fus-west-2%2Fs3%2Faws4_request"
    "&X-Amz-Date=20261119T150821Z&X-Amz-Expires=3600&X-Amz-Signature=" + "a" * 64 + "&X-Amz-SignedHeaders=host"
)


def rule(target_field: str, source: str, target_object: str = "Lead", **options) -> MappingRule:
    return MappingRule(target_object=target_object, target_field=target_field, source=source, **options)


def document(**caller) -> dict:
    return {
        "caller": {"first_name": "Dana", "last_name": "Whitfield", "company": "Northwind Logistics", **caller},
        "call": {"id": "call-1", "direction": "inbound", "recording_url": PRESIGNED, "duration_seconds": 252.366},
        "transcript": "Caller: hello",
    }


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


# --- placeholders, updates, create-only ----------------------------------------------------------

LAST_NAME = rule("LastName", "caller.last_name", required=True, placeholder="Unknown")
COMPANY = rule("Company", "caller.company", required=True, placeholder="Unknown (AI call)")


def test_placeholders_fill_required_fields_on_create_only():
    records = map_document(document(last_name=None, company="  "), [
        rule("FirstName", "caller.first_name"), LAST_NAME, COMPANY])
    assert records.create("Lead") == {"FirstName": "Dana", "LastName": "Unknown", "Company": "Unknown (AI call)"}
    assert records.update("Lead") == {"FirstName": "Dana"}
    assert any("placeholder 'Unknown'" in note for note in records.notes)
    assert records.problems == []


def test_real_values_beat_placeholders():
    records = map_document(document(), [LAST_NAME, COMPANY])
    assert records.create("Lead") == {"LastName": "Whitfield", "Company": "Northwind Logistics"}
    assert records.notes == []


def test_a_required_field_without_value_or_placeholder_is_a_problem_not_a_crash():
    records = map_document(document(last_name=None), [rule("LastName", "caller.last_name", required=True)])
    assert records.create("Lead") == {}
    assert records.problems == ["Lead.LastName: required, but the call has no value and the mapping has no placeholder"]


def test_an_update_never_blanks_a_field():
    doc = {"caller": {"first_name": "", "last_name": None, "company": "   ", "email": "dana@example.com"},
           "analysis": {"structuredData": {"tags": [], "extra": {}}}}
    rules = [rule("FirstName", "caller.first_name"), rule("LastName", "caller.last_name"),
             rule("Company", "caller.company"), rule("Email", "caller.email"),
             rule("Tags__c", "analysis.structuredData.tags"), rule("Extra__c", "analysis.structuredData.extra"),
             rule("Missing__c", "caller.nickname")]
    records = map_document(doc, rules)
    assert records.update("Lead") == {"Email": "dana@example.com"}
    assert records.create("Lead") == {"Email": "dana@example.com"}


def test_false_and_zero_are_values_not_blanks():
    doc = {"consent": {"given": False}, "qualification": {"score": 0}}
    records = map_document(doc, [rule("Consent__c", "consent.given", transform="boolean"),
                                 rule("AI_Qualification_Score__c", "qualification.score", transform="number")])
    assert records.update("Lead") == {"Consent__c": False, "AI_Qualification_Score__c": 0}


def test_create_only_fields_are_left_out_of_updates():
    rules = [rule("Vapi_Call_Id__c", "call.id", "Task", upsert_key=True),
             rule("TaskSubtype", "const:Call", "Task", create_only=True), rule("Status", "const:Completed", "Task")]
    records = map_document(document(), rules)
    assert records.create("Task") == {"Vapi_Call_Id__c": "call-1", "TaskSubtype": "Call", "Status": "Completed"}
    assert records.update("Task") == {"Vapi_Call_Id__c": "call-1", "Status": "Completed"}


def test_describe_turns_fields_that_are_not_updateable_into_create_only_and_skips_read_only_ones():
    info = {("Task", "tasksubtype"): FieldInfo(length=255, updateable=False, type="picklist"),
            ("Task", "status"): FieldInfo(length=255, type="picklist"),
            ("Task", "callobject"): FieldInfo(length=255, createable=False),
            ("Task", "createddate"): FieldInfo(createable=False, updateable=False, type="datetime")}
    rules = [rule("TaskSubtype", "const:Call", "Task"), rule("Status", "const:Completed", "Task"),
             rule("CallObject", "call.id", "Task"), rule("CreatedDate", "call.started_at", "Task")]
    records = map_document({"call": {"id": "call-1", "started_at": "2026-11-19T15:04:05Z"}}, rules, info)
    assert records.create("Task") == {"TaskSubtype": "Call", "Status": "Completed"}
    assert records.update("Task") == {"Status": "Completed", "CallObject": "call-1"}


def test_payloads_are_new_dicts_each_time():
    records = map_document(document(), [rule("FirstName", "caller.first_name")])
    records.create("Lead").clear()
    records.update("Lead")["FirstName"] = "changed"
    assert records.create("Lead") == records.update("Lead") == {"FirstName": "Dana"}


# --- errors that must not crash ------------------------------------------------------------------

def test_transform_errors_leave_the_field_out_explain_it_and_keep_the_rest():
    doc = {"qualification": {"status": "lukewarm", "score": "about eighty"}, "caller": {"email": "dana at example",
                                                                                        "last_name": "Whitfield"}}
    rules = [rule("Qualification_Status__c", "qualification.status", transform="picklist", options={"map": {"hot": "Hot"}}),
             rule("AI_Qualification_Score__c", "qualification.score", transform="number"),
             rule("Email", "caller.email", transform="email"), LAST_NAME]
    records = map_document(doc, rules)
    assert records.create("Lead") == {"LastName": "Whitfield"}
    assert len(records.problems) == 3
    assert records.problems == [note for note in records.notes if "left out" in note]
    assert any("Qualification_Status__c" in problem and "lukewarm" in problem for problem in records.problems)


def test_a_required_field_whose_value_cannot_be_read_falls_back_to_its_placeholder():
    records = map_document({"caller": {"phone": "not a number"}}, [
        rule("Phone", "caller.phone", transform="phone_e164", required=True, placeholder="+10000000000")])
    assert records.create("Lead") == {"Phone": "+10000000000"}
    assert records.update("Lead") == {}


def test_fields_salesforce_does_not_have_are_flagged_and_left_for_salesforce_to_refuse():
    info = {("Lead", "lastname"): FieldInfo(length=80)}
    rules = [LAST_NAME, rule("Nickname__c", "caller.first_name"), rule("Subject", "call.id", "Task")]
    records = map_document(document(), rules, info)
    assert records.create("Lead") == {"LastName": "Whitfield", "Nickname__c": "Dana"}
    assert records.create("Task") == {"Subject": "call-1"}  # Task was not described: nothing to check against
    assert records.problems == ["Lead.Nickname__c: not in Salesforce's describe of Lead; Salesforce will refuse it"]


def test_a_field_mapped_twice_uses_the_first_enabled_rule_and_says_so():
    rules = [rule("FirstName", "caller.last_name", enabled=False), rule("FirstName", "caller.first_name"),
             rule("firstname", "caller.company")]
    records = map_document(document(), rules)
    assert records.create("Lead") == {"FirstName": "Dana"}
    assert records.problems == ["Lead.firstname: mapped twice; only the first enabled mapping is used"]


# --- upsert keys and objects -------------------------------------------------------------------

def test_upsert_key_names_the_field_and_value_and_is_none_without_one():
    rules = [rule("Vapi_Call_Id__c", "call.id", "Task", upsert_key=True), rule("Subject", "call.id", "Case"),
             rule("Vapi_Call_Id__c", "call.missing", "Case", upsert_key=True)]
    records = map_document(document(), rules)
    assert records.upsert_key("Task") == ("Vapi_Call_Id__c", "call-1")
    assert records.upsert_key("Case") is None
    assert records.upsert_key("Lead") is None


def test_objects_lists_those_the_call_gave_values_for_not_constants_or_placeholders_alone():
    rules = [LAST_NAME, rule("Status", "const:Completed", "Task"), rule("Origin", "const:Phone", "Case"),
             rule("Subject", "call.missing", "Case")]
    records = map_document(document(last_name=None), rules)
    assert records.objects == []
    assert records.create("Lead") == {"LastName": "Unknown"} and records.create("Task") == {"Status": "Completed"}
    with_value = map_document(document(), rules)
    assert with_value.objects == ["Lead"]


def test_phone_numbers_are_read_in_the_default_region():
    records = map_document({"caller": {"phone": "020 7946 0958"}}, [rule("Phone", "caller.phone", transform="phone_e164")],
                           default_region="GB")
    assert records.create("Lead") == {"Phone": "+442079460958"}


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

