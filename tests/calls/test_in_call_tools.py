"""The in-call tools, through signed tool-calls deliveries as Vapi sends them."""

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from calls.models import Call, ToolInvocation
from crm.models import SyncJob
from leads.models import Qualification
from tests.factories import CallFactory, LeadFactory
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

CALL_ID = vapi_fixture("tool-calls")["message"]["call"]["id"]
HOT_ANSWERS = {
    "budget": "We have about $40k set aside this quarter",
    "authority": "I'm the VP of Operations and I sign off on this",
    "need": "We need to automate our dispatch calls, we are drowning in them",
    "timeline": "We want it live within 6 weeks",
}


def tool_calls(*items, message_type="tool-calls"):
    """The recorded tool-calls delivery with its own list of tool calls."""
    payload = vapi_fixture("tool-calls")
    payload["message"]["type"] = message_type
    payload["message"]["toolCallList"] = list(items)
    payload["message"].pop("toolWithToolCallList")
    return payload


def function_shape(call_id, name, arguments):
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def results(response) -> dict[str, str]:
    assert response.status_code == 200
    return {item["toolCallId"]: item["result"] for item in response.json()["results"]}


def result_of(post_vapi, item) -> str:
    return results(post_vapi(tool_calls(item)))[item["id"]]


# --- score_lead -------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [
    lambda: function_shape("t1", "score_lead", json.dumps(HOT_ANSWERS)),                  # JSON string
    lambda: function_shape("t1", "score_lead", HOT_ANSWERS),                              # object
    lambda: {"id": "t1", "name": "score_lead", "parameters": HOT_ANSWERS},                # flat, parameters
    lambda: {"id": "t1", "name": "score_lead", "arguments": json.dumps(HOT_ANSWERS)},     # flat, arguments
    lambda: {"id": "t1", "type": "function", "function": {"name": "score_lead", "parameters": HOT_ANSWERS}},
], ids=["function-json-string", "function-object", "flat-parameters", "flat-arguments", "function-parameters"])
def test_score_lead_accepts_every_argument_shape(post_vapi, shape):
    answer = json.loads(result_of(post_vapi, shape()))
    assert answer["recorded"] is True
    assert answer["score"] >= 70 and answer["qualificationStatus"] == "hot"
    assert answer["dimensions"] == dict.fromkeys(("budget", "authority", "need", "timeline"), "positive")
    qualification = Qualification.objects.get(call__vapi_call_id=CALL_ID)
    assert qualification.score == answer["score"] and not qualification.final


def test_legacy_function_call_scores_too(post_vapi):
    payload = vapi_fixture("function-call")
    payload["message"]["functionCall"] = {"name": "score_lead", "parameters": HOT_ANSWERS}
    answer = json.loads(post_vapi(payload).json()["result"])
    assert answer["qualificationStatus"] == "hot"


def test_score_lead_with_part_of_the_answers_names_the_next_question(post_vapi):
    answer = json.loads(result_of(post_vapi, function_shape("t1", "score_lead", {"need": HOT_ANSWERS["need"]})))
    assert answer["dimensions"]["need"] == "positive" and answer["dimensions"]["budget"] == "missing"
    assert answer["qualificationStatus"] != "hot"
    assert answer["nextQuestion"]  # the policy's question for a dimension still missing


def test_answers_given_in_two_tool_calls_add_up(post_vapi):
    result_of(post_vapi, function_shape("t1", "score_lead", {"budget": HOT_ANSWERS["budget"],
                                                             "need": HOT_ANSWERS["need"]}))
    later = json.loads(result_of(post_vapi, function_shape("t2", "score_lead", {
        "authority": HOT_ANSWERS["authority"], "timeline": HOT_ANSWERS["timeline"]})))
    assert later["qualificationStatus"] == "hot"


def test_no_budget_is_not_hot(post_vapi):
    answers = {**HOT_ANSWERS, "budget": "We have no budget this year"}
    answer = json.loads(result_of(post_vapi, function_shape("t1", "score_lead", answers)))
    assert answer["dimensions"]["budget"] == "negative"
    assert answer["qualificationStatus"] != "hot"


@pytest.mark.parametrize("arguments, complaint", [
    ({}, "give at least one of budget"),
    ({"budget": {"amount": 5}}, "budget must be the caller's answer as text"),
    ({"budget": ["a", "b"]}, "budget must be the caller's answer as text"),
    ("[1, 2]", "arguments must be a JSON object"),
    ("{not json", "arguments are not valid JSON"),
])
def test_invalid_score_lead_arguments_get_an_error_result(post_vapi, arguments, complaint):
    result = result_of(post_vapi, function_shape("t1", "score_lead", arguments))
    assert result.startswith("Error:") and complaint in result
    assert not Qualification.objects.exists()
    invocation = ToolInvocation.objects.get()
    assert invocation.succeeded is False and invocation.result == result


def test_score_lead_without_a_call_is_an_error_result(post_vapi):
    payload = tool_calls(function_shape("t1", "score_lead", HOT_ANSWERS))
    del payload["message"]["call"]
    assert results(post_vapi(payload))["t1"].startswith("Error: score_lead needs the call")


def test_a_redelivered_tool_call_gets_the_first_answer_and_runs_once(post_vapi):
    item = {"id": "cb1", "name": "request_callback", "parameters": {"when": _in_days(2, "15:00")}}
    first = result_of(post_vapi, item)
    again = result_of(post_vapi, item)
    assert again == first
    assert ToolInvocation.objects.filter(tool_call_id="cb1").count() == 1


def test_every_invocation_is_stored_with_its_arguments_and_timing(post_vapi):
    result_of(post_vapi, function_shape("t1", "score_lead", HOT_ANSWERS))
    invocation = ToolInvocation.objects.get()
    assert invocation.call.vapi_call_id == CALL_ID and invocation.name == "score_lead"
    assert invocation.arguments == HOT_ANSWERS and invocation.succeeded
    assert json.loads(invocation.result)["recorded"] is True and invocation.duration_ms >= 0


# --- update_crm -------------------------------------------------------------------------

def test_update_crm_records_the_outcome_and_queues_the_sync_after_the_grace(post_vapi, settings):
    settings.CALLSYNC_REPORT_GRACE_SECONDS = 30
    before = timezone.now()
    answer = json.loads(result_of(post_vapi, function_shape("u1", "update_crm", {
        "call_outcome": "Booked a demo", "next_steps": "Send the pricing sheet; demo on Tuesday"})))
    assert answer["recorded"] is True
    call = Call.objects.get(vapi_call_id=CALL_ID)
    assert (call.outcome, call.next_steps) == ("Booked a demo", "Send the pricing sheet; demo on Tuesday")
    job = SyncJob.objects.get(call=call)
    assert job.state == SyncJob.State.PENDING and job.due_at >= before + timedelta(seconds=29)


@pytest.mark.parametrize("arguments, complaint", [
    ({}, "call_outcome is required"),
    ({"call_outcome": "   "}, "call_outcome is required"),
    ({"call_outcome": 42}, "call_outcome must be a string"),
    ({"call_outcome": "x" * 300}, "longer than 255 characters"),
    ({"call_outcome": "Booked", "next_steps": ["a"]}, "next_steps must be a string"),
])
def test_update_crm_refuses_bad_arguments(post_vapi, arguments, complaint):
    result = result_of(post_vapi, function_shape("u1", "update_crm", arguments))
    assert result.startswith("Error:") and complaint in result
    assert not SyncJob.objects.exists()


# --- request_callback -------------------------------------------------------------------

def _in_days(days: int, clock: str, zone: str = "America/Los_Angeles", offset: bool = False) -> str:
    local = (timezone.now() + timedelta(days=days)).astimezone(ZoneInfo(zone))
    hour, minute = map(int, clock.split(":"))
    moment = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return moment.isoformat() if offset else moment.strftime("%Y-%m-%dT%H:%M")


def test_callback_without_an_offset_is_read_in_the_callers_zone(post_vapi):
    # The fixture's caller is +1 415: San Francisco.
    answer = json.loads(result_of(post_vapi, {"id": "cb1", "name": "request_callback",
                                              "parameters": {"when": _in_days(2, "15:00")}}))
    assert answer["booked"] is True and answer["timezone"] == "America/Los_Angeles"
    call = Call.objects.get(vapi_call_id=CALL_ID)
    local = call.callback_at.astimezone(ZoneInfo("America/Los_Angeles"))
    assert (local.hour, local.minute) == (15, 0) and call.callback_timezone == "America/Los_Angeles"
    assert "3:00 PM (America/Los_Angeles)" in answer["message"]
    assert SyncJob.objects.filter(call=call).exists()


def test_callback_with_an_offset_or_a_named_zone(post_vapi):
    with_offset = _in_days(3, "10:00", zone="America/Chicago", offset=True)
    answer = json.loads(result_of(post_vapi, {"id": "cb1", "name": "request_callback",
                                              "parameters": {"when": with_offset}}))
    call = Call.objects.get(vapi_call_id=CALL_ID)
    assert call.callback_at == timezone.datetime.fromisoformat(with_offset)
    assert answer["booked"] is True
    named = json.loads(result_of(post_vapi, {"id": "cb2", "name": "request_callback", "parameters": {
        "when": _in_days(3, "09:30", zone="Europe/London"), "timezone": "Europe/London"}}))
    assert named["timezone"] == "Europe/London" and named["callbackAt"].endswith("09:30+00:00")


@pytest.mark.parametrize("when, complaint", [
    ("tomorrow at 3", "is not a date and time"),
    ("2020-01-01T10:00", "is in the past"),
    ("2099-01-01T10:00", "more than a year away"),
])
def test_unusable_callback_times_tell_the_assistant_how_to_fix_them(post_vapi, when, complaint):
    result = result_of(post_vapi, {"id": "cb1", "name": "request_callback", "parameters": {"when": when}})
    assert result.startswith("Error:") and complaint in result
    assert "It is now" in result and "ISO 8601" in result
    assert Call.objects.get(vapi_call_id=CALL_ID).callback_at is None


def test_a_date_without_a_time_or_an_unknown_zone_is_refused(post_vapi):
    no_time = result_of(post_vapi, {"id": "cb1", "name": "request_callback",
                                    "parameters": {"when": _in_days(2, "00:00")[:10]}})
    assert "has no time of day" in no_time
    bad_zone = result_of(post_vapi, {"id": "cb2", "name": "request_callback",
                                     "parameters": {"when": _in_days(2, "10:00"), "timezone": "Mars/Olympus"}})
    assert "is not a time zone" in bad_zone


# --- lookup_lead ------------------------------------------------------------------------

def test_lookup_lead_tells_the_last_outcome_and_score(post_vapi):
    lead = LeadFactory(phone_e164="+14155550123", owner_name="Sam Rivera", status="Working - Contacted")
    earlier = CallFactory(customer_number="+14155550123", lead=lead, status="ended",
                          disposition=Call.Disposition.CALLBACK_REQUESTED)
    from leads.services.qualification import active_policy

    Qualification.objects.create(call=earlier, policy=active_policy(), score=55, status="warm")
    answer = json.loads(result_of(post_vapi, function_shape("l1", "lookup_lead", {})))
    assert answer["found"] is True and answer["owner"] == "Sam Rivera" and answer["status"] == "Working - Contacted"
    assert answer["lastOutcome"] == "Callback requested"
    assert (answer["score"], answer["qualificationStatus"]) == (55, "warm")
    assert answer["lastContactedAt"].startswith(earlier.created_at.strftime("%Y-%m-%d"))


def test_lookup_lead_refuses_a_number_that_is_not_one(post_vapi):
    result = result_of(post_vapi, function_shape("l1", "lookup_lead", {"phone": "call me maybe"}))
    assert result == "Error: 'call me maybe' is not a phone number."


# --- record_consent ---------------------------------------------------------------------

@pytest.mark.parametrize("answer, consent", [(True, "given"), ("given", "given"), (False, "refused"),
                                             ("Refused", "refused")])
def test_record_consent_sets_the_call_and_the_leads_for_the_number(post_vapi, answer, consent):
    lead = LeadFactory(phone_e164="+14155550123")
    result = json.loads(result_of(post_vapi, {"id": "c1", "name": "record_consent", "parameters": {"consent": answer}}))
    assert result["consent"] == consent
    assert Call.objects.get(vapi_call_id=CALL_ID).consent == consent
    lead.refresh_from_db()
    assert lead.consent == consent
    assert SyncJob.objects.filter(call__vapi_call_id=CALL_ID).exists()


def test_record_consent_needs_a_yes_or_a_no(post_vapi):
    result = result_of(post_vapi, {"id": "c1", "name": "record_consent", "parameters": {"consent": "maybe"}})
    assert result.startswith("Error: consent must be true or false")
    assert Call.objects.get(vapi_call_id=CALL_ID).consent == "unknown"
