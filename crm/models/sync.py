from django.db import models
from django.utils import timezone


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
    lead_salesforce_id = models.CharField(max_length=18, blank=True)
    task_salesforce_id = models.CharField(max_length=18, blank=True)
    # Salesforce refuses create-only fields (Task.TaskSubtype) once the Task exists.
    task_created = models.BooleanField(default=False)
    # The records a call may add beyond its Lead and Task, each written once.
    follow_up_task_salesforce_id = models.CharField(max_length=18, blank=True)
    callback_task_salesforce_id = models.CharField(max_length=18, blank=True)
    case_salesforce_id = models.CharField(max_length=18, blank=True)
    qualified_event_published_at = models.DateTimeField(null=True, blank=True)
    incomplete = models.BooleanField(default=False, help_text="Last synced without an end-of-call report.")
    synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "leads_syncjob"  # its table from before it moved to crm (crm/migrations/0001_initial.py)
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="syncjob_due_idx"),
            models.Index(fields=["error_code"], name="syncjob_error_idx"),
        ]

    def __str__(self):
        return f"sync of call {self.call_id} ({self.get_state_display()})"


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
