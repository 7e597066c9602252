"""FieldMapping rows: validation on save, the seeded footprint, and the rules handed to the engine."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from calls.models import Call
from crm.models import FieldMapping
from crm.services.mapping import active_rules, map_call
from integrations.salesforce.mapping import rule_set_problems
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

seed_migration = importlib.import_module("leads.migrations.0003_seed_field_mappings")

FOOTPRINT = {
    ("Lead", "Phone"), ("Lead", "FirstName"), ("Lead", "LastName"), ("Lead", "Company"), ("Lead", "Email"),
    ("Lead", "AI_Qualification_Score__c"), ("Lead", "Qualification_Status__c"), ("Lead", "Intent__c"),
    ("Lead", "Intent_Confidence__c"), ("Lead", "Disposition__c"), ("Lead", "Last_AI_Contact__c"),
    ("Lead", "Consent_Record__c"), ("Lead", "Call_Transcript__c"),
    ("Task", "Vapi_Call_Id__c"), ("Task", "Subject"), ("Task", "TaskSubtype"), ("Task", "Status"),
    ("Task", "CallDurationInSeconds"), ("Task", "CallDisposition"), ("Task", "Description"),
    ("Task", "Recording_URL__c"), ("Task", "StartTime__c"), ("Task", "EndTime__c"), ("Task", "CallType"),
    ("Case", "Vapi_Call_Id__c"), ("Case", "Subject"), ("Case", "Description"), ("Case", "Origin"),
    ("Case", "SuppliedPhone"),
}


def mapping(**fields) -> FieldMapping:
    defaults = {"target_object": "Lead", "target_field": "Region__c", "source": "analysis.structuredData.region"}
    return FieldMapping(**{**defaults, **fields})


def errors_of(row: FieldMapping) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        row.full_clean()
    return raised.value.message_dict


# --- the seeded footprint ---------------------------------------------------------------------

def test_the_default_footprint_is_seeded_enabled_and_valid():
    rows = list(FieldMapping.objects.all())
    assert {(row.target_object, row.target_field) for row in rows if row.enabled} == FOOTPRINT
    # Offered, off until the org has the field: how sure the PII redaction was.
    assert {(row.target_object, row.target_field) for row in rows if not row.enabled} == {
        ("Lead", "PII_Redaction_Confidence__c")}
    for row in rows:
        row.full_clean()  # raises on any invalid seeded row
    assert rule_set_problems(active_rules()) == []


def test_seeded_rows_carry_the_salesforce_rules_that_matter():
    row = {(r.target_object, r.target_field): r for r in FieldMapping.objects.all()}
    assert {key for key, r in row.items() if r.upsert_key} == {("Task", "Vapi_Call_Id__c"), ("Case", "Vapi_Call_Id__c")}
    assert row["Lead", "LastName"].required and row["Lead", "LastName"].placeholder
    assert row["Lead", "Company"].required and row["Lead", "Company"].placeholder
    assert row["Task", "TaskSubtype"].create_only and row["Task", "TaskSubtype"].source == "const:Call"
    assert {key for key, r in row.items() if r.create_only} == {("Task", "TaskSubtype"), ("Lead", "Phone")}
    assert row["Task", "Status"].source == "const:Completed"
    assert row["Case", "Origin"].source == "const:Phone"
    assert row["Lead", "Call_Transcript__c"].options == {"limit": 131072}
    assert row["Task", "Description"].options == {"limit": 32000}
    assert row["Lead", "Qualification_Status__c"].options["map"]["hot"] == "Hot"
    assert row["Task", "CallType"].options["map"] == {"inbound": "Inbound", "outbound": "Outbound", "web": "Inbound"}
    assert row["Lead", "Last_AI_Contact__c"].transform == FieldMapping.Transform.ISO_DATETIME


def test_the_reverse_migration_deletes_the_seeded_rows_and_the_forward_one_brings_them_back():
    FieldMapping.objects.create(target_object="Lead", target_field="Region__c", source="analysis.structuredData.region")
    seed_migration.unseed(apps, None)
    remaining = FieldMapping.objects.exclude(target_field="PII_Redaction_Confidence__c")
    assert list(remaining.values_list("target_field", flat=True)) == ["Region__c"]
    seed_migration.seed(apps, None)
    assert remaining.count() == len(FOOTPRINT) + 1


# --- validation on save ----------------------------------------------------------------------------

def test_a_valid_row_passes_and_trims_its_names():
    row = mapping(target_field=" Region__c ", source=" analysis.structuredData.region ")
    row.full_clean()
    assert (row.target_field, row.source) == ("Region__c", "analysis.structuredData.region")


@pytest.mark.parametrize("name", ["Region c", "Region__", "2Region__c", "Region__x"])
def test_api_name_syntax_is_checked(name):
    assert "target_field" in errors_of(mapping(target_field=name))


def test_the_source_must_be_a_path_of_the_call_document():
    assert "start with one of" in errors_of(mapping(source="customer.region"))["source"][0]
    assert "not in the call document" in errors_of(mapping(source="caller.nickname"))["source"][0]
    mapping(source="caller.phone").full_clean()
    mapping(source="const:EMEA").full_clean()
    mapping(source="analysis.structuredData.deal.size").full_clean()


def test_options_must_fit_the_transform():
    assert "needs a map" in errors_of(mapping(transform="picklist", options={}))["options"][0]
    assert "positive" in errors_of(mapping(transform="truncate", options={"limit": 0}))["options"][0]
    assert "options" in errors_of(mapping(transform="truncate", options=[255]))
    mapping(transform="picklist", options={"map": {"emea": "EMEA"}, "default": "Other"}).full_clean()


def test_lead_has_no_upsert_key_and_a_placeholder_needs_required():
    assert "upsert_key" in errors_of(mapping(upsert_key=True))
    assert "placeholder" in errors_of(mapping(placeholder="Unknown"))


def test_only_one_enabled_upsert_key_per_object():
    second = mapping(target_object="Task", target_field="Other_Id__c", source="call.twilio_call_sid", upsert_key=True)
    assert "already has an enabled upsert key" in errors_of(second)["upsert_key"][0]
    FieldMapping.objects.filter(target_object="Task", upsert_key=True).update(enabled=False)
    second.full_clean()


def test_an_enabled_field_is_mapped_once_whatever_its_case():
    duplicate = mapping(target_field="lastname", source="caller.first_name")
    assert "already mapped" in errors_of(duplicate)["target_field"][0]
    duplicate.enabled = False
    duplicate.full_clean()  # a disabled alternative may wait in the list
    existing = FieldMapping.objects.get(target_object="Lead", target_field="LastName")
    existing.position = 99
    existing.full_clean()  # a row does not clash with itself


# --- rules for the engine --------------------------------------------------------------------------

def test_active_rules_are_the_enabled_rows_in_position_order():
    FieldMapping.objects.filter(target_field="Email").update(enabled=False)
    FieldMapping.objects.filter(target_object="Lead", target_field="Phone").update(position=10_000)
    rules = active_rules()
    assert "Email" not in {rule.target_field for rule in rules}
    assert rules[-1].target_field == "Phone"
    assert [rule.position for rule in rules] == sorted(rule.position for rule in rules)
    assert len(rules) == len(FOOTPRINT) - 1


def test_map_call_applies_the_seeded_footprint_to_a_posted_report(post_vapi):
    post_vapi(vapi_fixture("end-of-call-report"))
    records = map_call(Call.objects.get())
    lead = records.create("Lead")
    assert {key: lead[key] for key in ("Phone", "FirstName", "LastName", "Company", "Email", "Intent__c")} == {
        "Phone": "+14155550123", "FirstName": "Dana", "LastName": "Whitfield", "Company": "Northwind Logistics",
        "Email": "dana.whitfield@example.com", "Intent__c": "Sales"}
    assert lead["Call_Transcript__c"].startswith("Assistant: Hi, thanks for calling Callsync!")
    assert lead["Last_AI_Contact__c"] == "2026-11-19T15:04:05.123Z"
    task = records.create("Task")
    assert records.upsert_key("Task") == ("Vapi_Call_Id__c", "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f")
    assert task["Subject"] == "AI call with Dana Whitfield (Northwind Logistics)"
    assert (task["TaskSubtype"], task["Status"], task["CallType"], task["CallDurationInSeconds"]) == (
        "Call", "Completed", "Inbound", 252)
    assert task["Recording_URL__c"].endswith("-mono.wav")  # the presigned query string did not fit 255
    assert "TaskSubtype" not in records.update("Task")
    assert records.problems == []


def test_a_caller_without_a_surname_gets_placeholders_on_create_only(post_vapi):
    post_vapi(vapi_fixture("end-of-call-report-outbound"))
    records = map_call(Call.objects.get())
    assert records.create("Lead")["LastName"] == "Unknown"
    assert records.create("Lead")["Company"] == "Unknown (AI call)"
    assert records.create("Lead")["FirstName"] == "Priya"
    assert "LastName" not in records.update("Lead") and "Company" not in records.update("Lead")
    assert records.create("Task")["CallType"] == "Outbound"
