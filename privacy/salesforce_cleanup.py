"""The Salesforce side of "forget this person": blank what was said in the records callsync wrote.

Queued by privacy/erasure.py once the local erasure commits, run by privacy/tasks.py."""

from __future__ import annotations

from crm.models import FieldMapping
from integrations.salesforce.batches import chunks
from integrations.salesforce.client import MAX_COLLECTION_RECORDS

# Mapping sources that carry what was said; their Salesforce fields are cleared on request.
SPOKEN_SOURCES = ("transcript", "call.summary", "analysis.")


def spoken_fields() -> dict[str, set[str]]:
    """Per object, the fields callsync fills with what was said (from the enabled mappings)."""
    fields: dict[str, set[str]] = {"Task": {"Description"}}  # follow-up Tasks quote the caller too
    for mapping in FieldMapping.objects.filter(enabled=True):
        if mapping.source.startswith(SPOKEN_SOURCES):
            fields.setdefault(mapping.target_object, set()).add(mapping.target_field)
    return fields


def clear_in_salesforce(client, *, lead_ids: list[str], records: dict[str, list[str]]) -> int:
    """Blank the spoken fields of these Leads and of the calls' records; returns records changed.

    `records` are the ids the calls' syncs wrote, by object (crm.selectors.erasable_records): the
    records are updated by id, never searched for, so a changed upsert key in the mapping cannot
    send the clean-up to the wrong field. Nothing is created; what Salesforce no longer has is skipped."""
    fields = spoken_fields()
    wanted = {sobject: list(ids) for sobject, ids in records.items()}
    wanted["Lead"] = list(dict.fromkeys([*lead_ids, *wanted.get("Lead", [])]))  # the mirror's and the calls'
    return sum(_clear(client, sobject, ids, fields.get(sobject, set())) for sobject, ids in wanted.items())


def _clear(client, sobject: str, ids: list[str], fields: set[str]) -> int:
    if not ids or not fields:
        return 0
    changed = 0
    for batch in chunks(ids, MAX_COLLECTION_RECORDS):
        records = [{"attributes": {"type": sobject}, "Id": record_id, **dict.fromkeys(sorted(fields))}
                   for record_id in batch]
        changed += sum(1 for result in client.update_many(records) if result.get("success"))
    return changed
