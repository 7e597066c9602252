import json

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from calls.models import Call, DispositionChange, Recording, ToolInvocation, TranscriptSegment, WebhookEvent
from calls.services.reprocess import reprocess_event
from leads.models import Dimension, Qualification


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
    fields = ("seconds_from_start", "role", "text", "source")


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

    @admin.display(description="evidence per BANT dimension")
    def evidence(self, obj):
        rows = []
        for dimension in Dimension:
            found = obj.dimensions.get(dimension.value) or {}
            quotes = "; ".join(f"\u201c{item.get('quote')}\u201d ({item.get('source')})"
                               for item in found.get("evidence", []) if item.get("quote") is not None)
            rows.append(format_html("<li><b>{}</b>: {} {}</li>", dimension.label, found.get("verdict", "missing"),
                                    quotes))
        return format_html("<ul>{}</ul>", format_html("".join(["{}"] * len(rows)), *rows))


class ToolInvocationInline(ReadOnlyInline):
    model = ToolInvocation
    fields = ("created_at", "name", "arguments", "result", "succeeded", "duration_ms")


class WebhookEventInline(ReadOnlyInline):
    model = WebhookEvent
    fields = ("received_at", "provider", "event_type", "status", "error")
    ordering = ("received_at",)


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("__str__", "created_at", "direction", "status", "customer_number", "ended_reason", "duration_seconds", "disposition")
    list_filter = ("status", "direction", "disposition", "consent")
    search_fields = ("=vapi_call_id", "=twilio_call_sid", "customer_number")
    date_hierarchy = "created_at"
    raw_id_fields = ("lead",)
    show_full_result_count = False
    readonly_fields = (
        "vapi_call_id", "twilio_call_sid", "vapi_call_type", "direction", "status", "twilio_status", "customer_number",
        "customer_number_raw", "assistant_id", "phone_number_id", "started_at", "ended_at", "duration_seconds",
        "ended_reason", "cost", "summary", "structured_data_pretty", "success_evaluation", "recording_url",
        "stereo_recording_url", "variable_values", "metadata", "status_event_at", "conversation_event_at",
        "report_received_at", "twilio_sequence", "outcome", "next_steps", "callback_at", "callback_timezone",
        "created_at", "updated_at", "salesforce_payload",
    )
    exclude = ("structured_data",)
    inlines = (QualificationInline, SegmentInline, ToolInvocationInline, RecordingInline, DispositionChangeInline,
               WebhookEventInline)

    @admin.display(description="Salesforce payload")
    def salesforce_payload(self, obj):
        url = reverse("admin:leads_fieldmapping_preview") + "?" + urlencode({"call": obj.pk})
        return format_html('<a href="{}">Preview what this call sends to Salesforce</a>', url)

    @admin.display(description="structured data")
    def structured_data_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.structured_data, indent=2, sort_keys=True))


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
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
        "body_pretty",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # what arrived is evidence: never edited

    @admin.display(description="headers")
    def headers_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.headers, indent=2, sort_keys=True))

    @admin.display(description="body")
    def body_pretty(self, obj):
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
