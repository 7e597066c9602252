"""The mapping engine on its own, building records: placeholders, updates and create-only fields, errors that
must not crash, upsert keys and objects. Plain documents and rules, no database."""

from integrations.salesforce.mapping import FieldInfo, map_document
from tests.leads.mapping_support import COMPANY, LAST_NAME, document, rule


# --- placeholders, updates, create-only ----------------------------------------------------------

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
