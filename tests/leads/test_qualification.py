"""Scoring through the webhook: signed Vapi deliveries in, a versioned score with its evidence out."""

from __future__ import annotations

import copy
import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calls.models import Call, DispositionChange
from calls.services.finalize import finalize_call
from crm.models import SyncJob
from crm.services.call_document import call_document
from leads.models import Qualification, QualificationPolicy
from leads.services import policies
from leads.services.qualification import next_question, requalify
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

HOT_CALL = "6b2d4f80-1c3e-4a5b-9d7f-2e4c6a8b0d13"
NO_BUDGET_CALL = "6b2d4f80-1c3e-4a5b-9d7f-2e4c6a8b0d14"
LIVE = vapi_fixture("qualification-live-transcripts")  # the hot call while it is on: Ava asks, Jordan answers
NEED, BUDGET, AUTHORITY, TIMELINE = 1, 4, 6, 8  # the caller's final lines in LIVE
ASSISTANT_BUDGET_QUESTION = 2


@pytest.fixture(autouse=True)
def seeded_policy():
    """Version 1 as migrated (a transactional test's flush would have removed it), nothing cached."""
    if not QualificationPolicy.objects.exists():
        from django.apps import apps

        importlib.import_module("leads.migrations.0006_seed_qualification").seed(apps, None)
    policies.forget_cached_policies()


def post_all(post_vapi, *payloads) -> None:
    for payload in payloads:
        assert post_vapi(payload).status_code == 200


def qualification_of(call_id: str = HOT_CALL) -> Qualification:
    return Qualification.objects.select_related("policy", "call").get(call__vapi_call_id=call_id)


def as_call(payload: dict, call_id: str, call_sid: str) -> dict:
    """The same delivery for another call (its own Vapi id and Twilio leg)."""
    other = copy.deepcopy(payload)
    other["message"]["call"].update(id=call_id, phoneCallProviderId=call_sid)
    other["message"]["call"]["transport"]["callSid"] = call_sid
    return other


# --- during the call, then the report ---------------------------------------------------------

def test_the_score_follows_the_caller_s_answers_and_the_report_makes_it_final(post_vapi):
    progress = []
    for index, payload in enumerate(LIVE):
        post_all(post_vapi, payload)
        if index in (NEED, BUDGET, AUTHORITY, TIMELINE):
            scored = qualification_of()
            progress.append((scored.score, scored.status, scored.evidence_count))
    assert progress == [(25, "cold", 1), (50, "warm", 2), (75, "hot", 3), (100, "hot", 4)]
    live = qualification_of()
    assert not live.final and not live.incomplete
    assert live.dimensions["budget"]["quote"] == "Yes, we have twenty-five thousand dollars approved for this quarter."
    assert live.dimensions["budget"]["source"] == "transcript"
    assert SyncJob.objects.count() == 0  # lines during the call never reach Salesforce
    assert Call.objects.get(vapi_call_id=HOT_CALL).disposition == ""

    post_all(post_vapi, vapi_fixture("qualification-hot-report"))
    final = qualification_of()
    assert final.pk == live.pk and final.final and not final.incomplete
    assert (final.score, final.status, final.evidence_count) == (100, "hot", 4)
    assert {final.dimensions[name]["source"] for name in final.dimensions} == {
        "structuredData.budget", "structuredData.authority", "structuredData.need", "structuredData.timeline"}
    assert (final.intent, final.intent_confidence, final.intent_source) == ("sales", 0.93, "structuredData.intent")
    call = final.call
    assert call.disposition == "QualifiedLead"
    assert list(call.disposition_changes.values_list("disposition", "reason")) == [
        ("QualifiedLead", "Disposition rule #50 (status hot)")]
    assert SyncJob.objects.filter(call=call).count() == 1
    assert call_document(call)["qualification"] == {"score": 100, "status": "hot", "intent": "sales",
                                                    "intent_confidence": 0.93}


def test_a_replayed_hot_call_scores_hot_with_four_pieces_of_evidence(post_vapi):
    post_all(post_vapi, vapi_fixture("qualification-hot-report"))
    scored = qualification_of()
    assert scored.score >= 70 and scored.status == "hot" and scored.evidence_count == 4
    for name in ("budget", "authority", "need", "timeline"):
        dimension = scored.dimensions[name]
        assert dimension["verdict"] == "positive" and dimension["quote"] and dimension["criterion"]
        # The caller's own words are kept beside the assistant's extraction.
        assert "transcript" in {piece["source"] for piece in dimension["evidence"]}
    assert scored.dimensions["budget"]["value"] == "$25,000 approved for this quarter"


def test_the_same_call_without_a_budget_is_not_hot(post_vapi):
    post_all(post_vapi, vapi_fixture("qualification-no-budget-report"))
    scored = qualification_of(NO_BUDGET_CALL)
    assert scored.score < scored.policy.hot_threshold and scored.status == "warm"
    budget = scored.dimensions["budget"]
    assert (budget["verdict"], budget["value"]) == ("negative", "no budget this year")
    said = [piece["quote"] for piece in budget["evidence"] if piece["source"] == "transcript"]
    assert said == ["Honestly, we have no budget this year. We'd have to find the money somewhere."]
    assert scored.call.disposition == "NotQualified"


def test_a_conversation_update_scores_what_was_said_so_far(post_vapi):
    post_all(post_vapi, vapi_fixture("conversation-update"))
    scored = Qualification.objects.get()
    assert {name: value["verdict"] for name, value in scored.dimensions.items()} == {
        "budget": "positive", "authority": "missing", "need": "positive", "timeline": "missing"}
    assert scored.score == 50 and not scored.final
    assert next_question(scored) == scored.policy.authority_question


def test_scoring_the_same_evidence_again_writes_nothing(post_vapi):
    post_all(post_vapi, *LIVE[:BUDGET + 1])
    call = Call.objects.get(vapi_call_id=HOT_CALL)
    before = qualification_of()
    again = requalify(call=call)
    assert again.changed == frozenset() and not again.moved
    assert qualification_of().computed_at == before.computed_at


# --- calls that end badly -------------------------------------------------------------------

def test_a_silent_call_is_closed_incomplete_and_keeps_what_was_learned(post_vapi, settings):
    settings.VAPI_API_KEY = ""  # Vapi cannot be asked: the finaliser closes the call with what it has
    post_all(post_vapi, *LIVE[:NEED + 1])
    call = Call.objects.get(vapi_call_id=HOT_CALL)

    assert finalize_call(call.pk) == "closed incomplete"

    scored = qualification_of()
    assert scored.final and scored.incomplete
    assert (scored.score, scored.status) == (25, "cold")
    assert scored.dimensions["need"]["quote"].endswith("and we need to automate them.")
    call.refresh_from_db()
    assert call.disposition == "Incomplete" and SyncJob.objects.filter(call=call).exists()

    post_all(post_vapi, vapi_fixture("qualification-hot-report"))  # the lost report turns up after all
    scored = qualification_of()
    assert scored.final and not scored.incomplete and scored.status == "hot"
    assert list(DispositionChange.objects.filter(call=call).values_list("disposition", flat=True)) == [
        "Incomplete", "QualifiedLead"]


def test_a_disposition_a_person_chose_is_kept(post_vapi, admin_user):
    post_all(post_vapi, *LIVE[:NEED + 1])
    call = Call.objects.get(vapi_call_id=HOT_CALL)
    call.disposition = "CallbackRequested"
    call.save(update_fields=["disposition"])
    DispositionChange.objects.create(call=call, disposition="CallbackRequested", changed_by=admin_user)
    post_all(post_vapi, vapi_fixture("qualification-hot-report"))
    call.refresh_from_db()
    assert call.disposition == "CallbackRequested" and qualification_of().status == "hot"


# --- policy versions --------------------------------------------------------------------------

def test_a_new_policy_changes_the_next_call_and_not_the_earlier_one(post_vapi):
    post_all(post_vapi, *LIVE[:AUTHORITY + 1])  # budget, authority and need: 75
    earlier = qualification_of()
    assert (earlier.score, earlier.status, earlier.policy.version) == (75, "hot", 1)

    first = QualificationPolicy.objects.get(state="active")
    draft = policies.draft_from(policy=first)
    draft.hot_threshold = 90
    draft.save()
    published = policies.publish(draft=draft)
    assert (published.version, published.state) == (2, "active")

    other = "0f3a5c7e-9b1d-4f2a-8c4e-6a8b0d2f4a61"
    post_all(post_vapi, *(as_call(payload, other, "CA0f3a5c7e9b1d4f2a8c4e6a8b0d2f4a61")
                          for payload in LIVE[:AUTHORITY + 1]))
    later = qualification_of(other)
    assert (later.score, later.status, later.policy.version) == (75, "warm", 2)

    post_all(post_vapi, LIVE[AUTHORITY + 1])  # the earlier call goes on: still scored under version 1
    earlier = qualification_of()
    assert (earlier.status, earlier.policy.pk, earlier.policy.hot_threshold) == ("hot", first.pk, 70)
    first.refresh_from_db()
    assert first.state == "retired"


def test_only_a_draft_can_be_published_and_drafts_copy_every_criterion():
    active = QualificationPolicy.objects.get(state="active")
    with pytest.raises(policies.PolicyError, match="only a draft can be published"):
        policies.publish(draft=active)
    draft = policies.draft_from(policy=active)
    assert (draft.state, draft.version, draft.based_on) == ("draft", None, active)
    assert draft.criteria.count() == active.criteria.count() == 12
    draft.warm_threshold = 95
    draft.save()
    with pytest.raises(policies.PolicyError, match="warm threshold must be below the hot threshold"):
        policies.publish(draft=draft)
    draft.criteria.update(enabled=False)
    draft.warm_threshold = 40
    draft.save()
    with pytest.raises(policies.PolicyError, match="no enabled criteria"):
        policies.publish(draft=draft)
    assert QualificationPolicy.objects.get(state="active") == active


# --- the disposition table and intent, from real calls ---------------------------------------

def no_answer_report() -> dict:
    payload = vapi_fixture("end-of-call-report-outbound")
    message = payload["message"]
    message["endedReason"] = message["call"]["endedReason"] = "customer-did-not-answer"
    message["artifact"]["messages"] = message["messages"] = message["artifact"]["messages"][:1]
    message["artifact"]["transcript"] = message["transcript"] = ""
    message["analysis"] = {"summary": "", "successEvaluation": "false"}
    return payload


def early_hang_up_report() -> dict:
    payload = as_call(vapi_fixture("qualification-hot-report"), "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e",
                      "CA1a2b3c4d5e6f4a7b8c9d0e1f2a3b4c5e")
    message = payload["message"]
    message["artifact"]["messages"] = message["messages"] = [
        *message["artifact"]["messages"][:2],
        {"role": "user", "time": 1795192223500, "message": "Sorry, wrong number.", "secondsFromStart": 10.9}]
    message["analysis"] = {"summary": "The caller dialled a wrong number.", "structuredData": {},
                           "successEvaluation": "false"}
    message["durationSeconds"] = 13.07
    return payload


@pytest.mark.parametrize(("payload", "disposition", "status"), [
    (no_answer_report, "NoAnswer", ""),
    (lambda: vapi_fixture("end-of-call-report-outbound"), "VoicemailLeft", ""),
    (lambda: vapi_fixture("qualification-spam-report"), "Spam", "unqualified"),
    (lambda: vapi_fixture("qualification-support-report"), "SupportRequest", "unqualified"),
    (lambda: vapi_fixture("qualification-hot-report"), "QualifiedLead", "hot"),
    (early_hang_up_report, "Incomplete", ""),
], ids=["no answer", "voicemail", "spam", "support", "hot", "early hang-up"])
def test_the_disposition_table_decides_from_the_report(post_vapi, payload, disposition, status):
    delivered = payload()
    post_all(post_vapi, delivered)
    call = Call.objects.get(vapi_call_id=delivered["message"]["call"]["id"])
    assert call.disposition == disposition
    assert call.qualification.status == status and call.qualification.final
    assert call.disposition_changes.get().reason.startswith("Disposition rule #")


def test_without_an_intent_from_the_assistant_the_keywords_decide_and_are_kept(post_vapi):
    post_all(post_vapi, vapi_fixture("qualification-support-report"))
    scored = Qualification.objects.get(call__vapi_call_id="8c4e6a02-3d5f-4b7a-9c1e-4f6a8c0e2b35")
    assert (scored.intent, scored.intent_source) == ("support", "keywords")
    # Two support words from the caller and nothing else: 2/2 × 2/3. Ava's "support ticket" does not count.
    assert scored.intent_confidence == pytest.approx(0.6667)
    assert [hit["keywords"] for hit in scored.intent_evidence] == [["not working"], ["error"]]
    assert scored.intent_evidence[0]["quote"].startswith("Hi, it's Morgan Patel at Brightwave Clinics.")
    post_all(post_vapi, vapi_fixture("qualification-spam-report"))
    spam = Qualification.objects.get(call__vapi_call_id="9d5f7b13-4e6a-4c8b-8d2f-5a7b9d1f3c46")
    assert spam.intent == "spam" and [hit["keywords"] for hit in spam.intent_evidence] == [
        ["extended warranty", "final notice", "press 1"], ["press 1"]]


# --- cost in the webhook path ---------------------------------------------------------------

def test_a_caller_line_costs_at_most_five_more_queries_than_an_assistant_line(post_vapi,
                                                                              django_assert_max_num_queries):
    post_all(post_vapi, *LIVE[:NEED + 1])  # the call, its first score, the policy in memory
    with CaptureQueriesContext(connection) as assistant_line:
        post_all(post_vapi, LIVE[ASSISTANT_BUDGET_QUESTION])
    with django_assert_max_num_queries(len(assistant_line) + 5) as caller_line:
        # The score moves: read, score, write, and keep the redaction of its new quotes (calls/redacted.py).
        post_all(post_vapi, LIVE[BUDGET])
    assert qualification_of().score == 50
    print(f"\nassistant line: {len(assistant_line)} queries; caller line, scored: {len(caller_line)} queries")
