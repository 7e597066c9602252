"""The FieldMapping admin: editing, checking against Salesforce, and the payload preview."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone

from calls.models import Call
from crm.models import FieldMapping, SyncAttempt, SyncJob
from crm.services.mapping import SalesforceUnavailable, check_mappings_against_salesforce
from devtools.salesforce_sandbox.schema import text
from tests.factories import CallFactory
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:crm_fieldmapping_changelist"
PREVIEW = "admin:crm_fieldmapping_preview"
ADD = "admin:crm_fieldmapping_add"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def add_form(**fields) -> dict:
    return {"target_object": "Lead", "target_field": "Title", "source": "analysis.structuredData.authority",
            "transform": "truncate", "options": '{"limit": 128}', "enabled": "on", "position": "500", "placeholder": "",
            "notes": "", **fields}


def check(admin_client, rows=None):
    rows = FieldMapping.objects.all() if rows is None else rows
    return admin_client.post(reverse(CHANGELIST), {"action": "check_against_salesforce",
                                                   "_selected_action": [row.pk for row in rows]}, follow=True)


def payload(response, target_object: str) -> dict:
    return next(p for p in response.context["payloads"] if p["object"] == target_object)


# --- the list ---------------------------------------------------------------------------------

def test_the_list_is_grouped_by_object_links_to_the_preview_and_filters(admin_client):
    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse(PREVIEW) in html and "Preview payload" in html
    rows = list(response.context["cl"].result_list)
    assert [row.target_object for row in rows] == sorted(row.target_object for row in rows)
    filtered = admin_client.get(reverse(CHANGELIST), {"target_object__exact": "Case"})
    assert {row.target_object for row in filtered.context["cl"].result_list} == {"Case"}


def list_edit(admin_client, rows, changes: dict[int, dict]):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)), "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000", "_save": "Save"}
    for index, row in enumerate(rows):
        values = {"enabled": row.enabled, "position": row.position, "transform": row.transform, **changes.get(row.pk, {})}
        data[f"form-{index}-id"] = str(row.pk)
        data[f"form-{index}-position"] = str(values["position"])
        data[f"form-{index}-transform"] = values["transform"]
        if values["enabled"]:
            data[f"form-{index}-enabled"] = "on"
    return admin_client.post(reverse(CHANGELIST) + "?target_object__exact=Case", data)


def test_list_editing_saves_valid_changes(admin_client):
    rows = list(FieldMapping.objects.filter(target_object="Case").order_by("position", "id"))
    origin = next(row for row in rows if row.target_field == "Origin")
    response = list_edit(admin_client, rows, {origin.pk: {"enabled": False, "position": 5}})
    assert response.status_code == 302
    origin.refresh_from_db()
    assert (origin.enabled, origin.position) == (False, 5)


def test_list_editing_runs_the_model_validation_and_shows_the_error_on_the_row(admin_client):
    rows = list(FieldMapping.objects.filter(target_object="Case").order_by("position", "id"))
    origin = next(row for row in rows if row.target_field == "Origin")
    response = list_edit(admin_client, rows, {origin.pk: {"transform": "picklist"}})
    assert response.status_code == 200
    assert "A picklist needs a map" in response.content.decode()
    origin.refresh_from_db()
    assert origin.transform == "none"


# --- adding and changing a row --------------------------------------------------------------------

def test_saving_without_salesforce_validates_the_row_and_says_salesforce_was_not_asked(admin_client):
    refused = admin_client.post(reverse(ADD), add_form(target_field="Job Title", source="caller.title"))
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert "is not a Salesforce API name" in errors["target_field"][0]
    assert "not in the call document" in errors["source"][0]
    saved = admin_client.post(reverse(ADD), add_form(), follow=True)
    assert FieldMapping.objects.filter(target_field="Title", options={"limit": 128}).exists()
    assert any("Title was not checked against Salesforce" in message and "not configured" in message
               for message in messages_of(saved))


def test_saving_with_salesforce_refuses_a_field_it_does_not_have(admin_client, salesforce):
    refused = admin_client.post(reverse(ADD), add_form(target_field="Job_Title__c"))
    assert refused.status_code == 200
    assert "Lead has no field Job_Title__c in Salesforce" in refused.context["adminform"].form.errors["target_field"][0]
    saved = admin_client.post(reverse(ADD), add_form(), follow=True)
    assert saved.status_code == 200 and FieldMapping.objects.filter(target_field="Title").exists()
    assert not any("not checked" in message for message in messages_of(saved))


# --- check against Salesforce ------------------------------------------------------------------------

def test_the_check_says_plainly_when_salesforce_is_not_configured(admin_client):
    response = check(admin_client)
    assert response.status_code == 200
    [message] = messages_of(response)
    assert "Salesforce is not configured" in message and "Nothing was checked." in message
    with pytest.raises(SalesforceUnavailable) as unavailable:
        check_mappings_against_salesforce()
    assert unavailable.value.not_configured


def test_the_seeded_footprint_passes_the_check_against_the_sandbox(admin_client, salesforce):
    [message] = messages_of(check(admin_client))
    assert message.startswith(f"Salesforce has every one of the {FieldMapping.objects.count()} mapped fields")


def test_the_check_reports_missing_fields_and_mismatches(admin_client, salesforce):
    salesforce.org.schema.add_field("Lead", text("Region__c", 40, updateable=False))
    rows = [
        FieldMapping.objects.create(target_object="Lead", target_field="Nickname__c", source="caller.first_name"),
        FieldMapping.objects.create(target_object="Lead", target_field="Region__c", source="analysis.structuredData.region"),
    ]
    FieldMapping.objects.filter(target_object="Lead", target_field="AI_Qualification_Score__c").update(transform="boolean")
    FieldMapping.objects.filter(target_object="Task", target_field="TaskSubtype").update(source="const:Meeting")
    FieldMapping.objects.filter(target_object="Lead", target_field="Company").update(enabled=False)
    messages = messages_of(check(admin_client))
    assert "Lead.Nickname__c: no such field on Lead in Salesforce." in messages
    assert any(m.startswith("Lead.Region__c: not updateable in Salesforce") for m in messages)
    assert "Lead.AI_Qualification_Score__c: the boolean transform writes into a double field." in messages
    assert any(m.startswith("Task.TaskSubtype: 'Meeting' not among the field's picklist values") for m in messages)
    assert "Lead.Company is required by Salesforce but no enabled mapping fills it." in messages
    only_selected = messages_of(check(admin_client, rows[:1]))
    assert "Lead.Nickname__c: no such field on Lead in Salesforce." in only_selected
    assert not any("AI_Qualification_Score__c" in m for m in only_selected)


def test_the_check_reports_an_unreachable_salesforce(admin_client, salesforce):
    salesforce.faults.fail_next(10, status=503)
    [message] = messages_of(check(admin_client))
    assert message.startswith("Salesforce could not be reached or refused the describe call")
    assert message.endswith("Nothing was checked.")


# --- the payload preview -------------------------------------------------------------------------------

def test_the_preview_shows_the_exact_payloads_of_a_recent_call(admin_client, post_vapi):
    post_vapi(vapi_fixture("end-of-call-report"))
    post_vapi(vapi_fixture("end-of-call-report-outbound"))
    dana = Call.objects.get(vapi_call_id="9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f")
    response = admin_client.get(reverse(PREVIEW), {"call": dana.pk})
    assert response.status_code == 200
    assert response.context["chosen"] == dana and len(response.context["calls"]) == 2
    lead = payload(response, "Lead")
    assert json.loads(lead["create"])["LastName"] == "Whitfield"
    task = payload(response, "Task")
    assert json.loads(task["create"])["TaskSubtype"] == "Call" and "TaskSubtype" not in json.loads(task["update"])
    assert task["upsert_key"] == ("Vapi_Call_Id__c", dana.vapi_call_id)
    html = response.content.decode()
    assert "&quot;LastName&quot;: &quot;Whitfield&quot;" in html  # pretty JSON, escaped
    assert "Task.Recording_URL__c: URL of 440 characters is longer than 255; sent without its query string" in html
    assert "Dana Whitfield" in html and "AI call with Dana Whitfield (Northwind Logistics)" in html


def test_the_preview_shows_placeholders_on_create_and_never_on_update(admin_client, post_vapi):
    post_vapi(vapi_fixture("end-of-call-report-outbound"))
    response = admin_client.get(reverse(PREVIEW))  # the newest call by default
    lead = payload(response, "Lead")
    assert json.loads(lead["create"])["LastName"] == "Unknown" and "LastName" not in json.loads(lead["update"])
    assert "Lead.LastName: no value in the call; placeholder &#x27;Unknown&#x27; is sent on create only" in (
        response.content.decode())


def test_the_preview_applies_salesforce_limits_when_asked(admin_client, salesforce):
    salesforce.org.schema.add_field("Task", text("Subject", 20))
    call = CallFactory(structured_data={"name": "Dana Whitfield", "company": "Northwind Logistics"})
    plain = admin_client.get(reverse(PREVIEW), {"call": call.pk})
    described = admin_client.get(reverse(PREVIEW), {"call": call.pk, "describe": "1"})
    assert json.loads(payload(plain, "Task")["create"])["Subject"] == "AI call with Dana Whitfield (Northwind Logistics)"
    assert len(json.loads(payload(described, "Task")["create"])["Subject"]) == 20
    assert described.context["describe_warning"] == ""


def test_the_preview_without_salesforce_still_shows_the_payloads_and_says_why_limits_are_missing(admin_client):
    call = CallFactory()
    response = admin_client.get(reverse(PREVIEW), {"call": call.pk, "describe": "1"})
    assert response.status_code == 200
    assert "Salesforce is not configured" in response.context["describe_warning"]
    assert json.loads(payload(response, "Task")["create"])["Vapi_Call_Id__c"] == call.vapi_call_id


def test_the_preview_with_no_calls_says_so(admin_client):
    response = admin_client.get(reverse(PREVIEW))
    assert response.status_code == 200 and "No calls yet" in response.content.decode()


def test_the_preview_needs_permission_to_see_mappings_and_calls(client):
    staff = User.objects.create_user("ops", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse(PREVIEW)).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_fieldmapping"))
    assert client.get(reverse(PREVIEW)).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_call"))
    staff = User.objects.get(pk=staff.pk)  # a fresh permission cache
    client.force_login(staff)
    assert client.get(reverse(PREVIEW)).status_code == 200


# --- grouped by object, and the way from a fixed mapping to its dead letters ------------------------

def test_the_list_shows_a_header_row_per_object_unless_resorted(admin_client):
    html = admin_client.get(reverse(CHANGELIST)).content.decode()
    headers = [html.index(f'scope="rowgroup">{label}') for label in ("Case", "Lead", "Task")]
    assert headers == sorted(headers) and html.count('class="object-group"') == 3
    resorted = admin_client.get(reverse(CHANGELIST), {"o": "1"}).content.decode()
    assert 'class="object-group"' not in resorted


def dead_letter(target_field: str) -> SyncJob:
    job = SyncJob.objects.create(call=CallFactory(), state=SyncJob.State.DEAD, error_code="INVALID_FIELD",
                                 error_fields=target_field, attempts=1)
    SyncAttempt.objects.create(job=job, started_at=timezone.now(), outcome=SyncAttempt.Outcome.DEAD,
                               status_code=400, error_code="INVALID_FIELD", error=f"No such column '{target_field}'")
    return job


def test_a_mapping_links_to_the_dead_letters_naming_its_field(admin_client):
    broken = FieldMapping.objects.create(target_object="Task", target_field="Sentiment__c", source="call.summary")
    jobs = [dead_letter("Sentiment__c"), dead_letter("Sentiment__c")]
    dead_letter("Region__c")
    page = admin_client.get(reverse("admin:crm_fieldmapping_change", args=[broken.pk]))
    html = page.content.decode()
    assert "2 dead letter(s): review and replay" in html
    link = html.split('id="dead-letters-link"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    listing = admin_client.get(link)
    assert {job.pk for job in listing.context["cl"].result_list} == {job.pk for job in jobs}
    quiet = FieldMapping.objects.get(target_object="Task", target_field="Subject")
    assert "None." in admin_client.get(reverse("admin:crm_fieldmapping_change", args=[quiet.pk])).content.decode()


# --- sync jobs: retry now, replay, the reason filter --------------------------------------------------

def job_in(state: str, **fields) -> SyncJob:
    return SyncJob.objects.create(call=CallFactory(), state=state, **fields)


def run_action(admin_client, action: str, jobs) -> list[str]:
    response = admin_client.post(reverse("admin:crm_syncjob_changelist"),
                                 {"action": action, "_selected_action": [job.pk for job in jobs]}, follow=True)
    return messages_of(response)


def test_retry_now_sends_waiting_jobs_at_once_and_leaves_the_others(admin_client):
    later = timezone.now() + timedelta(hours=1)
    waiting = [job_in(SyncJob.State.RETRYING, attempts=3, due_at=later),
               job_in(SyncJob.State.WAITING_BUDGET, due_at=later)]
    others = [job_in(SyncJob.State.DEAD, attempts=5), job_in(SyncJob.State.SYNCED),
              job_in(SyncJob.State.IN_FLIGHT, due_at=later)]
    assert run_action(admin_client, "retry_now", waiting + others) == [
        "2 job(s) queued for Salesforce. 3 left alone: not waiting, or in flight right now."]
    for job in waiting:
        state, attempts = job.state, job.attempts
        job.refresh_from_db()
        assert job.due_at <= timezone.now() and job.enqueued_at is not None
        # Still waiting (due now), and its failures still count towards the dead-letter limit.
        assert (job.state, job.attempts) == (state, attempts)
    assert [SyncJob.objects.get(pk=job.pk).state for job in others] == ["dead", "synced", "in_flight"]


def test_replay_sends_dead_letters_and_synced_jobs_again_with_a_fresh_attempt_count(admin_client):
    later = timezone.now() + timedelta(hours=1)
    dead, synced = job_in(SyncJob.State.DEAD, attempts=5), job_in(SyncJob.State.SYNCED)
    retrying = job_in(SyncJob.State.RETRYING, attempts=2, due_at=later)
    assert run_action(admin_client, "replay_selected", [dead, synced, retrying]) == [
        "2 job(s) queued for Salesforce. 1 left alone: not dead or synced, or in flight right now."]
    assert [(j.state, j.attempts) for j in SyncJob.objects.filter(pk__in=[dead.pk, synced.pk]).order_by("pk")] == [
        ("pending", 0), ("pending", 0)]
    assert SyncJob.objects.get(pk=retrying.pk).due_at == later


def test_the_job_list_filters_by_state_and_dead_letter_reason_and_shows_the_attempts(admin_client):
    job = dead_letter("Sentiment__c")
    job_in(SyncJob.State.DEAD, error_code="REQUIRED_FIELD_MISSING", error_fields="Company")
    job_in(SyncJob.State.SYNCED)
    listing = admin_client.get(reverse("admin:crm_syncjob_changelist"),
                               {"state__exact": "dead", "error_code": "INVALID_FIELD"})
    assert [row.pk for row in listing.context["cl"].result_list] == [job.pk]
    assert "By dead-letter reason (error code)" in listing.content.decode()
    page = admin_client.get(reverse("admin:crm_syncjob_change", args=[job.pk])).content.decode()
    assert "No such column &#x27;Sentiment__c&#x27;" in page and "Retry now" not in page


def test_someone_who_may_only_view_jobs_cannot_replay_them(client):
    viewer = User.objects.create_user("manager", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_syncjob"))
    client.force_login(viewer)
    job = dead_letter("Sentiment__c")
    listing = client.get(reverse("admin:crm_syncjob_changelist"))
    assert listing.status_code == 200 and "replay_selected" not in listing.content.decode()
    client.post(reverse("admin:crm_syncjob_changelist"), {"action": "replay_selected", "_selected_action": [job.pk]})
    assert SyncJob.objects.get(pk=job.pk).state == SyncJob.State.DEAD
