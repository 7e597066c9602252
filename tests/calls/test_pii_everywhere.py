"""A manager sees no unredacted PII anywhere in the admin or the pages; the raw words are for the
"view raw transcript" permission, on request, audited; redactions are made when text is stored."""

import copy

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from accounts.services import provision_user
from audit.models import AuditEntry
from calls.models import Call, ToolInvocation, TranscriptSegment, WebhookEvent
from tests.accounts.support import ensure_roles
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

PII = vapi_fixture("pii-card-dob-report")
CALL_ID = PII["message"]["call"]["id"]
CARD = "4111 1111 1111 1111"
# Written and spoken forms of the card number and of the date of birth, as the fixture has them.
LEAKS = (CARD, "4111111111111111", "4111-1111", "four one one one", "March 3, 1985", "March 3rd, 1985",
         "third of March", "nineteen eighty-five")


def update_crm_with_pii() -> dict:
    """The assistant records an outcome that repeats the card, during the call (before its report)."""
    payload = copy.deepcopy(vapi_fixture("tool-calls"))
    message = payload["message"]
    message.pop("toolWithToolCallList", None)
    message["call"] = copy.deepcopy(PII["message"]["call"])
    message["call"]["status"] = "in-progress"
    message["toolCallList"] = [{"id": "call_crm1", "name": "update_crm", "parameters": {
        "call_outcome": f"Wants the pilot; card {CARD}", "next_steps": "Billing to call; DOB March 3, 1985"}}]
    return payload


@pytest.fixture
def pii_call(post_vapi) -> Call:
    assert post_vapi(update_crm_with_pii()).status_code == 200
    assert post_vapi(PII).status_code == 200
    call = Call.objects.get(vapi_call_id=CALL_ID)
    assert CARD in call.summary and CARD in call.outcome  # the raw words are kept, for those allowed
    return call


def user(role: str, *, raw: bool = False):
    ensure_roles()
    person = provision_user(email=f"{role}@example.com", role=role, password=None).user
    if raw:
        person.user_permissions.add(Permission.objects.get(codename="view_raw_transcript"))
    return person


def leaks_in(text: str) -> list[str]:
    return [leak for leak in LEAKS if leak.lower() in text.lower()]


def admin_pages() -> list[str]:
    """Every admin list, and the change page of every row (the database holds one call's rows)."""
    pages = []
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        pages.append(reverse("admin:%s_%s_changelist" % info))
        for pk in model._default_manager.values_list("pk", flat=True)[:20]:
            pages.append(reverse("admin:%s_%s_change" % info, args=[pk]))
    return pages


def manager_pages(call: Call) -> list[str]:
    pages = ["/calls/", f"/calls/{call.pk}/", f"/calls/{call.pk}/?transcript=raw", "/dashboard/",
             "/calls/export.csv", "/calls/?q=Jordan"]
    try:
        preview = reverse("admin:crm_fieldmapping_preview")
        pages += [f"{preview}?call={call.pk}", f"{preview}?call={call.pk}&transcript=raw"]
    except NoReverseMatch:
        pass
    return pages


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


@pytest.mark.parametrize("role", ["manager", "salesops"])
def test_no_unredacted_card_or_date_of_birth_on_any_page_or_admin_page(client, pii_call, role):
    client.force_login(user(role))
    shown = 0
    for page in admin_pages() + manager_pages(pii_call):
        for url in (page, page + ("&" if "?" in page else "?") + "transcript=raw"):
            response = client.get(url)
            assert response.status_code in (200, 302, 403), (url, response.status_code)
            if response.status_code == 200:
                shown += 1
                assert not leaks_in(body(response)), (url, leaks_in(body(response)))
    assert shown > 20  # the walk reached the call's pages
    page = body(client.get(f"/calls/{pii_call.pk}/"))
    assert "[CARD]" in page and "[DOB]" in page  # redacted, not hidden
    admin_page = body(client.get(reverse("admin:calls_call_change", args=[pii_call.pk])))
    assert "[CARD]" in admin_page and "[DOB]" in admin_page
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_RAW_TRANSCRIPT).exists()


def test_with_the_permission_the_admin_shows_the_raw_words_on_request_and_audits_it(client, pii_call):
    client.force_login(user("manager", raw=True))
    call_page = reverse("admin:calls_call_change", args=[pii_call.pk])
    assert not leaks_in(body(client.get(call_page))) and 'id="show-raw"' in body(client.get(call_page))
    assert CARD in body(client.get(call_page, {"transcript": "raw"}))
    event = WebhookEvent.objects.filter(event_type="end-of-call-report").get()
    event_page = reverse("admin:calls_webhookevent_change", args=[event.pk])
    assert not leaks_in(body(client.get(event_page)))
    assert CARD in body(client.get(event_page, {"transcript": "raw"}))
    targets = set(AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_RAW_TRANSCRIPT).values_list("target",
                                                                                                      flat=True))
    assert targets == {f"Call {pii_call.pk} (admin)", f"WebhookEvent {event.pk} (admin)"}


def test_pages_show_the_redaction_stored_with_the_text_not_one_made_per_request(client, pii_call):
    segment = TranscriptSegment.objects.filter(call=pii_call).first()
    assert segment.redacted_text is not None and pii_call.redacted["summary"].count("[CARD]") == 1
    assert ToolInvocation.objects.get(call=pii_call).redacted["arguments"]["call_outcome"].endswith("[CARD]")
    TranscriptSegment.objects.filter(pk=segment.pk).update(redacted_text="the stored redaction")
    client.force_login(user("manager"))
    assert "the stored redaction" in body(client.get(f"/calls/{pii_call.pk}/"))


def test_reredact_fills_missing_redactions_and_redoes_them_all_on_request(client, pii_call):
    Call.objects.update(redacted=None)
    TranscriptSegment.objects.update(redacted_text=None)
    ToolInvocation.objects.update(redacted=None)
    call_command("reredact")
    call = Call.objects.get()
    assert "[CARD]" in call.redacted["summary"] and "[DOB]" in call.redacted["structured_data"]["dateOfBirth"]
    assert not TranscriptSegment.objects.filter(redacted_text=None).exists()
    assert ToolInvocation.objects.get().redacted is not None
    TranscriptSegment.objects.update(redacted_text="stale")
    call_command("reredact")  # only what is missing: nothing
    assert set(TranscriptSegment.objects.values_list("redacted_text", flat=True)) == {"stale"}
    call_command("reredact", "--all")
    assert "stale" not in set(TranscriptSegment.objects.values_list("redacted_text", flat=True))
