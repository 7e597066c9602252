"""The scoring engine as pure functions, over realistic calls, under the seeded policy (version 1)."""

from __future__ import annotations

import dataclasses
import importlib
import json
from types import SimpleNamespace

import pytest

from leads.models import QualificationPolicy
from leads.qualification.disposition import DispositionFacts, derive_disposition
from leads.qualification.evidence import CallEvidence, Turn
from leads.qualification.intent import IntentResult, KeywordRule, classify, normalise_intent
from leads.qualification.policy import compile_patterns, validate_patterns
from leads.qualification.scoring import score
from leads.services import policies

pytestmark = pytest.mark.django_db

SEED = importlib.import_module("leads.migrations.0006_seed_qualification")


@pytest.fixture
def policy():
    """The seeded policy's snapshot: thresholds 70/40, equal weights, a bare yes earns 25 %."""
    if not QualificationPolicy.objects.exists():  # a transactional test's flush removed the migration's rows
        from django.apps import apps

        SEED.seed(apps, None)
    policies.forget_cached_policies()
    return policies.active_snapshot()


@pytest.fixture
def keyword_rules():
    return tuple(KeywordRule(intent=intent, keywords=tuple(words)) for intent, words in SEED.INTENT_KEYWORDS.items())


def conversation(*lines: str, **facts) -> CallEvidence:
    """'A: ...' is the assistant, 'C: ...' the caller; ten seconds apart."""
    turns = tuple(Turn("assistant" if line[0] == "A" else "user", line[3:], seconds * 10.0)
                  for seconds, line in enumerate(lines))
    return CallEvidence(turns=turns, **facts)


HOT = (
    "A: Hi, thanks for calling Callsync! Who do I have the pleasure of speaking with?",
    "C: Hi, this is Dana Whitfield from Northwind Logistics.",
    "A: What's got you looking at Callsync today?",
    "C: Our dispatchers spend most of the day on the phone. We need to automate dispatch calls.",
    "A: Do you have a budget set aside for this?",
    "C: We have about forty thousand dollars set aside this quarter.",
    "A: Are you the person who would sign off on a purchase like this?",
    "C: That's me. I'm the VP of Operations, so I sign off on it.",
    "A: What kind of timeline are you working with to get this live?",
    "C: We want to go live in six weeks, before the holiday peak.",
)
NO_BUDGET = tuple(line if "forty thousand" not in line else "C: Honestly, we have no budget this year."
                  for line in HOT)
YES_TO_EVERYTHING = (
    "A: Do you have a budget set aside for this?", "C: Yes.",
    "A: Are you the decision maker?", "C: Yeah, that's me.",
    "A: What problem are you hoping to solve?", "C: Sure.",
    "A: When would you like to have this in place?", "C: Yep, correct.",
)
ALL_YES = {"budget": "yes", "authority": "yes", "need": "yes", "timeline": "yes"}


def verdicts(result) -> dict[str, str]:
    return {found.dimension: str(found.verdict) for found in result.dimensions}


# --- the table ---------------------------------------------------------------------------

CASES = [
    pytest.param(conversation(*HOT), 100, "hot", dict.fromkeys(("budget", "authority", "need", "timeline"),
                                                                "positive"), id="hot call, the caller's words"),
    pytest.param(conversation(*NO_BUDGET), 50, "warm",
                 {"budget": "negative", "authority": "positive", "need": "positive", "timeline": "positive"},
                 id="we have no budget this year"),
    pytest.param(conversation(*YES_TO_EVERYTHING), 25, "cold",
                 dict.fromkeys(("budget", "authority", "need", "timeline"), "affirmation"),
                 id="yes to everything, said"),
    pytest.param(CallEvidence(structured=ALL_YES), 25, "cold",
                 dict.fromkeys(("budget", "authority", "need", "timeline"), "affirmation"),
                 id="yes to everything, extracted as text"),
    pytest.param(CallEvidence(structured=dict.fromkeys(ALL_YES, True)), 25, "cold",
                 dict.fromkeys(("budget", "authority", "need", "timeline"), "affirmation"),
                 id="yes to everything, extracted as true"),
    pytest.param(conversation(
        "A: Is there a budget for this?", "C: Yeah, we have about $50k for tools like this.",
        "A: Great.", "C: Actually, I just remembered there's no budget until next year, it was frozen."),
        0, "cold", {"budget": "negative", "authority": "missing", "need": "missing", "timeline": "missing"},
        id="the caller corrects themselves: the latest word wins"),
    pytest.param(conversation(
        "A: Is there a budget for this?", "C: No.",
        "A: Okay.", "C: Wait, sorry, my CFO just approved a budget of twenty thousand last week."),
        25, "cold", {"budget": "positive", "authority": "missing", "need": "missing", "timeline": "missing"},
        id="a no, then a specific yes"),
    pytest.param(conversation(*HOT, structured={"budget": "No budget approved yet"}), 50, "warm",
                 {"budget": "negative", "authority": "positive", "need": "positive", "timeline": "positive"},
                 id="structured data beats the transcript"),
    pytest.param(conversation(*NO_BUDGET, structured={"budget": "$40,000 this quarter"}), 100, "hot",
                 dict.fromkeys(("budget", "authority", "need", "timeline"), "positive"),
                 id="structured data heard the correction the transcript misses"),
    pytest.param(conversation(
        "A: Are you the decision maker for this?",
        "C: No, I'm not the decision maker. I'd need to check with my boss first.",
        "A: When would you like to have this in place?", "C: Oh, no rush. We're just looking for now."),
        0, "cold", {"budget": "missing", "authority": "negative", "need": "negative", "timeline": "negative"},
        id="negations never raise a score"),
    pytest.param(CallEvidence(), None, "", dict.fromkeys(("budget", "authority", "need", "timeline"), "missing"),
                 id="empty call: nothing learned, no score"),
    pytest.param(conversation(
        "A: Companies like yours usually have a budget of about $50,000, the CEO makes the decision, and they "
        "need it within 6 weeks. Does that sound right?", "C: Hmm, I'm not sure."),
        None, "", dict.fromkeys(("budget", "authority", "need", "timeline"), "missing"),
        id="the assistant's words are never evidence"),
    pytest.param(CallEvidence(structured={"budget": {"amount": 50000, "currency": "USD", "approved": True},
                                          "authority": ["VP of Operations", "final sign-off"],
                                          "need": {"summary": "automate dispatch calls"}, "timeline": 6}),
                 100, "hot", dict.fromkeys(("budget", "authority", "need", "timeline"), "positive"),
                 id="nested structured values"),
    pytest.param(CallEvidence(structured={"budget": {"amount": 50000, "approved": False}, "authority": None,
                                          "need": [], "timeline": 0}),
                 0, "cold", {"budget": "negative", "authority": "missing", "need": "missing", "timeline": "negative"},
                 id="a false or a zero inside a value is a no"),
    pytest.param(conversation("A: Do you have a budget set aside for this?", "C: Yes, we have $40k.",
                              "A: And that budget is approved?", "C: Yes."),
                 25, "cold", {"budget": "positive", "authority": "missing", "need": "missing", "timeline": "missing"},
                 id="a bare yes after a specific answer only confirms it"),
    pytest.param(conversation("C: We have forty thousand set aside.", structured={"budget": True}),
                 25, "cold", {"budget": "positive", "authority": "missing", "need": "missing", "timeline": "missing"},
                 id="a bare yes extracted is upgraded by the specific words behind it"),
    pytest.param(CallEvidence(tool_arguments={"budget": "about $40k this quarter", "authority": "VP, signs off",
                                              "need": "automate dispatch calls", "timeline": "6 weeks"},
                              structured={"timeline": "no rush at all"}),
                 50, "warm", {"budget": "positive", "authority": "positive", "need": "positive",
                              "timeline": "negative"},
                 id="score_lead arguments, under structured data"),
]


@pytest.mark.parametrize(("evidence", "expected_score", "expected_status", "expected_verdicts"), CASES)
def test_the_score_of_realistic_calls(policy, evidence, expected_score, expected_status, expected_verdicts):
    result = score(policy, evidence)
    assert verdicts(result) == expected_verdicts
    assert (result.score, result.status) == (expected_score, expected_status)
    assert result.evidence_count == sum(verdict != "missing" for verdict in expected_verdicts.values())


# --- what the evidence says ---------------------------------------------------------------

def test_the_hot_call_keeps_a_quote_its_source_and_time_per_dimension(policy):
    result = score(policy, conversation(*HOT))
    dimensions = result.dimensions_json()
    assert result.evidence_count == 4
    budget = dimensions["budget"]
    assert budget["quote"] == "We have about forty thousand dollars set aside this quarter."
    assert (budget["source"], budget["seconds_from_start"], budget["credit"]) == ("transcript", 50.0, 1.0)
    assert budget["criterion"] in {criterion.id for criterion in policy.criteria}
    assert "matches" in budget["reason"]
    assert dimensions["authority"]["quote"].startswith("That's me. I'm the VP of Operations")
    # Every piece is kept and the deciding one marked: a manager sees why.
    assert [piece["decisive"] for piece in dimensions["budget"]["evidence"]] == [True]


def test_a_negative_keeps_the_caller_s_words_and_costs_the_dimension_s_weight(policy):
    result = score(policy, conversation(*NO_BUDGET))
    budget = result.dimensions_json()["budget"]
    assert budget["verdict"] == "negative" and budget["credit"] == -1.0
    assert budget["quote"] == "Honestly, we have no budget this year."
    assert 'no (real |set |allocated |approved |extra |spare )?(budget' in budget["reason"]


def test_structured_values_are_kept_as_given_and_shown_as_text(policy):
    structured = {"budget": {"amount": 50000, "approved": True}}
    budget = score(policy, CallEvidence(structured=structured)).dimensions_json()["budget"]
    assert budget["source"] == "structuredData.budget"
    assert budget["value"] == {"amount": 50000, "approved": True}
    assert budget["quote"] == '{"amount": 50000, "approved": true}'


def test_every_piece_of_evidence_is_kept_and_the_overruled_ones_marked(policy):
    result = score(policy, conversation(*HOT, structured={"budget": "No budget approved yet"}))
    pieces = result.dimensions_json()["budget"]["evidence"]
    assert [(piece["source"], piece["verdict"], piece["decisive"]) for piece in pieces] == [
        ("structuredData.budget", "negative", True), ("transcript", "positive", False)]


def test_scoring_is_deterministic(policy):
    evidence = conversation(*HOT, structured={"budget": {"amount": 1, "approved": True}},
                            tool_arguments={"need": "automate dispatch"})
    first, second = score(policy, evidence), score(policy, evidence)
    assert first == second
    assert json.dumps(first.dimensions_json(), sort_keys=True) == json.dumps(second.dimensions_json(), sort_keys=True)


def test_thresholds_and_weights_come_from_the_policy(policy):
    evidence = conversation(*HOT[:4], "A: Is there a budget?", "C: Yes, about $40k.", *HOT[6:8])  # no timeline: 75
    assert (score(policy, evidence).score, score(policy, evidence).status) == (75, "hot")
    stricter = dataclasses.replace(policy, hot_threshold=90)
    assert score(stricter, evidence).status == "warm"
    budget_first = dataclasses.replace(policy, weights=(("budget", 40), ("authority", 20), ("need", 20),
                                                        ("timeline", 20)))
    assert score(budget_first, conversation(*NO_BUDGET)).score == 20  # (-40 + 60) / 100
    stingy = dataclasses.replace(policy, affirmation_credit=0)
    assert score(stingy, conversation(*YES_TO_EVERYTHING)).score == 0


def test_a_non_lead_intent_is_unqualified_whatever_it_scored(policy):
    support = IntentResult(intent="support", confidence=0.75, source="keywords")
    assert score(policy, conversation(*HOT), intent=support).status == "unqualified"
    assert score(policy, CallEvidence(), intent=support).status == "unqualified"
    assert score(policy, conversation(*HOT), intent=IntentResult(intent="billing")).status == "hot"


def test_min_evidence_words_decides_when_an_unmatched_answer_is_specific(policy):
    evidence = conversation("A: What problem are you hoping to solve?", "C: Dispatch scheduling chaos.")
    assert verdicts(score(policy, evidence))["need"] == "positive"
    assert verdicts(score(dataclasses.replace(policy, min_evidence_words=5), evidence))["need"] == "affirmation"


# --- intent -----------------------------------------------------------------------------

@pytest.mark.parametrize(("said", "intent"), [
    ("sales", "sales"), ("Sales inquiry", "sales"), ("TECH_SUPPORT", "support"), ("billing-question", "billing"),
    ("Reseller", "partnership"), ("robocall", "spam"), ("wants a job", "other"), ("unknown", ""), ("", ""),
])
def test_the_assistant_s_intent_maps_onto_ours(said, intent):
    assert normalise_intent(said) == intent


def test_intent_comes_from_structured_data_when_named(keyword_rules):
    evidence = conversation("C: Hi, what does your pricing look like?",
                            structured={"callIntent": "Support", "intentConfidence": "87%"})
    found = classify(evidence, keyword_rules)
    assert (found.intent, found.confidence, found.source) == ("support", 0.87, "structuredData.callIntent")


def test_the_keyword_classifier_counts_the_caller_s_words_only(keyword_rules):
    evidence = conversation(
        "A: Would you like to hear about our pricing, plans and a demo?",
        "C: My dashboard is not working and I get an error when I log in.",
        "A: Sorry to hear that.", "C: Also, what does a bigger plan cost?",
        structured={"intent": "unknown"})
    found = classify(evidence, keyword_rules)
    assert found.intent == "support" and found.source == "keywords"
    assert found.confidence == pytest.approx(2 / 3 * 2 / 3, abs=1e-4)  # 2 support hits of 3, × 2/(2+1)
    assert found.evidence[0] == {"intent": "support", "keywords": ["not working", "error"], "seconds_from_start": 10.0,
                                 "quote": "My dashboard is not working and I get an error when I log in."}
    assert found.evidence[1]["keywords"] == ["cost"]


def test_keywords_match_whole_words_and_no_hits_is_no_intent(keyword_rules):
    assert classify(conversation("C: Our buyers called about the partnership."), keyword_rules).intent == "partnership"
    assert classify(conversation("C: Hello? Hello?"), keyword_rules) == IntentResult()


# --- disposition --------------------------------------------------------------------------

def rule(position, disposition, **conditions):
    fields = {"ended_reasons": "", "intents": "", "qualification_statuses": "", "min_score": None,
              "max_duration_seconds": None, "callback_requested": None, "report_missing": None, "enabled": True}
    return SimpleNamespace(id=position, position=position, disposition=disposition, **{**fields, **conditions})


SEEDED_TABLE = [rule((index + 1) * 10, **row) for index, row in enumerate(SEED.DISPOSITION_TABLE)]


@pytest.mark.parametrize(("facts", "disposition"), [
    (DispositionFacts(ended_reason="customer-did-not-answer", report_missing=True), "NoAnswer"),
    (DispositionFacts(ended_reason="twilio-failed-to-connect-call-busy"), "NoAnswer"),
    (DispositionFacts(ended_reason="voicemail", intent="sales"), "VoicemailLeft"),
    (DispositionFacts(ended_reason="assistant-ended-call", intent="spam", status="unqualified"), "Spam"),
    (DispositionFacts(ended_reason="customer-ended-call", intent="support", status="unqualified"), "SupportRequest"),
    (DispositionFacts(ended_reason="customer-ended-call", status="hot", score=85, callback_requested=True),
     "QualifiedLead"),
    (DispositionFacts(ended_reason="customer-ended-call", status="warm", score=50, callback_requested=True),
     "CallbackRequested"),
    (DispositionFacts(ended_reason="callsync-silent", status="cold", score=25, report_missing=True), "Incomplete"),
    (DispositionFacts(ended_reason="customer-ended-call", duration_seconds=12.0), "Incomplete"),
    (DispositionFacts(ended_reason="customer-ended-call", status="cold", score=25, duration_seconds=200.0),
     "NotQualified"),
    (DispositionFacts(ended_reason="customer-ended-call", duration_seconds=200.0), ""),
])
def test_the_seeded_disposition_table(facts, disposition):
    assert derive_disposition(SEEDED_TABLE, facts)[0] == disposition


def test_rules_go_by_position_skip_disabled_ones_and_say_why():
    rules = [rule(20, "NotQualified", qualification_statuses="none, cold"),
             rule(10, "QualifiedLead", min_score=80, enabled=False),
             rule(5, "Incomplete", max_duration_seconds=30)]
    assert derive_disposition(rules, DispositionFacts(score=90, status="hot")) == ("", "")
    assert derive_disposition(rules, DispositionFacts()) == (
        "NotQualified", "Disposition rule #20 (status none, cold)")
    assert derive_disposition(rules, DispositionFacts(duration_seconds=3.0))[0] == "Incomplete"


# --- patterns ---------------------------------------------------------------------------

def test_broken_or_match_everything_patterns_are_refused_for_the_admin():
    errors = validate_patterns("no budget\nbudget (approved\n\n(maybe)?\n")
    assert len(errors) == 2
    assert errors[0].startswith("Line 2 (budget (approved): missing ), unterminated subpattern")
    assert errors[1] == "Line 4 ((maybe)?) matches an empty text, so it would match every line."
    assert validate_patterns(r"\bno budget\b" + "\n" + r"\$\s?\d") == []
    assert [pattern.pattern for pattern in compile_patterns("no budget\nbudget (approved")] == ["no budget"]


def test_the_seeded_patterns_are_valid():
    for patterns in SEED.DIMENSIONS.values():
        for kind in ("questions", "positive", "negative"):
            assert validate_patterns("\n".join(patterns[kind])) == []

