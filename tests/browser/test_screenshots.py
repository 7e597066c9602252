"""The main pages with realistic data, photographed: the README's screenshots come from here.

`scripts/screenshots.py` runs this module with BROWSER_SCREENSHOTS_DIR=docs/screenshots; in the
suite the pictures go to a temporary directory, so the pages are still rendered and checked."""

import os
import struct
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from calls.models import Call
from crm.models import SyncAttempt, SyncJob
from leads.models import Qualification, QualificationPolicy
from leads.services import policies
from tests.browser.conftest import VIEWPORT, log_in, person
from tests.browser.test_manager_pages import _manager_pages_exist, post_reports
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DANA = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("BROWSER_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def photograph(page: Page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (VIEWPORT["width"], VIEWPORT["height"])
    return path


def a_dead_letter(call: Call) -> SyncJob:
    """Dana's call, refused by Salesforce after a field was renamed: one retry on a 503, then a dead letter."""
    job = call.sync_job
    first = timezone.now() - timedelta(minutes=14)
    SyncAttempt.objects.create(job=job, started_at=first, duration_ms=2140, outcome=SyncAttempt.Outcome.RETRY,
                               batch_size=3, api_requests=1, status_code=503, error_code="SERVER_UNAVAILABLE",
                               error="Service Unavailable: the server is temporarily unable to serve the request",
                               request_summary={"Lead": "lookup by phone"})
    SyncAttempt.objects.create(job=job, started_at=first + timedelta(seconds=41), duration_ms=388,
                               outcome=SyncAttempt.Outcome.DEAD, batch_size=3, api_requests=3, status_code=400,
                               error_code="INVALID_FIELD",
                               error="No such column 'Sentiment__c' on sobject of type Task",
                               request_summary={"Lead": "upsert 1", "Task": "upsert Vapi_Call_Id__c"})
    SyncJob.objects.filter(pk=job.pk).update(
        state=SyncJob.State.DEAD, attempts=2, error_code="INVALID_FIELD", error_fields="Sentiment__c",
        last_error="INVALID_FIELD: No such column 'Sentiment__c' on sobject of type Task", updated_at=timezone.now())
    return job


# Calls still going, scored from what the assistant passed to score_lead so far.
IN_CALL = {
    "+13125550181": {"budget": "About $25k approved for this", "authority": "I run the team and sign off",
                     "need": "Our reps miss half the inbound calls"},
    "+13125550182": {"need": "We need after-hours coverage for inbound calls", "timeline": "Next quarter"},
    "+13125550183": {"budget": "$60,000 for the year", "authority": "I'm the COO",
                     "need": "Replace our answering service", "timeline": "Within a month"},
    "+13125550184": {"budget": "Maybe $5k", "need": "Just exploring options for later"},
}


def score_in_call(post_vapi) -> None:
    for index, (number, answers) in enumerate(IN_CALL.items()):
        payload = vapi_fixture("tool-calls")
        call = payload["message"]["call"]
        call["id"], call["customer"]["number"] = f"5a0c{index:04d}-7e21-4c1b-9a55-{index:012d}", number
        call["phoneCallProviderId"] = call["transport"]["callSid"] = f"CA5a0c{index:028d}"
        payload["message"]["customer"] = {"number": number}
        payload["message"]["toolCallList"] = [{"id": f"tc-{index}", "name": "score_lead", "parameters": answers}]
        payload["message"].pop("toolWithToolCallList")
        assert post_vapi(payload).status_code == 200


def a_stricter_draft() -> QualificationPolicy:
    """Hot from 80, and a timeline counts double: three answers out of four is no longer hot."""
    draft = policies.draft_from(policy=policies.active_policy())
    draft.hot_threshold, draft.timeline_weight = 80, 2
    draft.notes = "Hot needs a timeline: a caller without one is warm, not hot."
    draft.save()
    return draft


def test_the_main_pages_photographed(page, live_server, post_vapi, shots):
    post_reports(post_vapi)
    score_in_call(post_vapi)
    job = a_dead_letter(Call.objects.get(vapi_call_id=DANA))
    draft = a_stricter_draft()
    page.add_init_script("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")  # the full width
    log_in(page, live_server, person("salesops", "omar.haddad@example.com"))
    admin = f"{live_server.url}/admin"

    page.goto(f"{admin}/crm/fieldmapping/")
    expect(page.locator("tr.object-group").first).to_be_visible()
    photograph(page, shots, "admin-field-mappings")

    page.goto(f"{admin}/crm/syncjob/{job.pk}/change/")
    page.locator("#attempts_made-group").scroll_into_view_if_needed()
    expect(page.locator("input[name=_save]")).to_have_count(0)
    expect(page.locator("#attempts_made-group")).to_contain_text("Sentiment__c")
    photograph(page, shots, "admin-sync-job-attempts")

    page.goto(f"{admin}/leads/qualificationpolicy/{draft.pk}/change/")
    effect = page.locator("#policy-effect")
    expect(effect.locator("tr.effect-row")).to_have_count(Qualification.objects.count())
    expect(effect.locator("tr.status-changed").first).to_be_visible()
    effect.locator("h2").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, document.querySelector('#policy-effect').getBoundingClientRect().top - 20)")
    photograph(page, shots, "admin-policy-draft-effect")

    if not _manager_pages_exist():
        return
    page.goto(live_server.url + reverse("calls:list"))
    expect(page.locator(".call-row").first).to_be_visible()
    photograph(page, shots, "calls-list")
    page.goto(live_server.url + reverse("calls:detail", args=[Call.objects.get(vapi_call_id=DANA).pk]))
    expect(page.locator("#evidence")).to_be_visible()
    photograph(page, shots, "call-detail")
    page.goto(live_server.url + reverse("calls:dashboard"))
    expect(page.locator("#dashboard")).to_be_visible()
    photograph(page, shots, "dashboard")
