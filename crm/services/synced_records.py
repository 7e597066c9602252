"""Keeping what a sync wrote: the SyncedRecord rows of a batch of calls, in one statement.

What Salesforce accepted is kept whether the call's sync succeeded or not: a published event
must never go out twice, and erasure finds a Task by the id it was given. An id already
stored costs nothing, so a call synced again writes no row unless Salesforce gave a new id."""

from __future__ import annotations

from crm.models import ROLES, SyncedRecord
from crm.services.salesforce_push import CallSync


def keep_written(syncs: list[CallSync]) -> None:
    changed, gone = [], []
    for sync in syncs:
        stored = sync.job.written
        for role, record in sync.written.items():
            known = stored.get(role)
            if known is None or (known.sobject, known.salesforce_id) != (record.sobject, record.salesforce_id):
                changed.append(record)
        if sync.error is None:  # a successful sync names the person afresh, or none (a call without a number)
            gone += [known.pk for role, known in stored.items()
                     if ROLES[role].replaced_each_sync and role not in sync.written]
    if changed:
        # Upserted on (job, role): a sync never adds a second row for a role, however often it runs.
        SyncedRecord.objects.bulk_create(changed, update_conflicts=True, unique_fields=["job", "role"],
                                         update_fields=["sobject", "salesforce_id", "written_at"])
    if gone:
        SyncedRecord.objects.filter(pk__in=gone).delete()
