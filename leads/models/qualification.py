"""BANT qualification: the policy sales ops tune, and the score each call was given.

A published policy never changes: editing it in the admin makes a new draft, and
publishing the draft makes a new version. A call is scored under the version that
was active when scoring began, so a later change never rewrites a score already given.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from privacy.fields import EncryptedJSONField
from calls.models import Call


class Dimension(models.TextChoices):
    BUDGET = "budget", "Budget"
    AUTHORITY = "authority", "Authority"
    NEED = "need", "Need"
    TIMELINE = "timeline", "Timeline"


class QualificationStatus(models.TextChoices):
    HOT = "hot", "Hot"
    WARM = "warm", "Warm"
    COLD = "cold", "Cold"
    UNQUALIFIED = "unqualified", "Not a lead"


class Intent(models.TextChoices):
    SALES = "sales", "Sales"
    SUPPORT = "support", "Support"
    BILLING = "billing", "Billing"
    PARTNERSHIP = "partnership", "Partnership"
    SPAM = "spam", "Spam"
    OTHER = "other", "Other"


PERCENT = [MaxValueValidator(100)]


class QualificationPolicy(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"

    version = models.PositiveIntegerField(unique=True, null=True, blank=True, editable=False,
                                          help_text="Given when the policy is published.")
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT, editable=False)
    name = models.CharField(max_length=120, default="BANT")
    hot_threshold = models.PositiveSmallIntegerField(default=70, validators=PERCENT,
                                                     help_text="A score at or above this (0-100) is Hot.")
    warm_threshold = models.PositiveSmallIntegerField(default=40, validators=PERCENT,
                                                      help_text="A score at or above this, below Hot, is Warm.")
    budget_weight = models.PositiveSmallIntegerField(default=25, validators=PERCENT)
    authority_weight = models.PositiveSmallIntegerField(default=25, validators=PERCENT)
    need_weight = models.PositiveSmallIntegerField(default=25, validators=PERCENT)
    timeline_weight = models.PositiveSmallIntegerField(default=25, validators=PERCENT)
    min_evidence_words = models.PositiveSmallIntegerField(
        default=3, help_text="An answer counts in full only when it matches a positive pattern or has at least "
                             "this many words; a bare \u201cyes\u201d earns the affirmation credit below.")
    affirmation_credit = models.PositiveSmallIntegerField(
        default=25, validators=PERCENT,
        help_text="Share (%) of a dimension's weight that a bare \u201cyes\u201d earns: a caller who says yes to "
                  "everything must not score 100.")
    non_lead_intents = models.CharField(
        max_length=120, default="support,spam", blank=True,
        help_text="Comma-separated intents that make a call \u201cnot a lead\u201d (Unqualified), whatever it scored.")
    budget_question = models.CharField(max_length=255, default="Is there a budget set aside for this, and roughly how much?")
    authority_question = models.CharField(max_length=255, default="Who else is involved in making this decision?")
    need_question = models.CharField(max_length=255, default="What problem are you hoping to solve?")
    timeline_question = models.CharField(max_length=255, default="When would you like to have this in place?")
    notes = models.TextField(blank=True)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, editable=False,
                                 related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, editable=False,
                                     related_name="+")

    class Meta:
        verbose_name_plural = "qualification policies"
        ordering = ["-version", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["state"], condition=models.Q(state="active"), name="one_active_policy"),
        ]

    def __str__(self):
        label = f"v{self.version}" if self.version else "draft"
        return f"{self.name} {label} ({self.get_state_display().lower()})"

    def clean(self):
        if self.warm_threshold >= self.hot_threshold:
            raise ValidationError({"warm_threshold": "The warm threshold must be below the hot threshold."})
        if not any(self.weights.values()):
            raise ValidationError("At least one BANT dimension needs a weight above 0.")

    @property
    def editable(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def weights(self) -> dict[str, int]:
        return {dimension: getattr(self, f"{dimension}_weight") for dimension in Dimension.values}

    @property
    def questions(self) -> dict[str, str]:
        """What the assistant asks next about each dimension (score_lead returns the first one missing)."""
        return {dimension: getattr(self, f"{dimension}_question") for dimension in Dimension.values}

    @property
    def non_lead_intent_list(self) -> list[str]:
        return [item.strip().lower() for item in self.non_lead_intents.split(",") if item.strip()]


class QualificationCriterion(models.Model):
    """Where evidence for one dimension comes from, and what counts as yes or no."""

    class Source(models.TextChoices):
        STRUCTURED_DATA = "structured_data", "Vapi analysis.structuredData key"
        TOOL_ARGUMENT = "tool_argument", "Argument of the score_lead tool"
        TRANSCRIPT = "transcript", "The caller's own transcript lines"

    policy = models.ForeignKey(QualificationPolicy, on_delete=models.CASCADE, related_name="criteria")
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    source = models.CharField(max_length=16, choices=Source.choices)
    key = models.CharField(max_length=120, blank=True,
                           help_text="The structuredData key or tool argument (e.g. budget). Unused for transcripts.")
    question_patterns = models.TextField(
        blank=True, help_text="Transcripts only: one regular expression per line matching the assistant's question; "
                              "the caller's next line is read as the answer to it (a bare yes or no).")
    positive_patterns = models.TextField(blank=True, help_text="One regular expression per line (case-insensitive) "
                                                              "that marks a specific, positive answer.")
    negative_patterns = models.TextField(blank=True, help_text="One regular expression per line that marks a "
                                                              "negative answer (\u201cno budget\u201d); a negative wins.")
    position = models.PositiveSmallIntegerField(default=0)
    enabled = models.BooleanField(default=True)
    notes = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["policy", "dimension", "position", "id"]
        verbose_name_plural = "qualification criteria"

    def __str__(self):
        return f"{self.get_dimension_display()} from {self.get_source_display().lower()}" + (
            f" ({self.key})" if self.key else "")


class Qualification(models.Model):
    """A call's score, with the evidence per dimension that explains it."""

    call = models.OneToOneField("calls.Call", on_delete=models.CASCADE, related_name="qualification")
    policy = models.ForeignKey(QualificationPolicy, on_delete=models.PROTECT, related_name="qualifications")
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty when nothing was learned.")
    status = models.CharField(max_length=16, choices=QualificationStatus.choices, blank=True, db_index=True)
    # {"budget": {"verdict": "positive", "credit": 1.0, "evidence": [{"quote", "source", "criterion"}]}, ...}
    dimensions = EncryptedJSONField(default=dict, blank=True)  # quotes of what the caller said
    evidence_count = models.PositiveSmallIntegerField(default=0)
    intent = models.CharField(max_length=16, choices=Intent.choices, blank=True)
    intent_confidence = models.FloatField(null=True, blank=True)
    intent_source = models.CharField(max_length=32, blank=True)
    intent_evidence = EncryptedJSONField(default=list, blank=True)
    final = models.BooleanField(default=False, help_text="Scored from the end-of-call report (or the call was closed).")
    incomplete = models.BooleanField(default=False, help_text="The call ended without an end-of-call report.")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "score"], name="qualification_status_idx")]

    def __str__(self):
        return f"{self.score if self.score is not None else '-'} ({self.status or 'not scored'})"


class DispositionRule(models.Model):
    """One row of the disposition table: the first enabled rule whose conditions all hold wins.

    A blank condition matches anything. Lists are comma-separated."""

    position = models.PositiveSmallIntegerField(default=0)
    disposition = models.CharField(max_length=32, choices=Call.Disposition.choices)
    ended_reasons = models.CharField(max_length=500, blank=True,
                                     help_text="Vapi endedReason values; a trailing * matches a prefix.")
    intents = models.CharField(max_length=200, blank=True, help_text="e.g. support,billing")
    qualification_statuses = models.CharField(max_length=100, blank=True, help_text="hot, warm, cold, unqualified, "
                                                                                    "or none (not scored)")
    min_score = models.PositiveSmallIntegerField(null=True, blank=True, validators=PERCENT)
    max_duration_seconds = models.PositiveIntegerField(null=True, blank=True,
                                                       help_text="Calls no longer than this (an early hang-up).")
    callback_requested = models.BooleanField(null=True, blank=True, help_text="Empty: either way.")
    report_missing = models.BooleanField(null=True, blank=True, help_text="True: only calls that ended without an "
                                                                          "end-of-call report. Empty: either way.")
    enabled = models.BooleanField(default=True)
    notes = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"#{self.position} \u2192 {self.disposition}"

class IntentRule(models.Model):
    """Keywords of the transparent intent classifier used when the assistant named no intent."""

    intent = models.CharField(max_length=16, choices=Intent.choices)
    keywords = models.TextField(help_text="One word or phrase per line, matched in the caller's lines "
                                          "(whole words, case-insensitive).")
    enabled = models.BooleanField(default=True)
    notes = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["intent", "id"]

    def __str__(self):
        return f"{self.get_intent_display()} keywords"
