"""What a draft policy would do: the latest scored calls scored again under it, beside the score they got.

Sales ops see the effect of a threshold or weight before publishing. Nothing is written: the
draft is scored with the same pure function the webhooks use, on the same evidence. The
evidence of all the calls is read in two queries (transcripts, score_lead invocations), not
two per call, so the preview costs a handful of queries whatever the number of calls.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from calls.models import Call
from leads.models import Qualification, QualificationPolicy, QualificationStatus
from leads.qualification.intent import classify
from leads.qualification.policy import PolicySnapshot
from leads.qualification.scoring import score
from leads.services.policies import intent_rules
# The rules call_evidence applies to one call, applied here to many (see calls_evidence).
from leads.services.qualification import calls_evidence

PREVIEW_CALLS = 100
# The order counts are shown in; "" is a call with nothing learned.
STATUSES = (*QualificationStatus.values, "")


@dataclass(frozen=True)
class CallEffect:
    call: Call
    scored_score: int | None
    scored_status: str
    scored_version: int | None
    draft_score: int | None
    draft_status: str

    @property
    def status_changed(self) -> bool:
        return self.scored_status != self.draft_status

    @property
    def score_change(self) -> int | None:
        if self.scored_score is None or self.draft_score is None:
            return None
        return self.draft_score - self.scored_score


@dataclass(frozen=True)
class StatusCount:
    status: str
    before: int
    after: int

    @property
    def label(self) -> str:
        return status_label(self.status)


@dataclass(frozen=True)
class PolicyEffect:
    calls: tuple[CallEffect, ...]
    counts: tuple[StatusCount, ...]  # every status either side has, in STATUSES order

    @property
    def status_changes(self) -> int:
        return sum(1 for effect in self.calls if effect.status_changed)

    @property
    def score_changes(self) -> int:
        return sum(1 for effect in self.calls if effect.scored_score != effect.draft_score)


def status_label(status: str) -> str:
    return QualificationStatus(status).label if status in QualificationStatus.values else "Not scored"


def latest_scored(*, limit: int = PREVIEW_CALLS) -> list[Qualification]:
    """The scores of the latest scored calls, newest first (by when first scored: the primary key's index)."""
    return list(Qualification.objects.select_related("call", "policy").order_by("-pk")[:limit])


def preview_policy(*, policy: QualificationPolicy, limit: int = PREVIEW_CALLS) -> PolicyEffect:
    """How the latest `limit` scored calls would score under `policy` as saved, against what they got."""
    draft = PolicySnapshot.from_policy(policy, policy.criteria.all())
    scored = latest_scored(limit=limit)
    evidence = calls_evidence(row.call for row in scored)
    rules = intent_rules()
    effects = []
    for row in scored:
        found = evidence[row.call_id]
        result = score(draft, found, intent=classify(found, rules))
        effects.append(CallEffect(call=row.call, scored_score=row.score, scored_status=row.status,
                                  scored_version=row.policy.version, draft_score=result.score,
                                  draft_status=result.status))
    before = Counter(effect.scored_status for effect in effects)
    after = Counter(effect.draft_status for effect in effects)
    counts = tuple(StatusCount(status, before[status], after[status]) for status in STATUSES
                   if before[status] or after[status])
    return PolicyEffect(calls=tuple(effects), counts=counts)
