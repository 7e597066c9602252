"""Qualification policies: the active version, snapshots for scoring, publishing and drafting.

A published version never changes, so its snapshot (patterns compiled) is kept for the life
of the process. Intent keywords can be edited at any time: they are read at most once a
minute per process, and at once in the process that saved them; while a change is not
committed nothing is remembered, so a change rolled back is never scored with.
"""

from __future__ import annotations

import logging
import time

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import timezone

from leads.models import DispositionRule, IntentRule, QualificationCriterion, QualificationPolicy
from leads.qualification.intent import KeywordRule
from leads.qualification.policy import PolicySnapshot, validate_patterns

logger = logging.getLogger(__name__)

State = QualificationPolicy.State
INTENT_RULES_TTL_SECONDS = 60.0
# Any number: publishers take this PostgreSQL advisory lock so versions are handed out one at a time.
PUBLISH_LOCK = 7_461_029_311
SNAPSHOT_LIMIT = 64


class PolicyError(ValueError):
    """The policy cannot be published (or drafted) as asked; the message says why."""


# --- the active policy and snapshots ----------------------------------------------------

_snapshots: dict[int, PolicySnapshot] = {}


def active_policy() -> QualificationPolicy | None:
    """The policy new calls are scored under; one query."""
    return QualificationPolicy.objects.filter(state=State.ACTIVE).first()


def policy_snapshot(policy_id: int, *, policy: QualificationPolicy | None = None) -> PolicySnapshot:
    """The policy as scoring reads it: no query once a published version has been seen by this process."""
    cached = _snapshots.get(policy_id)
    if cached is not None:
        return cached
    policy = policy if policy is not None and policy.pk == policy_id else QualificationPolicy.objects.get(pk=policy_id)
    snapshot = PolicySnapshot.from_policy(policy, QualificationCriterion.objects.filter(policy_id=policy_id))
    if policy.state != State.DRAFT:  # a draft can still be edited
        if len(_snapshots) >= SNAPSHOT_LIMIT:
            _snapshots.clear()
        _snapshots[policy_id] = snapshot
    return snapshot


def active_snapshot() -> PolicySnapshot | None:
    policy = active_policy()
    return policy_snapshot(policy.pk, policy=policy) if policy is not None else None


# --- intent keywords and the disposition table ------------------------------------------

class _IntentRules:
    def __init__(self):
        self.rules: tuple[KeywordRule, ...] | None = None
        self.read_at = 0.0
        self.uncommitted_change = False

    def get(self) -> tuple[KeywordRule, ...]:
        fresh = time.monotonic() - self.read_at < INTENT_RULES_TTL_SECONDS
        if self.rules is not None and fresh and not self.uncommitted_change:
            return self.rules
        rows = IntentRule.objects.filter(enabled=True).order_by("intent", "id")
        rules = tuple(KeywordRule.from_row(row) for row in rows)
        if not self.uncommitted_change:
            self.rules, self.read_at = rules, time.monotonic()
        return rules

    def changed(self) -> None:
        self.rules = None
        self.uncommitted_change = True
        transaction.on_commit(self.committed)

    def committed(self) -> None:
        self.rules = None
        self.uncommitted_change = False


_intent_rules = _IntentRules()


def intent_rules() -> tuple[KeywordRule, ...]:
    """The enabled IntentRules' keywords; read at most once a minute."""
    return _intent_rules.get()


def disposition_rules() -> list[DispositionRule]:
    return list(DispositionRule.objects.filter(enabled=True).order_by("position", "id"))


def forget_cached_policies() -> None:
    """Drop what this process remembers: the next scoring reads policies and keywords again
    (tests call it between cases, once a rolled-back change is gone)."""
    _snapshots.clear()
    _intent_rules.committed()


def _intent_rule_changed(**kwargs) -> None:
    _intent_rules.changed()


def _policy_changed(sender, instance, **kwargs) -> None:
    _snapshots.pop(instance.policy_id if sender is QualificationCriterion else instance.pk, None)


def _database_reset(**kwargs) -> None:
    forget_cached_policies()  # flush (as between transactional tests) sends post_migrate


for _signal in (post_save, post_delete):
    _signal.connect(_intent_rule_changed, sender=IntentRule, dispatch_uid=f"intent-rules-{_signal is post_save}")
    for _sender in (QualificationPolicy, QualificationCriterion):
        _signal.connect(_policy_changed, sender=_sender,
                        dispatch_uid=f"policy-{_sender.__name__}-{_signal is post_save}")
post_migrate.connect(_database_reset, dispatch_uid="qualification-policies-reset")


# --- publishing and drafting ------------------------------------------------------------

def _problems(policy: QualificationPolicy) -> list[str]:
    problems = []
    try:
        policy.full_clean()
    except ValidationError as exc:
        problems += [message for messages in exc.message_dict.values() for message in messages]
    criteria = list(policy.criteria.all())
    for criterion in criteria:
        for name in ("question_patterns", "positive_patterns", "negative_patterns"):
            problems += [f"{criterion} ({name.replace('_', ' ')}): {error}"
                         for error in validate_patterns(getattr(criterion, name))]
    if not any(criterion.enabled for criterion in criteria):
        problems.append("It has no enabled criteria, so no call could be scored.")
    return problems


def _one_publisher_at_a_time() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLISH_LOCK])


def publish(*, draft: QualificationPolicy, user=None) -> QualificationPolicy:
    """Make a draft the active policy, with the next version number; the active one retires.

    Calls already scored keep their version; calls scored from now on use this one."""
    with transaction.atomic():
        _one_publisher_at_a_time()
        policy = QualificationPolicy.objects.select_for_update().filter(pk=draft.pk).first()
        if policy is None:
            raise PolicyError("That policy no longer exists.")
        if policy.state != State.DRAFT:
            raise PolicyError(f"{policy} is {policy.get_state_display().lower()}: only a draft can be published. "
                              "Create a draft from it, change the draft, then publish the draft.")
        problems = _problems(policy)
        if problems:
            raise PolicyError("Not published: " + " ".join(problems))
        QualificationPolicy.objects.filter(state=State.ACTIVE).update(state=State.RETIRED)
        latest = QualificationPolicy.objects.aggregate(latest=Max("version"))["latest"] or 0
        policy.state, policy.version = State.ACTIVE, latest + 1
        policy.published_at, policy.published_by = timezone.now(), user
        policy.save(update_fields=["state", "version", "published_at", "published_by"])
    for name in ("state", "version", "published_at", "published_by"):
        setattr(draft, name, getattr(policy, name))
    logger.info("qualification policy %s published as version %s by %s", policy.pk, policy.version,
                user or "the system")
    return policy


def _copied_fields(model) -> list[str]:
    """What sales ops edit: everything but identity, state and history (not editable in the admin)."""
    return [field.name for field in model._meta.concrete_fields
            if field.editable and not field.primary_key and field.name != "policy"]


def draft_from(*, policy: QualificationPolicy, user=None) -> QualificationPolicy:
    """A new draft with the policy's settings and criteria, to edit and publish."""
    with transaction.atomic():
        draft = QualificationPolicy.objects.create(
            **{name: getattr(policy, name) for name in _copied_fields(QualificationPolicy)}, based_on=policy)
        QualificationCriterion.objects.bulk_create(
            QualificationCriterion(policy=draft, **{name: getattr(row, name)
                                                    for name in _copied_fields(QualificationCriterion)})
            for row in policy.criteria.order_by("dimension", "position", "id"))
    logger.info("qualification policy draft %s created from %s by %s", draft.pk, policy, user or "the system")
    return draft
