from django.contrib import admin, messages
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html

from leads.models import SyncAttempt, SyncJob
from leads.services import outbox, sync_jobs


# Ids of what the call wrote, read-only, in a section of their own.
SALESFORCE_RECORD_FIELDS = ("lead_salesforce_id", "task_salesforce_id", "follow_up_task_salesforce_id",
                            "callback_task_salesforce_id", "case_salesforce_id", "qualified_event_published_at")


class SyncAttemptInline(admin.TabularInline):
    model = SyncAttempt
    extra = 0
    can_delete = False
    ordering = ["-started_at"]
    fields = ("started_at", "outcome", "duration_ms", "batch_size", "api_requests", "status_code", "error_code", "error",
              "request_summary")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SyncJob)
class SyncJobAdmin(admin.ModelAdmin):
    list_display = ("call_link", "state", "attempts", "error_code", "error_fields", "due_at", "synced_at", "incomplete")
    list_filter = ("state", "error_code", "incomplete")
    search_fields = ("=call__vapi_call_id", "=call__twilio_call_sid", "=lead_salesforce_id", "=task_salesforce_id",
                     "=follow_up_task_salesforce_id", "=callback_task_salesforce_id", "=case_salesforce_id")
    list_select_related = ("call",)
    raw_id_fields = ("call",)
    show_full_result_count = False
    ordering = ("-updated_at",)
    actions = ["replay_selected"]
    inlines = [SyncAttemptInline]
    readonly_fields = [field.name for field in SyncJob._meta.fields if field.name != "id"]

    def has_add_permission(self, request):
        return False

    def get_fieldsets(self, request, obj=None):
        others = [name for name in self.readonly_fields if name not in SALESFORCE_RECORD_FIELDS]
        return [
            (None, {"fields": others}),
            ("Salesforce records", {"fields": SALESFORCE_RECORD_FIELDS, "description": (
                "What the call wrote: its Lead (or Contact) and Task; for a hot call the owner's follow-up Task and "
                "the qualified event; the callback Task; a Case for a support call.")}),
        ]

    @admin.display(description="call", ordering="call_id")
    def call_link(self, job: SyncJob):
        url = reverse("admin:calls_call_change", args=[job.call_id])
        return format_html('<a href="{}">{}</a>', url, job.call)

    @admin.action(description="Retry now / replay with the current mapping")
    def replay_selected(self, request, queryset: QuerySet[SyncJob]):
        ids = sync_jobs.replay(queryset)
        for job_id in ids:
            outbox.enqueue(job_id)
        skipped = queryset.count() - len(ids)
        message = f"{len(ids)} job(s) queued for Salesforce."
        if skipped:
            message += f" {skipped} in flight right now were left alone."
        self.message_user(request, message, messages.SUCCESS)
