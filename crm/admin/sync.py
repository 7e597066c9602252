from django.contrib import admin, messages
from django.db.models import Case, QuerySet, When
from django.urls import reverse
from django.utils.html import format_html

from audit.models import AuditEntry
from audit.services import record
from crm.models import Role, SyncAttempt, SyncedRecord, SyncJob
from crm.services import outbox, sync_jobs


# Where the job stands and why: what sales ops read first.
STANDING_FIELDS = ("call", "state", "attempts", "due_at", "error_code", "error_fields", "last_error", "synced_at",
                   "incomplete")


class SyncedRecordInline(admin.TabularInline):
    """What the call wrote in Salesforce (crm.SyncedRecord), in the roles' declared order; read-only."""

    model = SyncedRecord
    verbose_name_plural = ("Salesforce records: what the call wrote (its Lead or Contact and Task; for a hot call "
                           "the owner's follow-up Task and the qualified event; the callback Task; a Case for a "
                           "support call)")
    extra = 0
    can_delete = False
    fields = ("role", "sobject", "salesforce_id", "written_at")
    readonly_fields = fields

    def get_queryset(self, request):
        declared = Case(*(When(role=role, then=position) for position, role in enumerate(Role)))
        return super().get_queryset(request).order_by(declared)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Part of the job: whoever may see the job sees what it wrote, with no permission of its own.
        return request.user.has_perm("crm.view_syncjob") or request.user.has_perm("crm.change_syncjob")


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


class DeadLetterReasonFilter(admin.AllValuesFieldListFilter):
    """Salesforce's error code of the last failure (INVALID_FIELD, REQUIRED_FIELD_MISSING…): what to fix."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = "dead-letter reason (error code)"


@admin.register(SyncJob)
class SyncJobAdmin(admin.ModelAdmin):
    list_display = ("call_link", "state", "attempts", "error_code", "error_fields", "due_at", "synced_at", "updated_at",
                    "incomplete")
    list_filter = ("state", ("error_code", DeadLetterReasonFilter), "incomplete")
    search_fields = ("=call__vapi_call_id", "=call__twilio_call_sid", "=synced_records__salesforce_id",
                     "error_fields")  # the field a dead letter names: "which jobs did my mapping break?"
    list_select_related = ("call",)
    raw_id_fields = ("call",)
    show_full_result_count = False
    # Newest first by the primary key's index: "-updated_at" has no index and sorts the whole table.
    ordering = ("-pk",)
    actions = ["retry_now", "replay_selected"]
    inlines = [SyncedRecordInline, SyncAttemptInline]
    readonly_fields = [field.name for field in SyncJob._meta.fields if field.name != "id"]

    def has_add_permission(self, request):
        return False

    def get_fieldsets(self, request, obj=None):
        internals = [name for name in self.readonly_fields if name not in STANDING_FIELDS]
        return [
            (None, {"fields": STANDING_FIELDS}),
            ("Internals", {"fields": internals, "classes": ("collapse",)}),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Every field is read-only: the page's actions are the list's (retry now, replay), not "Save".
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False,
                         "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="call", ordering="call_id")
    def call_link(self, job: SyncJob):
        url = reverse("admin:calls_call_change", args=[job.call_id])
        return format_html('<a href="{}">{}</a>', url, job.call)

    @admin.action(description="Retry now (jobs waiting to retry, for budget or for configuration)",
                  permissions=["change"])
    def retry_now(self, request, queryset: QuerySet[SyncJob]):
        """Don't wait for the backoff: a job still waiting goes to Salesforce at once (its attempts still count)."""
        self._send(request, queryset, sync_jobs.retry_now, SyncJob.WAITING, "waiting")

    @admin.action(description="Replay selected with the current mapping (dead letters, synced jobs)",
                  permissions=["change"])
    def replay_selected(self, request, queryset: QuerySet[SyncJob]):
        """After a fix: a dead letter (or a job already synced) is written again with the current mappings."""
        self._send(request, queryset, sync_jobs.replay, (SyncJob.State.DEAD, SyncJob.State.SYNCED), "dead or synced")
        if request.user.is_authenticated:
            record(action=AuditEntry.Action.REPLAY_JOBS, request=request, target="sync jobs",
                   jobs=list(queryset.values_list("pk", flat=True)[:500]))

    def _send(self, request, queryset: QuerySet[SyncJob], send, states, kind: str) -> None:
        selected = queryset.count()  # before the replay: the list's filter may be on the state it changes
        ids = send(queryset.filter(state__in=states))
        for job_id in ids:
            outbox.enqueue(job_id)
        message = f"{len(ids)} job(s) queued for Salesforce."
        skipped = selected - len(ids)
        if skipped:
            message += f" {skipped} left alone: not {kind}, or in flight right now."
        self.message_user(request, message, messages.SUCCESS if ids else messages.WARNING)
