"""The Salesforce side of "forget this person": blank what was said in the records callsync wrote.

Queued by privacy/erasure.py once the local erasure commits, run by privacy/tasks.py."""

from __future__ import annotations

from integrations.salesforce.batches import chunks
from integrations.salesforce.client import MAX_COLLECTION_RECORDS
from integrations.salesforce.soql import literal
from crm.models import FieldMapping

# Mapping sources that carry what was said; their Salesforce fields are cleared on request.
SPOKEN_SOURCES = ("transcript", "call.summary", "analysis.")


def spoken_fields() -> dict[str, set[str]]:
    """Per object, the fields callsync fills with what was said (from the enabled mappings)."""
    fields: dict[str, set[str]] = {"Task": {"Description"}}  # follow-up Tasks quote the caller too
    for mapping in FieldMapping.objects.filter(enabled=True):
        if mapping.source.startswith(SPOKEN_SOURCES):
            fields.setdefault(mapping.target_object, set()).add(mapping.target_field)
    return fields


def clear_in_salesforce(client, *, lead_ids: list[str], call_ids: list[str]) -> int:
    """Blank the spoken fields of these Leads and of the calls' Tasks and Cases; returns records changed.

    Records are found by id or by their Vapi call key (including the follow-up and callback
    Tasks); nothing is created, and what Salesforce no longer has is skipped."""
    fields = spoken_fields()
    changed = _clear(client, "Lead", lead_ids, fields.get("Lead", set()))
    keys = [key for call_id in call_ids for key in (call_id, f"{call_id}:follow-up", f"{call_id}:callback")]
    for sobject in ("Task", "Case"):
        if fields.get(sobject) and keys:
            found = _ids_by_call_key(client, sobject, keys)
            changed += _clear(client, sobject, found, fields[sobject])
    return changed


def _ids_by_call_key(client, sobject: str, keys: list[str]) -> list[str]:
    found = []
    for batch in chunks(keys, MAX_COLLECTION_RECORDS):
        quoted = ", ".join(literal(key) for key in batch)
        found += [row["Id"] for row in client.query(f"SELECT Id FROM {sobject} WHERE Vapi_Call_Id__c IN ({quoted})")]
    return found


def _clear(client, sobject: str, ids: list[str], fields: set[str]) -> int:
    if not ids or not fields:
        return 0
    changed = 0
    for batch in chunks(ids, MAX_COLLECTION_RECORDS):
        records = [{"attributes": {"type": sobject}, "Id": record_id, **dict.fromkeys(sorted(fields))}
                   for record_id in batch]
        changed += sum(1 for result in client.update_many(records) if result.get("success"))
    return changed
