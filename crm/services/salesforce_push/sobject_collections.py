"""Sending a plan through sObject Collections: up to 200 records a request.

Leads first (their ids are needed), then the upserts of each object and key field,
then the records without a key (Platform Events), created in bulk."""

from __future__ import annotations

from collections.abc import Callable

from crm.services.salesforce_push.writes import LeadWrite, Plan, RecordWrite
from integrations.salesforce.batches import chunks
from integrations.salesforce.client import MAX_COLLECTION_RECORDS, SalesforceClient
from integrations.salesforce.errors import SalesforceError, from_error_list

LIMIT = MAX_COLLECTION_RECORDS


def send_collections(client: SalesforceClient, plan: Plan) -> None:
    _send_leads(client, plan.leads)
    ready = [record for record in plan.records if not record.waits_for_lead or record.lead.record_id]
    for record in ready:
        if record.waits_for_lead:
            record.body[record.lead_field] = record.lead.record_id
    upserts = [record for record in ready if record.upserts]
    for sobject, key_field in sorted({(record.sobject, record.key_field) for record in upserts}):
        group = [record for record in upserts if (record.sobject, record.key_field) == (sobject, key_field)]
        _upsert(client, sobject, key_field, group)
    _in_chunks([record for record in ready if not record.upserts], lambda chunk: client.create_many(
        [{"attributes": {"type": record.sobject}, **record.body} for record in chunk]))


def _send_leads(client: SalesforceClient, leads: list[LeadWrite]) -> None:
    creates = [write for write in leads if write.creates]
    updates = [write for write in leads if not write.creates and write.body]
    for write in leads:
        if not write.creates and not write.body:
            write.record_id = write.person.salesforce_id
    _in_chunks(creates, lambda chunk: client.create_many([{"attributes": {"type": "Lead"}, **w.body} for w in chunk]))
    _in_chunks(updates, lambda chunk: client.update_many(
        [{"attributes": {"type": "Lead"}, "Id": w.person.salesforce_id, **w.body} for w in chunk]))


def _upsert(client: SalesforceClient, sobject: str, key_field: str, records: list[RecordWrite]) -> None:
    _in_chunks(records, lambda chunk: client.upsert_many(
        sobject, key_field, [{"attributes": {"type": sobject}, key_field: r.key_value, **r.body} for r in chunk]))


def _in_chunks(writes: list, send: Callable[[list], list[dict]]) -> None:
    for chunk in chunks(writes, LIMIT):
        try:
            results = send(chunk)
        except SalesforceError as error:
            for write in chunk:
                write.error = error
            continue
        for write, result in zip(chunk, results):
            if result.get("success"):
                write.record_id = result.get("id", "")
            else:
                write.error = from_error_list(result.get("errors") or [])
