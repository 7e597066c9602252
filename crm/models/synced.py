"""What a call's sync wrote in Salesforce: one row per record, and the roles, declared once.

A new kind of record a call writes is one `Role` and one line of `ROLES`; the sync, the admin,
the manager pages and erasure all read them from here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    """Why a call wrote a record. The values are also the attempt summary's keys (`<role>_id`)."""

    LEAD = "lead", "Lead or Contact"
    CALL_TASK = "task", "Call task"
    FOLLOW_UP = "follow_up_task", "Follow-up task"
    CALLBACK = "callback_task", "Callback task"
    CASE = "case", "Case"
    EVENT = "qualified_event", "Qualified event"


@dataclass(frozen=True)
class RoleFacts:
    # The object it is written as; "" when each write decides (a Lead or a Contact; the event's name).
    sobject: str
    # Shown with a link on the manager pages (a Platform Event has no record page to link to).
    shown: bool = True
    # Erasure blanks what was said in it, by its stored id; Platform Events cannot be updated.
    erasable: bool = True
    # The person of each successful sync replaces the last; every other id, once known, stays.
    replaced_each_sync: bool = False


ROLES: dict[Role, RoleFacts] = {
    Role.LEAD: RoleFacts(sobject="", replaced_each_sync=True),
    Role.CALL_TASK: RoleFacts(sobject="Task"),
    Role.FOLLOW_UP: RoleFacts(sobject="Task"),
    Role.CALLBACK: RoleFacts(sobject="Task"),
    Role.CASE: RoleFacts(sobject="Case"),
    Role.EVENT: RoleFacts(sobject="", shown=False, erasable=False),
}


class SyncedRecord(models.Model):
    """One record a call's sync wrote: its role, its object and the id Salesforce gave it.

    One row per job and role: syncing the call again updates the row, never adds one. A
    published event may have no id (events published before this table kept only the time)."""

    Role = Role

    job = models.ForeignKey("crm.SyncJob", on_delete=models.CASCADE, related_name="synced_records")
    role = models.CharField(max_length=24, choices=Role.choices)
    sobject = models.CharField(max_length=80)
    salesforce_id = models.CharField(max_length=18, blank=True)
    written_at = models.DateTimeField(default=timezone.now, help_text="When Salesforce gave this id.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "role"], name="syncedrecord_one_per_role")]
        indexes = [models.Index(fields=["salesforce_id"], name="syncedrecord_id_idx")]  # the admin's search
        ordering = ["job", "role"]
        verbose_name = "synced record"

    def __str__(self):
        return f"{self.get_role_display()}: {self.sobject} {self.salesforce_id or '(no id)'}"

    @property
    def facts(self) -> RoleFacts:
        return ROLES[Role(self.role)]
