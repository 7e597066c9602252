"""Scoring calls: gather a call's evidence, score it under its pinned policy version, keep the result.

A call is scored under the version that was active when it was first scored, so publishing a
new policy never rewrites a score already given. Scores follow the call as evidence arrives
(caller lines, score_lead tool calls) and are made final by the end-of-call report, or by the
finaliser when the call went silent (then marked incomplete, keeping what was learned). A final
score sets the call's disposition from the disposition table.

Call these with the call row locked (every webhook holds it): one call's scoring never interleaves.
A caller's line costs three queries (the score, the transcript, score_lead's arguments), four when
the score moves; the first line of a call reads the active policy too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from calls.models import Call, DispositionChange, ToolInvocation, TranscriptSegment
from leads.call_facts import call_duration, pick
from leads.models import Qualification
from leads.qualification.answers import Verdict, normalise
from leads.qualification.disposition import DispositionFacts, derive_disposition
from leads.qualification.evidence import CallEvidence, Turn, merge_turns
from leads.qualification.intent import classify
from leads.qualification.policy import DIMENSIONS
from leads.qualification.scoring import SCORE_TOOL, ScoreResult, score
from leads.services.policies import active_policy, active_snapshot, disposition_rules, intent_rules, policy_snapshot

__all__ = ["Requalified", "active_policy", "call_evidence", "next_question", "qualify", "requalify"]

Source = TranscriptSegment.Source
# What Salesforce is told: a change in these is worth a sync.
SYNCED_FIELDS = frozenset({"score", "status", "intent", "intent_confidence"})
CALLBACK_KEYS = ("callbackRequested", "callbackRequest", "wantsCallback")
YES = frozenset({"yes", "true", "requested", "y"})


@dataclass(frozen=True)
class Requalified:
    qualification: Qualification
    changed: frozenset[str]  # the Qualification fields this scoring changed (all of them when it is new)
    disposition_changed: bool

    @property
    def moved(self) -> bool:
        """The score, status or intent Salesforce would be told changed."""
        return bool(self.changed & SYNCED_FIELDS)


# --- evidence ---------------------------------------------------------------------------

def _plain(text: str) -> str:
    return normalise(text).lower()


def _lines(rows: list[tuple[str, str, str, float | None]]) -> list[Turn]:
    """The report's lines when there is one; else the conversation updates, followed by the live lines
    that arrived after the last update (a live line already in an update is not read twice)."""
    by_source: dict[str, list[Turn]] = {}
    for source, role, text, seconds in rows:
        by_source.setdefault(source, []).append(Turn(role, text, seconds))
    if Source.REPORT in by_source:
        return by_source[Source.REPORT]
    conversation, live = by_source.get(Source.CONVERSATION, []), by_source.get(Source.LIVE, [])
    heard = [_plain(turn.text) for turn in conversation]
    return conversation + [turn for turn in live if not any(_plain(turn.text) in line for line in heard)]


def _callback_requested(call: Call, structured: dict[str, Any]) -> bool:
    said = pick(structured, *CALLBACK_KEYS)
    return call.callback_at is not None or said is True or (isinstance(said, str) and said.lower() in YES)


def calls_evidence(calls: Iterable[Call]) -> dict[int, CallEvidence]:
    """The evidence of many calls in two queries (transcripts, score_lead arguments): {call id: evidence}."""
    calls = list(calls)
    ids = [call.pk for call in calls]
    lines: dict[int, list[tuple[str, str, str, float | None]]] = defaultdict(list)
    # TranscriptSegment's own ordering (time said) within each call, as call_evidence reads it.
    for call_id, *line in TranscriptSegment.objects.filter(call_id__in=ids).values_list(
            "call_id", "source", "role", "text", "seconds_from_start"):
        lines[call_id].append(tuple(line))
    arguments: dict[int, dict[str, Any]] = defaultdict(dict)
    invocations = ToolInvocation.objects.filter(call_id__in=ids, name=SCORE_TOOL, succeeded=True)
    for call_id, given in invocations.order_by("created_at", "id").values_list("call_id", "arguments"):
        if isinstance(given, dict):  # the latest non-empty value of each argument wins
            arguments[call_id].update({name: value for name, value in given.items() if value not in (None, "", [], {})})
    evidence = {}
    for call in calls:
        structured = call.structured_data if isinstance(call.structured_data, dict) else {}
        evidence[call.pk] = CallEvidence(
            structured=structured,
            tool_arguments=arguments[call.pk],
            turns=merge_turns(_lines(lines[call.pk])),
            ended_reason=call.ended_reason,
            duration_seconds=call_duration(call),
            report_received=call.report_received_at is not None,
            callback_requested=_callback_requested(call, structured),
        )
    return evidence


def call_evidence(call: Call) -> CallEvidence:
    """Everything the score reads about a call: two queries (transcript, score_lead invocations)."""
    return calls_evidence([call])[call.pk]


# --- scoring ----------------------------------------------------------------------------

def _values(result: ScoreResult, *, final: bool, report_received: bool) -> dict[str, Any]:
    return {
        "policy_id": result.policy_id,
        "score": result.score,
        "status": result.status,
        "dimensions": result.dimensions_json(),
        "evidence_count": result.evidence_count,
        "intent": result.intent.intent,
        "intent_confidence": result.intent.confidence,
        "intent_source": result.intent.source,
        "intent_evidence": list(result.intent.evidence),
        "final": final,
        "incomplete": final and not report_received,
    }


def _store(call: Call, existing: Qualification | None, values: dict[str, Any]) -> tuple[Qualification, frozenset[str]]:
    """Written only when something changed: scoring the same evidence again writes nothing."""
    if existing is None:
        return Qualification.objects.create(call=call, computed_at=timezone.now(), **values), frozenset(values)
    changed = frozenset(name for name, value in values.items() if getattr(existing, name) != value)
    if changed:
        for name in changed:
            setattr(existing, name, values[name])
        existing.computed_at = timezone.now()
        existing.save(update_fields=[*sorted(changed), "computed_at"])
    return existing, changed


def requalify(*, call: Call, final: bool = False) -> Requalified | None:
    """Score the call again from all its evidence; None when no policy is active (scoring is off)."""
    existing = Qualification.objects.filter(call=call).first()
    policy = policy_snapshot(existing.policy_id) if existing is not None else active_snapshot()
    if policy is None:
        return None
    evidence = call_evidence(call)
    result = score(policy, evidence, intent=classify(evidence, intent_rules()))
    final = final or (existing is not None and existing.final)  # final stays final; a late report refines it
    qualification, changed = _store(call, existing, _values(result, final=final,
                                                             report_received=evidence.report_received))
    disposition_changed = final and _dispose(call, result, evidence)
    return Requalified(qualification=qualification, changed=changed, disposition_changed=disposition_changed)


def qualify(*, call: Call, final: bool = False) -> Qualification | None:
    """The call's Qualification, brought up to date (see requalify)."""
    outcome = requalify(call=call, final=final)
    return outcome.qualification if outcome is not None else None


def next_question(qualification: Qualification | None) -> str | None:
    """The policy's question for the weightiest dimension still unanswered or only affirmed."""
    if qualification is None:
        return None
    policy = policy_snapshot(qualification.policy_id)
    dimensions = qualification.dimensions if isinstance(qualification.dimensions, dict) else {}
    for name in sorted(DIMENSIONS, key=lambda dimension: -policy.weight(dimension)):
        verdict = (dimensions.get(name) or {}).get("verdict", Verdict.MISSING)
        if policy.weight(name) and verdict in (Verdict.MISSING, Verdict.AFFIRMATION) and policy.question(name):
            return policy.question(name)
    return None


# --- disposition ------------------------------------------------------------------------

def _set_by_a_person(call: Call) -> bool:
    latest = DispositionChange.objects.filter(call=call).order_by("-changed_at", "-id").first()
    return latest is not None and latest.changed_by_id is not None


def _dispose(call: Call, result: ScoreResult, evidence: CallEvidence) -> bool:
    """Set the disposition the table gives a finished call; a disposition a person chose is kept."""
    facts = DispositionFacts(
        ended_reason=evidence.ended_reason, intent=result.intent.intent, status=result.status, score=result.score,
        duration_seconds=evidence.duration_seconds, callback_requested=evidence.callback_requested,
        report_missing=not evidence.report_received,
    )
    disposition, why = derive_disposition(disposition_rules(), facts)
    if not disposition or disposition == call.disposition or _set_by_a_person(call):
        return False
    call.disposition = disposition
    call.save(update_fields=["disposition", "updated_at"])
    DispositionChange.objects.create(call=call, disposition=disposition, reason=why)
    return True
