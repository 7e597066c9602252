"""Sales ops fix a mapping and replay the dead letters it caused without leaving the admin;
a manager may read them but not change them, nor replay anything."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from crm.models import FieldMapping, SyncAttempt, SyncJob
from tests.browser.conftest import log_in, person
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def dead_letter_naming(field: str) -> SyncJob:
    """A call Salesforce refused because of a mapped field it does not have, as the worker records it."""
    call = CallFactory(status="ended", ended_reason="customer-ended-call")
    job = SyncJob.objects.create(call=call, state=SyncJob.State.DEAD, attempts=1, error_code="INVALID_FIELD",
                                 error_fields=field, last_error=f"INVALID_FIELD: No such column '{field}' on sobject "
                                                                "of type Task")
    SyncAttempt.objects.create(job=job, started_at=timezone.now(), duration_ms=412, outcome=SyncAttempt.Outcome.DEAD,
                               api_requests=2, status_code=400, error_code="INVALID_FIELD",
                               error=f"No such column '{field}' on sobject of type Task")
    return job


def test_sales_ops_disable_a_broken_mapping_and_replay_its_dead_letter(page, live_server):
    broken = FieldMapping.objects.create(target_object="Task", target_field="Sentiment__c", source="call.summary",
                                         position=999)
    job = dead_letter_naming("Sentiment__c")
    log_in(page, live_server, person("salesops", "ops@example.com"))

    page.goto(f"{live_server.url}/admin/crm/fieldmapping/")
    objects = FieldMapping.objects.order_by("target_object").values_list("target_object", flat=True).distinct()
    expect(page.locator("tr.object-group th")).to_have_text([FieldMapping.TargetObject(name).label for name in objects])
    page.get_by_role("link", name="Sentiment__c").click()

    expect(page.locator("#dead-letters-link")).to_have_text("1 dead letter(s): review and replay")
    page.uncheck("#id_enabled")
    page.click("input[name=_continue]")
    expect(page.locator("ul.messagelist li.success")).to_contain_text("was changed successfully")
    broken.refresh_from_db()
    assert not broken.enabled

    page.click("#dead-letters-link")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("INVALID_FIELD")
    rows.first.locator("input.action-select").check()
    page.select_option("select[name=action]", "replay_selected")
    page.click("button[name=index]")
    expect(page.locator("ul.messagelist li")).to_have_text("1 job(s) queued for Salesforce.")
    job.refresh_from_db()
    assert (job.state, job.attempts) == (SyncJob.State.PENDING, 0)

    page.goto(f"{live_server.url}/admin/crm/syncjob/{job.pk}/change/")
    expect(page.locator("#attempts_made-group")).to_contain_text("No such column 'Sentiment__c'")


def test_a_manager_is_refused_the_mapping_pages_and_replaying(page, live_server):
    """Managers read calls, leads and dashboards (accounts.roles): the mapping pages and the replay
    action are refused."""
    mapping = FieldMapping.objects.get(target_object="Task", target_field="Subject")
    log_in(page, live_server, person("manager", "manager@example.com"))

    assert page.goto(f"{live_server.url}/admin/crm/fieldmapping/").status == 403
    assert page.goto(f"{live_server.url}/admin/crm/fieldmapping/{mapping.pk}/change/").status == 403
    assert page.goto(f"{live_server.url}/admin/crm/fieldmapping/add/").status == 403

    dead_letter_naming("Sentiment__c")
    assert page.goto(f"{live_server.url}/admin/crm/syncjob/?state__exact=dead").status == 200
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("select[name=action] option[value=replay_selected]")).to_have_count(0)
