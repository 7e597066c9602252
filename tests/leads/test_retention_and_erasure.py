"""Retention windows, "forget this person", and the audit log that records both."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from privacy.tasks import forget_in_salesforce
from calls.models import Call, ToolInvocation, TranscriptSegment, WebhookEvent
from crm.models import Role, SyncAttempt
from leads.models import Lead, Qualification
from privacy.erasure import phone_fingerprint
from tests.factories import LeadFactory
from tests.leads.sync_support import run_job
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

HOT = vapi_fixture("qualification-hot-report")
CALLER = HOT["message"]["call"]["customer"]["number"]


def hot_call(post_vapi) -> Call:
    assert post_vapi(HOT).status_code == 200
    return Call.objects.get(vapi_call_id=HOT["message"]["call"]["id"])


def age(call: Call, days: int) -> None:
    then = timezone.now() - timedelta(days=days)
    Call.objects.filter(pk=call.pk).update(created_at=then)
    WebhookEvent.objects.filter(call=call).update(received_at=then)


def findable_by(phone: str) -> list[str]:
    """Everywhere callsync could still find the number."""
    places = {
        "calls": Call.objects.filter(Q(customer_number=phone) | Q(customer_number_raw__contains=phone[2:])).exists(),
        "leads": Lead.objects.filter(phone_e164=phone).exists(),
        # Encrypted columns: read, then searched here.
        "webhook bodies": any(phone in body or phone[2:] in body
                              for body in WebhookEvent.objects.values_list("body", flat=True)),
        "transcripts": any(phone[-4:] in text for text in TranscriptSegment.objects.values_list("text", flat=True)),
        "sync attempts": SyncAttempt.objects.filter(request_summary__icontains=phone).exists(),
    }
    return [place for place, found in places.items() if found]


# --- retention ---------------------------------------------------------------------------

def test_purge_removes_an_expired_transcript_and_keeps_the_call_and_its_score(post_vapi):
    old = hot_call(post_vapi)
    age(old, 91)
    recent = Call.objects.create(vapi_call_id="recent-call", summary="A recent call", customer_number=CALLER)
    TranscriptSegment.objects.create(call=recent, source="report", segment_key="k", role="user", text="Hello")
    score_before = Qualification.objects.get(call=old).score
    assert Call.objects.get(pk=old.pk).redacted is not None  # redacted when stored

    call_command("purge_expired")

    old.refresh_from_db()
    assert not TranscriptSegment.objects.filter(call=old).exists()
    assert (old.summary, old.recording_url, old.structured_data) == ("", "", {})
    assert old.redacted is None  # the redacted copy of the summary and quotes goes too
    assert not ToolInvocation.objects.filter(call=old).exclude(redacted=None).exists()
    qualification = Qualification.objects.get(call=old)
    assert qualification.score == score_before and qualification.status == "hot"
    budget = qualification.dimensions["budget"]
    assert budget["verdict"] == "positive" and budget["quote"] == "[erased]"
    assert "$25,000" not in str(qualification.dimensions)
    assert old.disposition == Call.Disposition.QUALIFIED_LEAD and old.customer_number == CALLER
    assert WebhookEvent.objects.filter(call=old).exclude(body="").count() == 0  # older than 30 days too
    assert TranscriptSegment.objects.filter(call=recent).exists()
    assert Call.objects.get(pk=recent.pk).summary == "A recent call"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PURGE_EXPIRED)
    assert entry.details["calls_scrubbed"] == 1


def test_webhook_bodies_go_after_thirty_days_while_the_call_keeps_its_transcript(post_vapi):
    call = hot_call(post_vapi)
    age(call, 40)
    call_command("purge_expired")
    event = WebhookEvent.objects.get(call=call)
    assert (event.body, event.headers, event.event_type) == ("", {}, "end-of-call-report")
    assert TranscriptSegment.objects.filter(call=call).exists()


def test_a_dry_run_shows_what_would_go_and_changes_nothing(post_vapi, capsys):
    call = hot_call(post_vapi)
    age(call, 100)
    segments = TranscriptSegment.objects.filter(call=call).count()
    call_command("purge_expired", "--dry-run")
    out = capsys.readouterr().out
    assert "Would scrub 1 call(s)" in out and f"({segments} transcript segment(s))" in out
    assert "would clear 1 raw webhook body(ies)" in out
    assert TranscriptSegment.objects.filter(call=call).count() == segments
    assert not AuditEntry.objects.exists()


def test_purging_twice_finds_nothing_the_second_time(post_vapi):
    age(hot_call(post_vapi), 100)
    call_command("purge_expired")
    from privacy.retention import purge_expired

    assert purge_expired().calls_scrubbed == 0


# --- forget this person ------------------------------------------------------------------

@pytest.mark.usefixtures("warm_describe")
def test_forget_caller_leaves_nothing_findable_by_the_number_and_cleans_salesforce(
        post_vapi, salesforce, capsys, django_capture_on_commit_callbacks):
    call = hot_call(post_vapi)
    run_job(call)
    lead_id = call.sync_job.salesforce_id(Role.LEAD)
    [lead] = [row for row in salesforce.org.records("Lead") if row["Id"] == lead_id]
    assert lead["Call_Transcript__c"]
    assert findable_by(CALLER)

    with django_capture_on_commit_callbacks() as queued:
        call_command("forget_caller", CALLER, "--requested-by", "dpo@example.com")
    assert len(queued) == 1  # the Salesforce clean-up, sent to the broker once the erasure commits

    assert findable_by(CALLER) == []
    call.refresh_from_db()
    assert call.pk and call.customer_number == "" and not ToolInvocation.objects.filter(call=call).exclude(
        arguments=None).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.FORGET_CALLER)
    assert entry.target == phone_fingerprint(CALLER) and CALLER not in str(entry.details)
    assert "dpo@example.com" in entry.actor_name
    assert "Forgot +1512555****" in capsys.readouterr().out
    assert forget_in_salesforce.apply(args=([lead_id], [call.vapi_call_id])).get() >= 2
    [lead] = [row for row in salesforce.org.records("Lead") if row["Id"] == lead_id]
    assert lead["Call_Transcript__c"] is None
    tasks = [row for row in salesforce.org.records("Task") if row["Vapi_Call_Id__c"].startswith(call.vapi_call_id)]
    assert tasks and all(task["Description"] is None for task in tasks)


def test_forget_caller_refuses_what_is_not_a_number():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a phone number"):
        call_command("forget_caller", "nobody")


def test_forget_in_salesforce_does_nothing_without_salesforce(settings):
    settings.SALESFORCE_CLIENT_ID = ""
    assert forget_in_salesforce.apply(args=(["00Q000000000001AAA"], ["x"])).get() == 0


def test_forget_with_salesforce_left_alone_queues_nothing(post_vapi, settings, capsys):
    settings.CALLSYNC_FORGET_IN_SALESFORCE = "none"
    LeadFactory(phone_e164=CALLER)
    hot_call(post_vapi)
    call_command("forget_caller", CALLER)
    assert "left as it is" in capsys.readouterr().out
    assert findable_by(CALLER) == []


# --- the audit log -----------------------------------------------------------------------

def test_the_audit_log_is_for_superusers_and_read_only(post_vapi, admin_client, client, django_user_model):
    call_command("forget_caller", "+14155550100")
    entry = AuditEntry.objects.get()
    assert admin_client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).status_code == 200
    assert admin_client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    staff = django_user_model.objects.create_user("manager", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 403


def test_forget_this_person_from_the_admin_is_the_same_erasure_and_is_audited(post_vapi, admin_client, admin_user):
    lead = LeadFactory(phone_e164=CALLER)
    hot_call(post_vapi)
    response = admin_client.post(reverse("admin:leads_lead_changelist"),
                                 {"action": "forget_these_people", "_selected_action": [lead.pk]}, follow=True)
    assert "Forgot 1 phone number(s)" in response.content.decode()
    assert findable_by(CALLER) == []
    entry = AuditEntry.objects.get(action=AuditEntry.Action.FORGET_CALLER)
    assert entry.actor == admin_user and entry.target == phone_fingerprint(CALLER)


def test_only_people_who_may_delete_leads_can_forget_them(client, django_user_model):
    from django.contrib.auth.models import Permission

    lead = LeadFactory(phone_e164=CALLER)
    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_lead"))
    client.force_login(viewer)
    page = client.get(reverse("admin:leads_lead_changelist")).content.decode()
    assert "forget_these_people" not in page
    client.post(reverse("admin:leads_lead_changelist"), {"action": "forget_these_people",
                                                         "_selected_action": [lead.pk]})
    assert Lead.objects.filter(pk=lead.pk).exists()
