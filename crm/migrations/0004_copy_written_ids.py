"""Every non-empty per-role id of every SyncJob becomes a SyncedRecord row; backwards, the rows go
back into the columns (0005, reversed first, has brought them back empty).

Batched by primary key, so a big outbox is never held in memory. The roles and their columns are
written out here rather than read from crm.models.synced: a later role must not change this copy.
A published event kept only its time: its row has that time and no id. Its object is the event
the settings name now, the best record there is of the one it was published as."""

from django.conf import settings
from django.db import migrations
from django.db.models import Q

BATCH = 1000
# role -> the SyncJob column that held its id
ID_COLUMNS = {
    "lead": "lead_salesforce_id",
    "task": "task_salesforce_id",
    "follow_up_task": "follow_up_task_salesforce_id",
    "callback_task": "callback_task_salesforce_id",
    "case": "case_salesforce_id",
}
FIXED_OBJECTS = {"task": "Task", "follow_up_task": "Task", "callback_task": "Task", "case": "Case"}
EVENT, EVENT_COLUMN = "qualified_event", "qualified_event_published_at"
PERSON_BY_PREFIX = {"00Q": "Lead", "003": "Contact"}  # leads/salesforce_ids.py as it is now


def _batches(queryset):
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _sobject(role: str, salesforce_id: str) -> str:
    if role == "lead":
        return PERSON_BY_PREFIX.get(salesforce_id[:3], "Lead")
    return FIXED_OBJECTS[role]


def to_records(apps, schema_editor):
    SyncJob, SyncedRecord = apps.get_model("crm", "SyncJob"), apps.get_model("crm", "SyncedRecord")
    wrote = Q(**{f"{EVENT_COLUMN}__isnull": False})
    for column in ID_COLUMNS.values():
        wrote |= ~Q(**{column: ""})
    event_object = settings.CALLSYNC_QUALIFIED_EVENT or "qualified event"
    for jobs in _batches(SyncJob.objects.filter(wrote)):
        rows = []
        for job in jobs:
            when = job.synced_at or job.updated_at
            for role, column in ID_COLUMNS.items():
                if salesforce_id := getattr(job, column):
                    rows.append(SyncedRecord(job_id=job.pk, role=role, sobject=_sobject(role, salesforce_id),
                                             salesforce_id=salesforce_id, written_at=when))
            if published := getattr(job, EVENT_COLUMN):
                rows.append(SyncedRecord(job_id=job.pk, role=EVENT, sobject=event_object, written_at=published))
        SyncedRecord.objects.bulk_create(rows, ignore_conflicts=True)  # a rerun adds nothing twice


def to_columns(apps, schema_editor):
    SyncJob, SyncedRecord = apps.get_model("crm", "SyncJob"), apps.get_model("crm", "SyncedRecord")
    for jobs in _batches(SyncJob.objects.filter(synced_records__isnull=False).distinct()):
        by_job: dict[int, dict] = {job.pk: {} for job in jobs}
        for record in SyncedRecord.objects.filter(job_id__in=by_job):
            if record.role == EVENT:
                by_job[record.job_id][EVENT_COLUMN] = record.written_at
            elif record.role in ID_COLUMNS:
                by_job[record.job_id][ID_COLUMNS[record.role]] = record.salesforce_id
        for job in jobs:
            for column, value in by_job[job.pk].items():
                setattr(job, column, value)
        SyncJob.objects.bulk_update(jobs, [*ID_COLUMNS.values(), EVENT_COLUMN])
    SyncedRecord.objects.all().delete()  # the table itself goes with 0003 reversed


class Migration(migrations.Migration):

    dependencies = [
        ('crm', '0003_syncedrecord'),
    ]

    operations = [migrations.RunPython(to_records, to_columns)]
