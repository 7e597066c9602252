"""Sales ops tune qualification here: policies (drafted, then published), the disposition
table, intent keywords, and the reps hot callers are transferred to."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from audit.admin import AuditedChangesMixin
from audit.models import AuditEntry
from audit.services import record
from leads.admin.phone import e164_or_error
from leads.models import DispositionRule, IntentRule, QualificationCriterion, QualificationPolicy, SalesRep
from leads.qualification.policy import validate_patterns
from leads.services import policies
from leads.services.policy_preview import preview_policy

PATTERN_FIELDS = ("question_patterns", "positive_patterns", "negative_patterns")


class CriterionForm(forms.ModelForm):
    class Meta:
        model = QualificationCriterion
        fields = ("dimension", "source", "key", "question_patterns", "positive_patterns", "negative_patterns",
                  "position", "enabled", "notes")
        widgets = {name: forms.Textarea(attrs={"rows": 3, "cols": 40}) for name in PATTERN_FIELDS}

    def clean(self):
        cleaned = super().clean()
        for name in PATTERN_FIELDS:
            errors = validate_patterns(cleaned.get(name) or "")
            if errors:
                self.add_error(name, errors)
        source = cleaned.get("source")
        if source in (QualificationCriterion.Source.STRUCTURED_DATA, QualificationCriterion.Source.TOOL_ARGUMENT) \
                and not (cleaned.get("key") or "").strip():
            self.add_error("key", "Name the structuredData key or tool argument this criterion reads.")
        return cleaned


class CriterionInline(admin.StackedInline):
    model = QualificationCriterion
    form = CriterionForm
    extra = 0

    def _editable(self, obj) -> bool:
        return obj is None or obj.editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(QualificationPolicy)
class QualificationPolicyAdmin(AuditedChangesMixin, admin.ModelAdmin):
    audit_action = AuditEntry.Action.CHANGE_POLICY
    """Published versions are read-only: "New draft from this version", edit, "Save and publish"."""

    inlines = [CriterionInline]
    list_display = ("__str__", "version", "state", "hot_threshold", "warm_threshold", "budget_weight",
                    "authority_weight", "need_weight", "timeline_weight", "published_at", "published_by")
    list_filter = ("state",)
    list_select_related = ("published_by",)
    readonly_fields = ("version", "state", "based_on", "created_at", "published_at", "published_by")
    actions = ["draft_from_selected"]
    fieldsets = (
        (None, {"fields": ("name", "version", "state", "based_on", "notes")}),
        ("Thresholds (0-100)", {"fields": ("hot_threshold", "warm_threshold", "non_lead_intents")}),
        ("Weights per BANT dimension", {"fields": ("budget_weight", "authority_weight", "need_weight",
                                                   "timeline_weight")}),
        ("Evidence", {"fields": ("min_evidence_words", "affirmation_credit")}),
        ("What the assistant asks next (score_lead's nextQuestion)", {
            "fields": ("budget_question", "authority_question", "need_question", "timeline_question")}),
        ("History", {"fields": ("created_at", "published_at", "published_by")}),
    )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.editable:
            # The saved draft, scored against the latest calls: "Save draft" refreshes it.
            context["policy_effect"] = preview_policy(policy=obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def has_change_permission(self, request, obj=None):
        # A published version opens read-only (Django's view page).
        return (obj is None or obj.editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Published versions explain the scores given under them: never deleted.
        return (obj is None or obj.editable) and super().has_delete_permission(request, obj)

    def get_urls(self):
        return [
            path("<int:policy_id>/draft/", self.admin_site.admin_view(require_POST(self.draft_view)),
                 name="leads_qualificationpolicy_draft"),
            *super().get_urls(),
        ]

    def draft_view(self, request, policy_id: int):
        if not self.has_add_permission(request):
            raise PermissionDenied
        draft = policies.draft_from(policy=get_object_or_404(QualificationPolicy, pk=policy_id), user=request.user)
        self.message_user(request, f"Draft created from {draft.based_on}. Edit it, then \u201cSave and publish\u201d.")
        return HttpResponseRedirect(reverse("admin:leads_qualificationpolicy_change", args=[draft.pk]))

    @admin.action(description="Create a draft from the selected version")
    def draft_from_selected(self, request, queryset):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one policy to draft from.", messages.WARNING)
            return None
        return self.draft_view(request, queryset.get().pk)

    def response_add(self, request, obj, post_url_continue=None):
        return self._publish_if_asked(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._publish_if_asked(request, obj) or super().response_change(request, obj)

    def _publish_if_asked(self, request, obj):
        if "_publish" not in request.POST or not obj.editable:
            return None
        try:
            published = policies.publish(draft=obj, user=request.user)
            record(action=AuditEntry.Action.CHANGE_POLICY, request=request, target=str(published)[:255],
                   what="published", version=published.version)
        except policies.PolicyError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:leads_qualificationpolicy_change", args=[obj.pk]))
        self.message_user(request, f"Published as version {published.version}. New calls are scored under it; "
                                   "calls already scored keep their scores.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:leads_qualificationpolicy_changelist"))


@admin.register(DispositionRule)
class DispositionRuleAdmin(admin.ModelAdmin):
    """The first enabled rule, top to bottom, whose conditions all hold sets the disposition."""

    list_display = ("position", "disposition", "ended_reasons", "intents", "qualification_statuses", "min_score",
                    "max_duration_seconds", "callback_requested", "report_missing", "enabled", "notes")
    list_display_links = ("disposition",)
    list_editable = ("position", "enabled")
    list_filter = ("disposition", "enabled")
    ordering = ("position", "id")


@admin.register(IntentRule)
class IntentRuleAdmin(admin.ModelAdmin):
    list_display = ("intent", "keyword_count", "enabled", "notes")
    list_editable = ("enabled",)
    list_filter = ("intent", "enabled")

    @admin.display(description="keywords")
    def keyword_count(self, obj):
        return sum(1 for line in obj.keywords.splitlines() if line.strip())


class SalesRepForm(forms.ModelForm):
    class Meta:
        model = SalesRep
        fields = "__all__"

    def clean_phone_e164(self):
        return e164_or_error(self.cleaned_data["phone_e164"])


@admin.register(SalesRep)
class SalesRepAdmin(admin.ModelAdmin):
    form = SalesRepForm
    list_display = ("name", "phone_e164", "salesforce_user_id", "takes_transfers", "active", "last_transfer_at")
    list_editable = ("takes_transfers", "active")
    list_filter = ("takes_transfers", "active")
    search_fields = ("name", "email", "=salesforce_user_id", "phone_e164")
    readonly_fields = ("last_transfer_at",)
