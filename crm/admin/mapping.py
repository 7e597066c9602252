import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from audit.admin import AuditedChangesMixin
from audit.models import AuditEntry
from calls import redacted
from calls.models import Call
from crm.models import FieldMapping, SyncJob
from crm.services.call_document import call_document
from crm.services.mapping import (
    SalesforceUnavailable, active_rules, check_mappings_against_salesforce, field_error_in_salesforce,
    field_info_or_unavailable, map_call,
)
from integrations.salesforce.mapping import api_name_error
from privacy.services import redactor_for

PREVIEW_CALLS = 50
MAX_PROBLEM_MESSAGES = 25  # more would bury the page; the rest are counted


class FieldErrorsOnFormMixin:
    """Model validation may name a field this form does not show (list_editable rows):
    report those errors on the row instead of failing with a ValueError."""

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            shown, hidden = {}, []
            for name, errors in error.error_dict.items():
                if name == NON_FIELD_ERRORS or name in self.fields:
                    shown[name] = errors
                else:
                    hidden += [f"{name.replace('_', ' ').capitalize()}: {message}" for e in errors for message in e]
            if hidden:
                shown.setdefault(NON_FIELD_ERRORS, []).extend(ValidationError(hidden).error_list)
            error = ValidationError(shown)
        super().add_error(field, error)


class FieldMappingForm(FieldErrorsOnFormMixin, forms.ModelForm):
    class Meta:
        model = FieldMapping
        fields = "__all__"
        widgets = {"options": forms.Textarea(attrs={"rows": 4, "cols": 60}), "notes": forms.Textarea(attrs={"rows": 3})}

    salesforce_warning = ""

    def clean(self):
        cleaned = super().clean()
        target_object, target_field = cleaned.get("target_object"), (cleaned.get("target_field") or "").strip()
        names_changed = self.instance.pk is None or {"target_object", "target_field"} & set(self.changed_data)
        # A malformed name is the model's to report; Salesforce is asked about well-formed ones only.
        if target_object and target_field and names_changed and not api_name_error(target_field):
            self._check_in_salesforce(target_object, target_field)
        return cleaned

    def _check_in_salesforce(self, target_object: str, target_field: str) -> None:
        """Refuse a field Salesforce does not have; when Salesforce cannot be asked, save and say so."""
        try:
            error = field_error_in_salesforce(target_object=target_object, target_field=target_field)
        except SalesforceUnavailable as unavailable:
            self.salesforce_warning = f"{target_object}.{target_field} was not checked against Salesforce. {unavailable}"
            return
        if error:
            self.add_error("target_field", error)


class FieldMappingChangelistForm(FieldErrorsOnFormMixin, forms.ModelForm):
    pass


@admin.register(FieldMapping)
class FieldMappingAdmin(AuditedChangesMixin, admin.ModelAdmin):
    audit_action = AuditEntry.Action.CHANGE_MAPPING
    form = FieldMappingForm
    list_display = ("target_field", "object_name", "source", "transform", "privacy", "required", "upsert_key",
                    "create_only", "enabled", "position")
    list_display_links = ("target_field",)
    list_editable = ("enabled", "position", "transform", "privacy")
    list_filter = ("target_object", "enabled", "privacy", "transform", "required")
    ordering = ("target_object", "position", "id")
    search_fields = ("target_field", "source", "notes")
    actions = ("check_against_salesforce",)
    fieldsets = (
        (None, {"fields": ("target_object", "target_field", "source", "transform", "options", "privacy", "enabled",
                           "position")}),
        ("Salesforce behaviour", {"fields": ("required", "placeholder", "upsert_key", "create_only")}),
        (None, {"fields": ("notes",)}),
        ("After a fix", {"fields": ("dead_letters",)}),
    )
    readonly_fields = ("dead_letters",)

    @admin.display(description="object", ordering="target_object")
    def object_name(self, obj: FieldMapping) -> str:
        return obj.target_object  # the API name: the group header above the rows gives the long label

    @admin.display(description="dead letters naming this field")
    def dead_letters(self, obj: FieldMapping):
        """The way back from a fixed mapping to the calls it kept out of Salesforce, to replay them."""
        if obj.pk is None or not obj.target_field:
            return "–"
        count = SyncJob.objects.filter(state=SyncJob.State.DEAD, error_fields__icontains=obj.target_field).count()
        if not count:
            return "None."
        query = urlencode({"state__exact": "dead", "q": obj.target_field})
        url = f"{reverse('admin:crm_syncjob_changelist')}?{query}"
        return format_html('<a href="{}" id="dead-letters-link">{} dead letter(s): review and replay</a>', url, count)

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=FieldMappingChangelistForm, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(form, "salesforce_warning", ""):
            messages.warning(request, form.salesforce_warning)

    @admin.action(description="Check against Salesforce")
    def check_against_salesforce(self, request, queryset):
        rules = [row.as_rule() for row in queryset]
        try:
            problems = check_mappings_against_salesforce(rules)
        except SalesforceUnavailable as unavailable:
            messages.error(request, f"{unavailable} Nothing was checked.")
            return
        if not problems:
            messages.success(request, f"Salesforce has every one of the {len(rules)} mapped fields, "
                                      "and the enabled mappings fill every required field.")
            return
        for problem in problems[:MAX_PROBLEM_MESSAGES]:
            messages.warning(request, problem)
        if len(problems) > MAX_PROBLEM_MESSAGES:
            messages.warning(request, f"… and {len(problems) - MAX_PROBLEM_MESSAGES} more.")

    # --- payload preview ---------------------------------------------------------------

    def get_urls(self):
        preview = path("preview/", self.admin_site.admin_view(self.preview_view), name="crm_fieldmapping_preview")
        return [preview, *super().get_urls()]

    def preview_view(self, request):
        # The preview shows callers' data: the same permission as reading the mappings and the calls.
        if not (self.has_view_permission(request) and request.user.has_perm("calls.view_call")):
            raise PermissionDenied
        calls = list(Call.objects.order_by("-created_at")[:PREVIEW_CALLS])
        asked = request.GET.get("call", "")
        chosen = next((call for call in calls if str(call.pk) == asked), None)
        if chosen is None and asked.isdigit():  # an older call, opened from its own admin page
            chosen = Call.objects.filter(pk=asked).first()
            calls = [chosen, *calls] if chosen is not None else calls
        chosen = chosen or (calls[0] if calls else None)
        use_describe = request.GET.get("describe") == "1"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Preview Salesforce payload",
            "calls": [(call, _call_label(call)) for call in calls],
            "chosen": chosen,
            "use_describe": use_describe,
        }
        if chosen is not None:
            # What Salesforce would get, and the document it is mapped from, hold what the caller said:
            # redacted for display unless the user may see it raw and asked (audited, calls/redacted.py).
            raw = redacted.raw_if_asked(request, target=f"Call {chosen.pk} (mapping preview)")
            context.update(_preview(chosen, use_describe=use_describe, raw=raw), raw=raw,
                           may_see_raw=redacted.may_see_raw(request.user))
        return TemplateResponse(request, "admin/crm/fieldmapping/preview.html", context)


def _call_label(call: Call) -> str:
    structured = call.structured_data if isinstance(call.structured_data, dict) else {}
    who = structured.get("name") if isinstance(structured.get("name"), str) else None
    parts = [call.created_at.strftime("%Y-%m-%d %H:%M"), call.direction, who or call.customer_number or "unknown caller",
             str(call)]
    return " · ".join(str(part) for part in parts if part)


def _pretty(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _preview(call: Call, *, use_describe: bool, raw: bool) -> dict:
    rules = active_rules()
    field_info, describe_warning = None, ""
    if use_describe:
        try:
            field_info = field_info_or_unavailable(rule.target_object for rule in rules)
        except SalesforceUnavailable as unavailable:  # a preview without the limits beats no preview
            describe_warning = f"Salesforce's field limits are not applied. {unavailable}"
    document = call_document(call)
    redactor = redactor_for(document)  # remembers each text: the display reuses the mapping's redactions
    records = map_call(call, field_info=field_info, rules=rules, document=document, redact=redactor)
    objects = list(dict.fromkeys(rule.target_object for rule in rules))
    shown = (lambda value: value) if raw else redactor
    return {
        "describe_warning": describe_warning,
        "payloads": [
            {
                "object": name,
                "upsert_key": records.upsert_key(name),
                "create": _pretty(shown(records.create(name))),
                "update": _pretty(shown(records.update(name))),
                "has_values": name in records.objects,
            }
            for name in objects
        ],
        "notes": records.notes,
        "problems": records.problems,
        "document": _pretty(shown(document)),
    }
