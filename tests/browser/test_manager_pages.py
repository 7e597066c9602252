"""A manager logs in, filters the call list, opens a call: the recording's player, the transcript
and the evidence behind the score are on the page."""

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from calls.models import Call
from tests.browser.conftest import log_in, person
from tests.support.signing import vapi_fixture

REPORTS = ("end-of-call-report", "end-of-call-report-outbound", "qualification-hot-report",
           "qualification-spam-report", "qualification-support-report")


def _manager_pages_exist() -> bool:
    try:
        reverse("calls:list")
    except NoReverseMatch:
        return False
    return True


pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not _manager_pages_exist(), reason="the manager pages (calls:list in calls/urls.py) "
                                                          "are not in this tree yet"),
]


def post_reports(post_vapi) -> None:
    for name in REPORTS:
        assert post_vapi(vapi_fixture(name)).status_code == 200


def test_a_manager_filters_the_calls_and_opens_one(page, live_server, post_vapi):
    post_reports(post_vapi)
    dana = Call.objects.get(vapi_call_id="9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f")
    log_in(page, live_server, person("manager", "manager@example.com"), next_path="/calls/")

    expect(page.locator(".call-row")).to_have_count(len(REPORTS))
    filters = page.locator("#call-filters")
    filters.locator("[name=q]").fill("(415) 555-0123")
    filters.locator("[name=qualification_status]").select_option("hot")
    filters.get_by_role("button", name="Filter").click()
    rows = page.locator(".call-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-call-id", str(dana.pk))
    expect(rows.first).to_contain_text("Dana Whitfield")

    rows.first.get_by_role("link", name="Dana Whitfield").click()
    page.wait_for_url(f"**/calls/{dana.pk}/")
    expect(page.locator("audio#recording")).to_have_attribute("controls", "")
    expect(page.locator("#transcript")).to_be_visible()
    expect(page.locator("#transcript .utterance").first).to_be_visible()
    expect(page.locator("#evidence")).to_contain_text("$40,000")
