"""lookup_lead answers about the caller, not about whoever the caller talks the assistant into
asking for: through signed tool-calls deliveries as Vapi sends them."""

import json

import pytest

from calls.models import ToolInvocation
from tests.calls.test_in_call_tools import CALL_ID, function_shape, result_of
from tests.factories import CallFactory, LeadFactory

pytestmark = pytest.mark.django_db

CALLER = "+14155550123"  # the fixture call's customer number
SOMEONE_ELSE = "+12125550187"


@pytest.fixture
def other_person():
    return LeadFactory(phone_e164=SOMEONE_ELSE, first_name="Priya", last_name="Natarajan",
                       company="Contoso Freight", owner_name="Alex Chen", salesforce_id="00Q5g00000OtherAAA")


def lookup(post_vapi, **arguments) -> str:
    return result_of(post_vapi, function_shape("l1", "lookup_lead", arguments))


def assert_refused(result: str, other_person) -> None:
    assert result.startswith("Error: lookup_lead answers only about")
    for secret in (other_person.first_name, other_person.last_name, other_person.company, other_person.owner_name):
        assert secret not in result
    assert ToolInvocation.objects.get().succeeded is False


def test_another_persons_number_is_refused(post_vapi, other_person):
    LeadFactory(phone_e164=CALLER)
    assert_refused(lookup(post_vapi, phone=SOMEONE_ELSE), other_person)


def test_another_persons_number_in_another_spelling_is_refused(post_vapi, other_person):
    assert_refused(lookup(post_vapi, phone="(212) 555-0187"), other_person)


def test_another_leads_id_is_refused_in_either_length(post_vapi, other_person):
    LeadFactory(phone_e164=CALLER)
    assert_refused(lookup(post_vapi, lead_id=other_person.salesforce_id), other_person)
    ToolInvocation.objects.all().delete()
    assert_refused(result_of(post_vapi, function_shape("l2", "lookup_lead", {"lead_id": other_person.salesforce_id[:15]})),
                   other_person)


def test_the_callers_own_number_and_lead_are_answered_in_any_spelling(post_vapi, other_person):
    own = LeadFactory(phone_e164=CALLER)
    by_number = json.loads(lookup(post_vapi, phone="(415) 555-0123"))
    assert (by_number["name"], by_number["company"]) == ("Dana Whitfield", "Northwind Logistics")
    by_id = json.loads(result_of(post_vapi, function_shape("l2", "lookup_lead", {"lead_id": own.salesforce_id})))
    assert by_id["leadId"] == own.salesforce_id


def test_the_lead_an_outbound_call_carried_is_its_own(post_vapi, other_person):
    # The called person's mirror row has another number: the id the call was placed for still counts.
    CallFactory(vapi_call_id=CALL_ID, customer_number=CALLER, metadata={"salesforceLeadId": other_person.salesforce_id})
    answer = json.loads(lookup(post_vapi, lead_id=other_person.salesforce_id))
    assert answer["name"] == "Priya Natarajan"


def test_the_setting_lets_a_trusted_assistant_look_anyone_up(post_vapi, other_person, settings):
    settings.CALLSYNC_TOOLS_LOOKUP_ANY_LEAD = True
    assert json.loads(lookup(post_vapi, phone=SOMEONE_ELSE))["company"] == "Contoso Freight"
    by_id = json.loads(result_of(post_vapi, function_shape("l2", "lookup_lead", {"lead_id": other_person.salesforce_id})))
    assert by_id["name"] == "Priya Natarajan"
