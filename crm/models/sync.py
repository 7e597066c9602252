from __future__ import annotations

from datetime import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.functional import cached_property

from crm.models.synced import Role, SyncedRecord


class SyncJobQuerySet(models.QuerySet):
    def with_written(self) -> SyncJobQuerySet:
        """Each job with the records it wrote, in the same SELECT: the sync reads them for every
        job it claims, and a second query per claim would cost every sync one more round trip."""
        rows = SyncedRecord.objects.filter(job=OuterRef("pk")).order_by().values(row=JSONObject(
            id="id", role="role", sobject="sobject", salesforce_id="salesforce_id", written_at="written_at"))
        return self.annotate(written_rows=ArraySubquery(rows))


class SyncJob(models.Model):
    """The outbox row of one call: what Salesforce must be told, and how far it got.

    One job per call. A change to the call bumps `revision`; a sync that finishes
    after a newer revision arrived goes round again, so Salesforce ends on the latest state."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        IN_FLIGHT = "in_flight", "In flight"
        RETRYING = "retrying", "Waiting to retry"
        WAITING_BUDGET = "waiting_budget", "Waiting: Salesforce API budget"
        NOT_CONFIGURED = "not_configured", "Waiting: Salesforce not configured"
        SYNCED = "synced", "Synced"
        DEAD = "dead", "Dead letter"

    # States a worker may pick up once due; the other waiting ones never give up.
    WAITING = (State.PENDING, State.RETRYING, State.WAITING_BUDGET, State.NOT_CONFIGURED)

    call = models.OneToOneField("calls.Call", on_delete=models.CASCADE, related_name="sync_job")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    due_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)
    synced_revision = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Failed attempts since the last success or replay.")
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    error_fields = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(blank=True)
    # Salesforce refuses create-only fields (Task.TaskSubtype) once the Task exists.
    task_created = models.BooleanField(default=False)
    incomplete = models.BooleanField(default=False, help_text="Last synced without an end-of-call report.")
    synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the call wrote in Salesforce (its Lead, Task, follow-ups, Case, event): SyncedRecord rows.

    objects = SyncJobQuerySet.as_manager()

    class Meta:
        db_table = "leads_syncjob"  # its table from before it moved to crm (crm/migrations/0001_initial.py)
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="syncjob_due_idx"),
            models.Index(fields=["error_code"], name="syncjob_error_idx"),
        ]

    def __str__(self):
        return f"sync of call {self.call_id} ({self.get_state_display()})"

    @cached_property
    def written(self) -> dict[Role, SyncedRecord]:
        """The records the call's syncs wrote, by role (from `with_written()` when the query asked)."""
        rows = getattr(self, "written_rows", None)
        if rows is None:
            records = list(self.synced_records.all())
        else:
            records = [SyncedRecord(job=self, **{**row, "written_at": datetime.fromisoformat(row["written_at"])})
                       for row in rows]
        return {Role(record.role): record for record in records}

    def salesforce_id(self, role: Role) -> str:
        """The id Salesforce gave the call's record in this role; "" when none was written."""
        record = self.written.get(role)
        return record.salesforce_id if record else ""


class SyncAttempt(models.Model):
    """One try at writing a job to Salesforce; a batch try writes one row per job."""

    class Outcome(models.TextChoices):
        SYNCED = "synced", "Synced"
        RETRY = "retry", "Will retry"
        WAITING = "waiting", "Waiting"
        DEAD = "dead", "Dead letter"

    job = models.ForeignKey(SyncJob, on_delete=models.CASCADE, related_name="attempts_made")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    batch_size = models.PositiveSmallIntegerField(default=1)
    api_requests = models.PositiveSmallIntegerField(default=0, help_text="Salesforce API requests the attempt made (shared by its batch).")
    request_summary = models.JSONField(default=dict, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        db_table = "leads_syncattempt"  # as SyncJob's
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.get_outcome_display()} at {self.started_at:%Y-%m-%d %H:%M:%S}"
