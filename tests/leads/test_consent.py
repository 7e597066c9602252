"""A caller's consent, from the report's structured data or the record_consent tool, holds for their Lead."""

import copy

import pytest

from calls.models import Call
from tests.factories import LeadFactory
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

HOT = vapi_fixture("qualification-hot-report")
CALLER = HOT["message"]["call"]["customer"]["number"]


def report_with_consent(value) -> dict:
    payload = copy.deepcopy(HOT)
    payload["message"]["analysis"]["structuredData"]["consent"] = value
    return payload


@pytest.mark.parametrize("said, consent", [(True, "given"), ("no", "refused"), ("Refused", "refused")])
def test_the_reports_consent_is_set_on_the_call_and_the_lead(post_vapi, said, consent):
    lead = LeadFactory(phone_e164=CALLER)
    post_vapi(report_with_consent(said))
    assert Call.objects.get(vapi_call_id=HOT["message"]["call"]["id"]).consent == consent
    lead.refresh_from_db()
    assert lead.consent == consent


def test_a_report_that_says_nothing_about_consent_leaves_the_lead_as_it_was(post_vapi):
    lead = LeadFactory(phone_e164=CALLER, consent="refused")
    payload = copy.deepcopy(HOT)
    payload["message"]["analysis"]["structuredData"].pop("consent", None)
    post_vapi(payload)
    lead.refresh_from_db()
    assert lead.consent == "refused"
