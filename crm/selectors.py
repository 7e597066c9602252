"""Reads of what the sync wrote, for the apps above crm (privacy's erasure)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from crm.models import ROLES, SyncedRecord


def erasable_records(*, call_ids: Iterable[int] = (), vapi_call_ids: Iterable[str] = ()) -> dict[str, list[str]]:
    """By object, the ids of the records these calls' syncs wrote that hold what was said.

    From the stored ids, so nothing is searched in Salesforce by a key that sales ops may since
    have changed in the mapping."""
    calls = Q(job__call_id__in=list(call_ids)) | Q(job__call__vapi_call_id__in=list(vapi_call_ids))
    rows = (SyncedRecord.objects.filter(calls, role__in=[role for role, facts in ROLES.items() if facts.erasable])
            .exclude(salesforce_id="").order_by("pk").values_list("sobject", "salesforce_id"))
    found: dict[str, list[str]] = {}
    for sobject, salesforce_id in rows:
        found.setdefault(sobject, []).append(salesforce_id)
    return found
