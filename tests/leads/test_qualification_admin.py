"""Sales ops change the policy in the admin: a draft, then a new version; past scores stay."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from calls.models import Call
from leads.models import Qualification, QualificationPolicy, SalesRep
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

THREE_OF_FOUR = {  # budget, authority and need, no timeline: 75 with equal weights
    "budget": "We have about $40k set aside this quarter",
    "authority": "I'm the VP of Operations and I sign off on this",
    "need": "We need to automate our dispatch calls",
}


def score_call(post_vapi, call_id: str) -> Qualification:
    payload = vapi_fixture("tool-calls")
    payload["message"]["call"]["id"] = call_id
    payload["message"]["call"]["phoneCallProviderId"] = payload["message"]["call"]["transport"]["callSid"] = f"CA{call_id}"
    payload["message"]["toolCallList"] = [{"id": f"{call_id}-t1", "name": "score_lead", "parameters": THREE_OF_FOUR}]
    payload["message"].pop("toolWithToolCallList")
    assert post_vapi(payload).status_code == 200
    return Qualification.objects.get(call__vapi_call_id=call_id)


def form_data(page) -> dict:
    """What the browser would post back from an admin change page, unchanged."""
    data = {}

    def add(bound_field, name):
        value = bound_field.value()
        if value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = value

    form = page.context["adminform"].form
    for name in form.fields:
        add(form[name], form.add_prefix(name))
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for child in formset.forms:
            for name in child.fields:
                add(child[name], child.add_prefix(name))
    return data


def new_draft(admin_client) -> QualificationPolicy:
    active = QualificationPolicy.objects.get(state="active")
    response = admin_client.post(reverse("admin:leads_qualificationpolicy_draft", args=[active.pk]))
    draft = QualificationPolicy.objects.get(state="draft")
    assert response.url == reverse("admin:leads_qualificationpolicy_change", args=[draft.pk])
    assert draft.based_on == active and draft.criteria.count() == active.criteria.count()
    return draft


def test_editing_the_hot_threshold_changes_the_next_call_and_not_the_previous_one(admin_client, post_vapi):
    before = score_call(post_vapi, "call-before")
    assert (before.score, before.status) == (75, "hot")
    first_version = before.policy

    draft = new_draft(admin_client)
    url = reverse("admin:leads_qualificationpolicy_change", args=[draft.pk])
    data = {**form_data(admin_client.get(url)), "hot_threshold": "90", "_publish": "Save and publish"}
    response = admin_client.post(url, data, follow=True)
    assert "Published as version 2" in response.content.decode()

    after = score_call(post_vapi, "call-after")
    assert (after.score, after.status, after.policy.version) == (75, "warm", 2)
    before.refresh_from_db()
    assert (before.status, before.policy) == ("hot", first_version)
    first_version.refresh_from_db()
    assert first_version.state == "retired" and first_version.hot_threshold == 70


def test_a_published_version_opens_read_only(admin_client):
    active = QualificationPolicy.objects.get(state="active")
    url = reverse("admin:leads_qualificationpolicy_change", args=[active.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and "New draft from this version" in page.content.decode()
    admin_client.post(url, {**form_data(page), "hot_threshold": "10"})
    active.refresh_from_db()
    assert active.hot_threshold == 70


def test_a_draft_with_a_broken_pattern_or_thresholds_is_refused(admin_client):
    draft = new_draft(admin_client)
    url = reverse("admin:leads_qualificationpolicy_change", args=[draft.pk])
    data = form_data(admin_client.get(url))
    data["criteria-0-positive_patterns"] = "budget (approved"
    data["warm_threshold"], data["hot_threshold"] = "80", "60"
    page = admin_client.post(url, {**data, "_publish": "Save and publish"})
    assert page.status_code == 200  # the form again, with the errors
    errors = page.content.decode()
    assert "The warm threshold must be below the hot threshold" in errors
    assert "budget (approved" in errors
    assert QualificationPolicy.objects.get(pk=draft.pk).state == "draft"


def test_disposition_and_intent_tables_and_reps_are_listed(admin_client):
    for name in ("dispositionrule", "intentrule", "salesrep", "qualificationpolicy"):
        assert admin_client.get(reverse(f"admin:leads_{name}_changelist")).status_code == 200


def test_a_rep_phone_is_stored_in_e164(admin_client):
    response = admin_client.post(reverse("admin:leads_salesrep_add"), {
        "name": "Kim Lee", "phone_e164": "(415) 555-0202", "takes_transfers": "on", "active": "on"})
    assert response.status_code == 302
    assert SalesRep.objects.get().phone_e164 == "+14155550202"
    refused = admin_client.post(reverse("admin:leads_salesrep_add"), {"name": "X", "phone_e164": "call me"})
    assert "Not a phone number" in refused.content.decode()


def test_the_call_page_shows_the_score_its_evidence_and_the_tools_used(admin_client, post_vapi):
    score_call(post_vapi, "call-shown")
    page = admin_client.get(reverse("admin:calls_call_change", args=[Call.objects.get(vapi_call_id="call-shown").pk]))
    content = page.content.decode()
    assert "Evidence per BANT dimension" in content and "VP of Operations" in content
    assert "score_lead" in content


def test_vapi_tools_prints_definitions_ready_for_vapi(capsys, settings):
    settings.PUBLIC_BASE_URL = "https://callsync.example.com"
    call_command("vapi_tools")
    tools = json.loads(capsys.readouterr().out)
    names = [tool["function"]["name"] for tool in tools]
    assert names == ["lookup_lead", "record_consent", "request_callback", "score_lead", "update_crm"]
    for tool in tools:
        assert tool["type"] == "function" and tool["async"] is False
        assert tool["function"]["parameters"]["type"] == "object" and tool["function"]["description"]
        assert tool["server"]["url"] == "https://callsync.example.com/webhooks/vapi/"
    call_command("vapi_tools", "--name", "score_lead", "--server-url", "https://x.example/hook")
    one = json.loads(capsys.readouterr().out)
    assert one["function"]["name"] == "score_lead" and one["server"]["url"] == "https://x.example/hook"
    assert set(one["function"]["parameters"]["properties"]) == {"budget", "authority", "need", "timeline"}


def test_vapi_tools_names_the_tools_when_asked_for_an_unknown_one():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Tools: lookup_lead, record_consent, request_callback, score_lead, update_crm"):
        call_command("vapi_tools", "--name", "nope")


# --- the effect of a draft ---------------------------------------------------------------------

def save_draft(admin_client, draft: QualificationPolicy, **changes):
    url = reverse("admin:leads_qualificationpolicy_change", args=[draft.pk])
    response = admin_client.post(url, {**form_data(admin_client.get(url)), **changes, "_continue": "Save draft"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return admin_client.get(url)


def test_a_draft_shows_how_the_latest_calls_would_score_under_it(admin_client, post_vapi):
    for call_id in ("call-one", "call-two"):
        assert score_call(post_vapi, call_id).status == "hot"
    draft = new_draft(admin_client)

    page = save_draft(admin_client, draft, hot_threshold="90")

    effect = page.context["policy_effect"]
    assert [(e.scored_score, e.scored_status, e.draft_score, e.draft_status) for e in effect.calls] == [
        (75, "hot", 75, "warm"), (75, "hot", 75, "warm")]
    assert [(c.label, c.before, c.after) for c in effect.counts] == [("Hot", 2, 0), ("Warm", 0, 2)]
    html = page.content.decode()
    assert "Effect of this draft on the last 2 scored calls" in html
    assert html.count('class="effect-row status-changed"') == 2 and "hot &rarr; warm" in html
    assert QualificationPolicy.objects.get(pk=draft.pk).state == "draft"  # nothing published
    assert set(Qualification.objects.values_list("status", flat=True)) == {"hot"}  # nothing rescored

    weighted = save_draft(admin_client, draft, hot_threshold="90", timeline_weight="0").context["policy_effect"]
    assert [(e.draft_score, e.draft_status, e.score_change) for e in weighted.calls] == [(100, "hot", 25)] * 2
    assert weighted.status_changes == 0 and weighted.score_changes == 2


def test_a_published_version_shows_no_effect_table(admin_client, post_vapi):
    score_call(post_vapi, "call-one")
    active = QualificationPolicy.objects.get(state="active")
    page = admin_client.get(reverse("admin:leads_qualificationpolicy_change", args=[active.pk]))
    assert "policy_effect" not in page.context and "Effect of this draft" not in page.content.decode()


def test_the_effect_reads_evidence_in_bulk_whatever_the_number_of_calls(admin_client, post_vapi):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from leads.services.policy_preview import preview_policy

    def queries_for_preview() -> int:
        draft = QualificationPolicy.objects.get(state="draft")
        with CaptureQueriesContext(connection) as captured:
            effect = preview_policy(policy=draft)
        assert len(effect.calls) == Qualification.objects.count()
        return len(captured)

    score_call(post_vapi, "call-0")
    new_draft(admin_client)
    few = queries_for_preview()
    for index in range(1, 6):
        score_call(post_vapi, f"call-{index}")
    assert queries_for_preview() == few <= 5
