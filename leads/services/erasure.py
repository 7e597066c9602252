"""Erasing what callers said: the words behind scores, and everything held about one person.

A score stays explainable in shape (each dimension's verdict, credit and source) after the
caller's words are gone; the quote is replaced by a marker."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from calls.models import Call, WebhookEvent
from integrations.salesforce.batches import chunks
from integrations.salesforce.client import MAX_COLLECTION_RECORDS
from integrations.salesforce.soql import literal
from leads.models import Lead, Qualification, SyncAttempt

logger = logging.getLogger(__name__)

ERASED = "[erased]"
SPOKEN_KEYS = ("quote", "value", "keywords")


def _without_words(item: Any) -> Any:
    if isinstance(item, dict):
        return {key: (ERASED if key in SPOKEN_KEYS and value not in (None, "") else _without_words(value))
                for key, value in item.items()}
    if isinstance(item, list):
        return [_without_words(value) for value in item]
    return item


def scrub_quotes(call_ids: list[int]) -> int:
    """Replace the quotes and values in these calls' scores; the numbers and verdicts stay."""
    scrubbed = 0
    for qualification in Qualification.objects.filter(call_id__in=call_ids).only("pk", "dimensions",
                                                                                  "intent_evidence"):
        qualification.dimensions = _without_words(qualification.dimensions)
        qualification.intent_evidence = _without_words(qualification.intent_evidence)
        qualification.save(update_fields=["dimensions", "intent_evidence"])
        scrubbed += 1
    return scrubbed


def phone_fingerprint(phone: str) -> str:
    """What the audit keeps of a forgotten number: enough to match a later request, not to dial it."""
    return "sha256:" + hashlib.sha256(phone.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Forgotten:
    calls: int
    leads: int
    webhook_events: int
    salesforce_lead_ids: tuple[str, ...]
    salesforce_call_ids: tuple[str, ...]  # Task keys (Vapi call ids) whose descriptions Salesforce holds


def forget_phone(*, phone: str) -> Forgotten:
    """Remove or scrub everything callsync holds for a number: afterwards nothing is found by it.

    Calls keep their rows (times, disposition, score) with the number, the words and the
    raw requests gone; the mirror's Leads for the number are deleted."""
    from calls.services.retention import scrub_calls  # calls' own scrubbing; leads builds on calls

    with transaction.atomic():
        leads = list(Lead.objects.select_for_update().filter(phone_e164=phone))
        calls = Call.objects.select_for_update().filter(Q(customer_number=phone) | Q(lead__in=leads))
        call_ids = list(calls.values_list("pk", flat=True))
        vapi_ids = tuple(calls.exclude(vapi_call_id=None).values_list("vapi_call_id", flat=True))
        scrub_calls(call_ids)
        Call.objects.filter(pk__in=call_ids).update(customer_number="", customer_number_raw="", variable_values={},
                                                    metadata={}, outcome="", lead=None)
        # A raw request names the number even when it never became a call (a rejected one, say);
        # bodies are encrypted, so those are read here rather than searched in the database.
        unlinked = [event.pk for event in WebhookEvent.objects.filter(call__isnull=True).exclude(body="")
                    .only("pk", "body").iterator(chunk_size=500) if phone in event.body or phone[2:] in event.body]
        events = WebhookEvent.objects.filter(Q(call_id__in=call_ids) | Q(pk__in=unlinked))
        event_count = events.update(body="", headers={}, provider_call_id="")
        SyncAttempt.objects.filter(job__call_id__in=call_ids).update(request_summary={})
        lead_ids = tuple(lead.salesforce_id for lead in leads if lead.salesforce_id)
        Lead.objects.filter(pk__in=[lead.pk for lead in leads]).delete()
    logger.info("forgot a caller: %d call(s), %d lead(s), %d webhook event(s)", len(call_ids), len(leads),
                event_count)
    return Forgotten(calls=len(call_ids), leads=len(leads), webhook_events=event_count,
                     salesforce_lead_ids=lead_ids, salesforce_call_ids=vapi_ids)


# --- Salesforce ----------------------------------------------------------------------------

# Mapping sources that carry what was said; their Salesforce fields are cleared on request.
SPOKEN_SOURCES = ("transcript", "call.summary", "analysis.")


def spoken_fields() -> dict[str, set[str]]:
    """Per object, the fields callsync fills with what was said (from the enabled mappings)."""
    from leads.models import FieldMapping

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


def forget_caller(*, phone: str, actor=None, operator: str = "", request=None) -> Forgotten:
    """"Forget this person": erase locally, record who asked, and queue the Salesforce clean-up."""
    from audit.models import AuditEntry
    from audit.services import record

    with transaction.atomic():
        forgotten = forget_phone(phone=phone)
        record(action=AuditEntry.Action.FORGET_CALLER, actor=actor, request=request, target=phone_fingerprint(phone),
               operator=operator, calls=forgotten.calls, leads=forgotten.leads,
               webhook_events=forgotten.webhook_events, salesforce=settings.CALLSYNC_FORGET_IN_SALESFORCE)
        if settings.CALLSYNC_FORGET_IN_SALESFORCE == "clear-transcripts" and (
                forgotten.salesforce_lead_ids or forgotten.salesforce_call_ids):
            lead_ids, call_ids = list(forgotten.salesforce_lead_ids), list(forgotten.salesforce_call_ids)
            transaction.on_commit(lambda: _queue_salesforce_clean_up(lead_ids, call_ids))
    return forgotten


def _queue_salesforce_clean_up(lead_ids: list[str], call_ids: list[str]) -> None:
    from audit.tasks import forget_in_salesforce

    try:
        forget_in_salesforce.delay(lead_ids, call_ids)
    except Exception as exc:  # the local erasure stands; the audit entry says Salesforce was asked
        logger.error("Salesforce clean-up of a forgotten caller not queued (%s): run forget_caller again",
                     exc.__class__.__name__)
