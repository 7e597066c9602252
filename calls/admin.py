import json

from django.contrib import admin, messages
from django.db.models import BooleanField, Value
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from calls import redacted
from privacy.fields import is_unreadable
from calls.models import Call, DispositionChange, Recording, ToolInvocation, TranscriptSegment, WebhookEvent
from calls.services.reprocess import reprocess_event
from leads.models import Dimension, Qualification


class RawOnRequestMixin:
    """What callers said is shown redacted, as stored, unless the user may see it raw and asked
    (?transcript=raw): that view is audited. The choice rides on the object (`shown_raw`), and
    on each inline row through an annotation, because admin display methods only see the row."""

    raw_target = "Call"

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.shown_raw = redacted.raw_if_asked(request, target=f"{self.raw_target} {obj.pk} (admin)")
            obj.may_see_raw = redacted.may_see_raw(request.user)
        return obj

    @admin.display(description="what callers said")
    def transcript_mode(self, obj):
        if getattr(obj, "shown_raw", False):
            return mark_safe('Raw, as said (this view is recorded in the audit log). <a href="?">Show it '
                             'redacted</a>')
        link = format_html(' <a href="?{}" id="show-raw">Show it raw</a>', f"{redacted.RAW_PARAMETER}="
                           f"{redacted.RAW_VALUE}") if getattr(obj, "may_see_raw", False) else ""
        return format_html("Redacted: card numbers, dates of birth and the like are replaced.{}", link)


def shown_for_row(obj) -> redacted.Shown:
    return redacted.Shown(raw=obj.shown_raw, load_call=lambda: obj.call)


def shown_raw_rows(queryset, request):
    """The inline's rows, each told whether this request shows them raw (the parent page decided and audited)."""
    return queryset.annotate(shown_raw=Value(redacted.wants_raw(request), output_field=BooleanField()))


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SegmentInline(ReadOnlyInline):
    model = TranscriptSegment
    fields = ("seconds_from_start", "role", "said", "source")
    readonly_fields = fields

    def get_queryset(self, request):
        return shown_raw_rows(super().get_queryset(request), request)

    @admin.display(description="text")
    def said(self, obj):
        return shown_for_row(obj).segment(obj.text, obj.redacted_text)


class RecordingInline(ReadOnlyInline):
    model = Recording
    fields = ("recording_sid", "status", "duration_seconds", "url")


class DispositionChangeInline(ReadOnlyInline):
    model = DispositionChange
    fields = ("changed_at", "disposition", "reason", "changed_by")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class QualificationInline(ReadOnlyInline):
    model = Qualification
    fields = ("score", "status", "policy", "intent", "intent_confidence", "final", "incomplete", "evidence")
    readonly_fields = fields

    def get_queryset(self, request):
        return shown_raw_rows(super().get_queryset(request).select_related("call"), request)

    @admin.display(description="evidence per BANT dimension")
    def evidence(self, obj):
        rows = []
        shown = redacted.Shown(obj.call, raw=obj.shown_raw)
        for dimension in Dimension:
            found = obj.dimensions.get(dimension.value) or {}
            quotes = "; ".join(f"\u201c{shown.quote(item.get('quote'))}\u201d ({item.get('source')})"
                               for item in found.get("evidence", []) if item.get("quote") is not None)
            rows.append(format_html("<li><b>{}</b>: {} {}</li>", dimension.label, found.get("verdict", "missing"),
                                    quotes))
        return format_html("<ul>{}</ul>", format_html("".join(["{}"] * len(rows)), *rows))


class ToolInvocationInline(ReadOnlyInline):
    model = ToolInvocation
    fields = ("created_at", "name", "shown_arguments", "shown_result", "succeeded", "duration_ms")
    readonly_fields = fields

    def get_queryset(self, request):
        return shown_raw_rows(super().get_queryset(request), request)

    @admin.display(description="arguments")
    def shown_arguments(self, obj):
        arguments, _ = shown_for_row(obj).tool(obj)
        return format_html("<pre>{}</pre>", json.dumps(arguments, indent=2, sort_keys=True, ensure_ascii=False))

    @admin.display(description="result")
    def shown_result(self, obj):
        return shown_for_row(obj).tool(obj)[1]


class WebhookEventInline(ReadOnlyInline):
    model = WebhookEvent
    fields = ("received_at", "provider", "event_type", "status", "error")
    ordering = ("received_at",)


@admin.register(Call)
class CallAdmin(RawOnRequestMixin, admin.ModelAdmin):
    list_display = ("__str__", "created_at", "direction", "status", "customer_number", "ended_reason", "duration_seconds", "disposition")
    list_filter = ("status", "direction", "disposition", "consent")
    search_fields = ("=vapi_call_id", "=twilio_call_sid", "customer_number")
    date_hierarchy = "created_at"
    raw_id_fields = ("lead",)
    show_full_result_count = False
    readonly_fields = (
        "vapi_call_id", "twilio_call_sid", "vapi_call_type", "direction", "status", "twilio_status", "customer_number",
        "customer_number_raw", "assistant_id", "phone_number_id", "started_at", "ended_at", "duration_seconds",
        "ended_reason", "cost", "transcript_mode", "shown_summary", "structured_data_pretty",
        "shown_success_evaluation", "recording_url", "stereo_recording_url", "variable_values", "metadata",
        "status_event_at", "conversation_event_at", "report_received_at", "twilio_sequence", "shown_outcome",
        "shown_next_steps", "callback_at", "callback_timezone", "created_at", "updated_at", "salesforce_payload",
    )
    exclude = (*redacted.REDACTED_FIELDS, "redacted")
    inlines = (QualificationInline, SegmentInline, ToolInvocationInline, RecordingInline, DispositionChangeInline,
               WebhookEventInline)

    @admin.display(description="Salesforce payload")
    def salesforce_payload(self, obj):
        url = reverse("admin:crm_fieldmapping_preview") + "?" + urlencode({"call": obj.pk})
        return format_html('<a href="{}">Preview what this call sends to Salesforce</a>', url)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.said = redacted.Shown(obj, raw=obj.shown_raw).fields()
        return obj

    @admin.display(description="summary")
    def shown_summary(self, obj):
        return obj.said["summary"]

    @admin.display(description="structured data")
    def structured_data_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.said["structured_data"], indent=2, sort_keys=True,
                                                       ensure_ascii=False))

    @admin.display(description="success evaluation")
    def shown_success_evaluation(self, obj):
        return obj.said["success_evaluation"]

    @admin.display(description="outcome")
    def shown_outcome(self, obj):
        return obj.said["outcome"]

    @admin.display(description="next steps")
    def shown_next_steps(self, obj):
        return obj.said["next_steps"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(RawOnRequestMixin, admin.ModelAdmin):
    list_display = ("id", "received_at", "provider", "event_type", "status", "valid", "attempts", "provider_call_id")
    list_filter = ("provider", "status", "valid", "event_type")
    search_fields = ("=provider_call_id", "=dedupe_key")
    raw_id_fields = ("call",)
    show_full_result_count = False
    list_select_related = False
    actions = ("reprocess",)
    exclude = ("body", "headers")
    readonly_fields = [field.name for field in WebhookEvent._meta.fields if field.name not in ("body", "headers")] + [
        "headers_pretty",
        "transcript_mode",
        "body_pretty",
    ]
    raw_target = "WebhookEvent"

    def get_queryset(self, request):
        # The list never decrypts bodies (a large one per row, for nothing the list shows).
        queryset = super().get_queryset(request)
        return queryset.defer("body") if getattr(request.resolver_match, "url_name", "").endswith("changelist") else queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # what arrived is evidence: never edited

    @admin.display(description="headers")
    def headers_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.headers, indent=2, sort_keys=True))

    @admin.display(description="body")
    def body_pretty(self, obj):
        if is_unreadable(obj.body):
            return f"The body {obj.body.reason}."
        if not getattr(obj, "shown_raw", False):
            # A body is kept as it arrived, never redacted (it is the evidence): only the raw view shows it.
            return "Withheld: the body holds what the caller said, as said." + (
                " Use \u201cShow it raw\u201d above." if getattr(obj, "may_see_raw", False) else "")
        try:
            text = json.dumps(json.loads(obj.body), indent=2)
        except ValueError:
            text = obj.body
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', text)

    @admin.action(description="Reprocess the selected events", permissions=["reprocess"])
    def reprocess(self, request, queryset):
        outcomes: dict[str, int] = {}
        for event in queryset.order_by("received_at"):
            status = reprocess_event(event)
            outcomes[status] = outcomes.get(status, 0) + 1
        summary = ", ".join(f"{count} {status}" for status, count in sorted(outcomes.items()))
        self.message_user(request, f"Reprocessed: {summary}.", messages.SUCCESS)

    def has_reprocess_permission(self, request):
        return request.user.has_perm("calls.change_webhookevent")
