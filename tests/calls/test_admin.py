import pytest
from django.urls import reverse

from calls.models import Call, WebhookEvent
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(admin_client):
    return admin_client


def test_a_posted_report_shows_in_the_admin_with_transcript_summary_and_data(post_vapi, staff):
    post_vapi(vapi_fixture("end-of-call-report"))
    call = Call.objects.get()
    page = staff.get(reverse("admin:calls_call_change", args=[call.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert call.summary[:40] in html
    assert "Northwind Logistics" in html  # structured data
    assert call.segments.first().text[:30] in html
    listing = staff.get(reverse("admin:calls_call_changelist"), {"q": "+14155550123"})
    assert listing.status_code == 200 and call.vapi_call_id in listing.content.decode()


def test_webhook_events_are_read_only_with_a_pretty_body(post_vapi, staff):
    post_vapi(vapi_fixture("hang"))
    event = WebhookEvent.objects.get()
    page = staff.get(reverse("admin:calls_webhookevent_change", args=[event.pk]))
    assert page.status_code == 200 and "Withheld" in page.content.decode()  # the raw body is on request
    page = staff.get(reverse("admin:calls_webhookevent_change", args=[event.pk]), {"transcript": "raw"})
    assert "&quot;type&quot;: &quot;hang&quot;" in page.content.decode()
    assert staff.get(reverse("admin:calls_webhookevent_add")).status_code == 403
    staff.post(reverse("admin:calls_webhookevent_change", args=[event.pk]), {"event_type": "changed"})
    event.refresh_from_db()
    assert event.event_type == "hang"


def test_reprocess_action_applies_a_failed_event(post_vapi, staff):
    post_vapi(vapi_fixture("end-of-call-report"))
    WebhookEvent.objects.update(status="failed")
    Call.objects.all().delete()
    response = staff.post(
        reverse("admin:calls_webhookevent_changelist"),
        {"action": "reprocess", "_selected_action": list(WebhookEvent.objects.values_list("pk", flat=True))},
        follow=True,
    )
    assert "Reprocessed: 1 processed." in response.content.decode()
    assert Call.objects.get().summary


def test_lead_phone_is_stored_in_e164(staff):
    response = staff.post(
        reverse("admin:leads_lead_add"),
        {"first_name": "Ana", "last_name": "Lopez", "phone_e164": "(415) 555-0100", "company": "Acme", "consent": "unknown"},
    )
    assert response.status_code == 302
    from leads.models import Lead

    assert Lead.objects.get().phone_e164 == "+14155550100"
    bad = staff.post(reverse("admin:leads_lead_add"), {"last_name": "X", "phone_e164": "call me"})
    assert "Not a phone number" in bad.content.decode()


def test_webhook_events_filter_by_provider_type_validity_and_processing(staff):
    from tests.factories import WebhookEventFactory

    wanted = WebhookEventFactory(provider="vapi", event_type="end-of-call-report", valid=True, status="processed")
    WebhookEventFactory(provider="vapi", event_type="end-of-call-report", valid=False, status="rejected")
    WebhookEventFactory(provider="vapi", event_type="status-update", valid=True, status="processed")
    WebhookEventFactory(provider="twilio", event_type="end-of-call-report", valid=True, status="processed")
    listing = staff.get(reverse("admin:calls_webhookevent_changelist"), {
        "provider__exact": "vapi", "event_type": "end-of-call-report", "valid__exact": "1", "status__exact": "processed"})
    assert [event.pk for event in listing.context["cl"].result_list] == [wanted.pk]
    assert {spec.title for spec in listing.context["cl"].filter_specs} >= {"provider", "event type", "valid", "status"}


def test_a_call_links_to_its_salesforce_payload_even_when_it_is_old(post_vapi, staff):
    from tests.factories import CallFactory

    post_vapi(vapi_fixture("end-of-call-report"))
    old = Call.objects.get()
    Call.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=2020))
    CallFactory.create_batch(50)  # newer calls fill the preview's list of recent ones
    page = staff.get(reverse("admin:calls_call_change", args=[old.pk])).content.decode()
    link = reverse("admin:crm_fieldmapping_preview") + f"?call={old.pk}"
    assert f'href="{link}"' in page
    preview = staff.get(link)
    assert preview.context["chosen"] == old and preview.context["calls"][0][0] == old
    assert "Whitfield" in next(p["create"] for p in preview.context["payloads"] if p["object"] == "Lead")
