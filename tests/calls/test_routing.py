"""Transfers and assistant-request: hot callers reach a person, everyone is greeted by name."""

import pytest

from calls.models import Call
from leads.models import Qualification, SalesRep
from leads.services.qualification import active_policy
from tests.factories import CallFactory, LeadFactory
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

CALL_ID = vapi_fixture("transfer-destination-request")["message"]["call"]["id"]
CALLER = "+14155550123"


@pytest.fixture
def reps():
    return [
        SalesRep.objects.create(name="Sam Rivera", phone_e164="+14155550201", salesforce_user_id="005000000000001AAA"),
        SalesRep.objects.create(name="Kim Lee", phone_e164="+14155550202"),
        SalesRep.objects.create(name="Ola Berg", phone_e164="+14155550203"),
        SalesRep.objects.create(name="No Phone", phone_e164=""),
        SalesRep.objects.create(name="On Leave", phone_e164="+14155550204", active=False),
    ]


def scored(status: str, *, lead=None) -> Call:
    call = CallFactory(vapi_call_id=CALL_ID, customer_number=CALLER, lead=lead)
    Qualification.objects.create(call=call, policy=active_policy(), score={"hot": 85, "warm": 50}.get(status, 10),
                                 status=status)
    return call


def transfer(post_vapi) -> dict:
    response = post_vapi(vapi_fixture("transfer-destination-request"))
    assert response.status_code == 200
    return response.json()


def test_a_hot_caller_goes_to_their_owner(post_vapi, reps, settings):
    settings.CALLSYNC_TRANSFER_MESSAGE = "Connecting you with {rep} now."
    scored("hot", lead=LeadFactory(phone_e164=CALLER, owner_salesforce_id="005000000000001AAA"))
    destination = transfer(post_vapi)["destination"]
    assert destination == {"type": "number", "number": "+14155550201", "message": "Connecting you with Sam Rivera now."}


def test_hot_callers_without_a_reachable_owner_go_round_the_reps_in_turn(post_vapi, reps):
    scored("hot", lead=LeadFactory(phone_e164=CALLER, owner_salesforce_id="005000000000999AAA"))
    numbers = [transfer(post_vapi)["destination"]["number"] for _ in range(4)]
    # Never the rep without a phone or the inactive one; each available rep once before any twice.
    assert sorted(numbers[:3]) == ["+14155550201", "+14155550202", "+14155550203"]
    assert numbers[3] == numbers[0]


def test_a_warm_caller_goes_to_the_default_line(post_vapi, reps, settings):
    settings.CALLSYNC_DEFAULT_TRANSFER_NUMBER = "+14155550999"
    scored("warm", lead=LeadFactory(phone_e164=CALLER, owner_salesforce_id="005000000000001AAA"))
    assert transfer(post_vapi)["destination"]["number"] == "+14155550999"
    assert SalesRep.objects.filter(last_transfer_at__isnull=False).count() == 0


def test_an_unknown_caller_without_a_default_line_is_declined_politely(post_vapi, reps, settings):
    settings.CALLSYNC_DEFAULT_TRANSFER_NUMBER = ""
    settings.FALLBACK_PHONE_NUMBER = ""
    body = transfer(post_vapi)
    assert set(body) == {"error"} and "callback" in body["error"]


def test_a_hot_caller_with_no_rep_at_all_goes_to_the_default_line(post_vapi, settings):
    settings.CALLSYNC_DEFAULT_TRANSFER_NUMBER = "+14155550999"
    scored("hot")
    assert transfer(post_vapi)["destination"]["number"] == "+14155550999"


def test_assistant_request_knows_the_caller_and_their_last_outcome(post_vapi, settings):
    settings.VAPI_ASSISTANT_ID = "asst-123"
    lead = LeadFactory(phone_e164=CALLER, first_name="Dana", company="Northwind Logistics", owner_name="Sam Rivera")
    earlier = CallFactory(customer_number=CALLER, lead=lead, status="ended", disposition=Call.Disposition.NO_ANSWER)
    Qualification.objects.create(call=earlier, policy=active_policy(), score=None, status="")
    body = post_vapi(vapi_fixture("assistant-request")).json()
    variables = body["assistantOverrides"]["variableValues"]
    assert body["assistantId"] == "asst-123"
    assert variables["firstName"] == "Dana" and variables["company"] == "Northwind Logistics"
    assert variables["ownerName"] == "Sam Rivera" and variables["lastOutcome"] == "No answer"
