from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Who did something sensitive, to what, and when. Written once, never edited."""

    class Action(models.TextChoices):
        VIEW_RAW_TRANSCRIPT = "view_raw_transcript", "Viewed a raw transcript"
        EXPORT_CSV = "export_csv", "Exported calls as CSV"
        CHANGE_MAPPING = "change_mapping", "Changed a field mapping"
        CHANGE_POLICY = "change_policy", "Changed a qualification policy"
        REPLAY_JOBS = "replay_jobs", "Replayed sync jobs"
        FORGET_CALLER = "forget_caller", "Forgot a caller"
        PURGE_EXPIRED = "purge_expired", "Purged expired data"
        LOGIN_FAILED = "login_failed", "Failed to log in"
        LOCKED_OUT = "locked_out", "Locked out after failed logins"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    # Kept apart from the user row: the record outlives an account that is deleted.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices, db_index=True)
    target = models.CharField(max_length=255, blank=True, help_text="What it was done to, e.g. 'Call 42'.")
    details = models.JSONField(default=dict, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'system'}: {self.get_action_display()} {self.target}"
