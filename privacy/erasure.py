"""Erasing everything held about one person: "forget this person" (GDPR/CCPA).

Their calls lose what was said (privacy/scrubbing.py), their number and raw requests; the
mirror's Leads for the number go; other rows that name them are scrubbed. What Salesforce
holds is cleared afterwards by a task (privacy/salesforce_cleanup.py, privacy/tasks.py)."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.db.models import Func, Q, TextField, Value
from django.db.models.functions import Cast

from audit.models import AuditEntry
from audit.services import record
from calls.models import Call, ToolInvocation, WebhookEvent
from crm.models import SyncAttempt
from crm.selectors import erasable_records
from leads.models import Lead
from privacy.fields import EncryptedJSONField, EncryptedTextField
from privacy.scrubbing import ERASED, scrub_calls
from privacy.tasks import forget_in_salesforce

logger = logging.getLogger(__name__)

_NOT_DIGITS = re.compile(r"\D")


def phone_fingerprint(phone: str) -> str:
    """What the audit keeps of a forgotten number: enough to match a later request, not to dial it."""
    return "sha256:" + hashlib.sha256(phone.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Forgotten:
    calls: int
    leads: int
    webhook_events: int
    tool_invocations: int  # in other calls, that named the person (a look-up of them, say)
    audit_entries: int  # whose details named the number (an export's search), now its fingerprint
    salesforce_lead_ids: tuple[str, ...]
    salesforce_call_ids: tuple[str, ...]  # the calls' Vapi ids
    # By object, the ids of what the calls' syncs wrote that holds what was said (their Tasks, Cases).
    salesforce_records: dict[str, list[str]]


def forget_phone(*, phone: str) -> Forgotten:
    """Remove or scrub everything callsync holds for a number: afterwards nothing is found by it,
    nor by the person's name or company.

    Calls keep their rows (times, disposition, score) with the number, the words and the
    raw requests gone; the mirror's Leads for the number are deleted. Other calls that named
    the person (a look-up of them) lose those tool invocations' arguments and results, and
    audit entries keep their place with the number replaced by its fingerprint."""
    with transaction.atomic():
        leads = list(Lead.objects.select_for_update().filter(phone_e164=phone))
        mentions = _Mentions(phone, leads)
        calls = Call.objects.select_for_update().filter(Q(customer_number=phone) | Q(lead__in=leads))
        call_ids = list(calls.values_list("pk", flat=True))
        vapi_ids = tuple(calls.exclude(vapi_call_id=None).values_list("vapi_call_id", flat=True))
        scrub_calls(call_ids)
        Call.objects.filter(pk__in=call_ids).update(customer_number="", customer_number_raw="", variable_values={},
                                                    metadata={}, outcome="", lead=None)
        event_count = _clear_webhook_events(call_ids, mentions)
        tool_count = _scrub_tool_invocations(call_ids, mentions)
        audit_count = _scrub_audit_entries(mentions)
        SyncAttempt.objects.filter(job__call_id__in=call_ids).update(request_summary={})
        lead_ids = tuple(lead.salesforce_id for lead in leads if lead.salesforce_id)
        records = erasable_records(call_ids=call_ids)
        Lead.objects.filter(pk__in=[lead.pk for lead in leads]).delete()
    logger.info("forgot a caller: %d call(s), %d lead(s), %d webhook event(s), %d tool invocation(s) and %d audit "
                "entry(ies) elsewhere", len(call_ids), len(leads), event_count, tool_count, audit_count)
    return Forgotten(calls=len(call_ids), leads=len(leads), webhook_events=event_count, tool_invocations=tool_count,
                     audit_entries=audit_count, salesforce_lead_ids=lead_ids, salesforce_call_ids=vapi_ids,
                     salesforce_records=records)


class _Mentions:
    """Whether a text names the person: their number in any spelling, their name, company or Lead id."""

    def __init__(self, phone: str, leads: list[Lead]):
        self.phone = phone
        self.national = phone_digits(phone, national=True)
        words = {lead.full_name for lead in leads} | {lead.company for lead in leads} \
            | {lead.salesforce_id or "" for lead in leads}
        # A word this short would match everywhere: the number and the longer words still find the person.
        self.words = sorted(word.casefold() for word in words if len(word.strip()) >= 4)

    def __call__(self, text: str) -> bool:
        if not text:
            return False
        folded = text.casefold()
        if self.phone in text or (self.national and self.national in text) or any(w in folded for w in self.words):
            return True
        # Other spellings ("(512) 555-0142"): the slow matcher runs only on texts whose digits hold the number.
        return self.national in _NOT_DIGITS.sub("", text) and bool(phone_spans(text, self.phone))


def phone_digits(phone: str, *, national: bool = False) -> str:
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return phone.lstrip("+")
    return phonenumbers.national_significant_number(number) if national else phone.lstrip("+")


def phone_spans(text: str, phone: str) -> list[tuple[int, int]]:
    """Where `text` writes the number, in any spelling: E.164, national, grouped, bare digits."""
    matcher = phonenumbers.PhoneNumberMatcher(text, settings.CALLSYNC_DEFAULT_REGION,
                                              leniency=phonenumbers.Leniency.POSSIBLE)
    return [(match.start, match.end) for match in matcher
            if phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164) == phone]


def _without_person(value: Any, mentions: _Mentions, fingerprint: str) -> Any:
    """The value with every spelling of the number replaced by its fingerprint, and the person's
    name, company and Lead id by the erased marker."""
    if isinstance(value, dict):
        return {key: _without_person(item, mentions, fingerprint) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_person(item, mentions, fingerprint) for item in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        replaced = _without_person(str(value), mentions, fingerprint)
        return value if replaced == str(value) else replaced
    if not isinstance(value, str):
        return value
    for start, end in reversed(phone_spans(value, mentions.phone)):
        value = value[:start] + fingerprint + value[end:]
    for word in mentions.words:
        value = re.sub(re.escape(word), ERASED, value, flags=re.IGNORECASE)
    return value


def _clear_webhook_events(call_ids: list[int], mentions: _Mentions) -> int:
    """Clear the calls' raw requests, and any other that names the person (a rejected one, another
    call's look-up of them). Bodies are encrypted, so they are read here rather than searched."""
    others = [event.pk for event in WebhookEvent.objects.exclude(call_id__in=call_ids).exclude(body="")
              .only("pk", "body").order_by("pk").iterator(chunk_size=500) if mentions(event.body)]
    events = WebhookEvent.objects.filter(Q(call_id__in=call_ids) | Q(pk__in=others))
    return events.update(body="", headers={}, provider_call_id="")


def _scrub_tool_invocations(call_ids: list[int], mentions: _Mentions) -> int:
    """In other calls, erase the tool invocations that named the person: every encrypted column
    (arguments, result, any redacted copy) is blanked; the row, tool name and timing stay."""
    spoken = [field for field in ToolInvocation._meta.concrete_fields
              if isinstance(field, (EncryptedTextField, EncryptedJSONField))]
    found = [invocation.pk for invocation in ToolInvocation.objects.exclude(call_id__in=call_ids)
             .only("pk", *(field.name for field in spoken)).order_by("pk").iterator(chunk_size=500)
             if any(mentions(_as_text(getattr(invocation, field.name))) for field in spoken)]
    blank = {field.name: None if field.null else "" for field in spoken}
    return ToolInvocation.objects.filter(pk__in=found).update(**{**blank, "result": ERASED}) if found else 0


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _scrub_audit_entries(mentions: _Mentions) -> int:
    """Audit entries that name the person (an export's search for their number or name) keep their
    place in the log, with the number replaced by the fingerprint the erasure's own entry names."""
    details = Cast("details", TextField())
    digits_only = Func(details, Value("[^0-9]"), Value(""), Value("g"), function="regexp_replace",
                       output_field=TextField())
    named = Q(digits__contains=mentions.national) | Q(target__contains=mentions.national)
    for word in mentions.words:
        named |= Q(details_text__icontains=word) | Q(target__icontains=word)
    candidates = AuditEntry.objects.annotate(digits=digits_only, details_text=details).filter(named)
    fingerprint = phone_fingerprint(mentions.phone)
    scrubbed = 0
    for entry in candidates.only("pk", "details", "target"):
        changed = {"details": _without_person(entry.details, mentions, fingerprint),
                   "target": _without_person(entry.target, mentions, fingerprint)}
        if changed != {"details": entry.details, "target": entry.target}:
            AuditEntry.objects.filter(pk=entry.pk).update(**changed)  # the one edit an entry ever gets
            scrubbed += 1
    return scrubbed


def forget_caller(*, phone: str, actor=None, operator: str = "", request=None) -> Forgotten:
    """"Forget this person": erase locally, record who asked, and queue the Salesforce clean-up."""
    with transaction.atomic():
        forgotten = forget_phone(phone=phone)
        record(action=AuditEntry.Action.FORGET_CALLER, actor=actor, request=request, target=phone_fingerprint(phone),
               operator=operator, calls=forgotten.calls, leads=forgotten.leads,
               webhook_events=forgotten.webhook_events, tool_invocations=forgotten.tool_invocations,
               audit_entries=forgotten.audit_entries, salesforce=settings.CALLSYNC_FORGET_IN_SALESFORCE)
        if settings.CALLSYNC_FORGET_IN_SALESFORCE == "clear-transcripts" and (
                forgotten.salesforce_lead_ids or forgotten.salesforce_call_ids or forgotten.salesforce_records):
            lead_ids, call_ids = list(forgotten.salesforce_lead_ids), list(forgotten.salesforce_call_ids)
            records = forgotten.salesforce_records
            transaction.on_commit(lambda: _queue_salesforce_clean_up(lead_ids, call_ids, records))
    return forgotten


def _queue_salesforce_clean_up(lead_ids: list[str], call_ids: list[str], records: dict[str, list[str]]) -> None:
    try:
        forget_in_salesforce.delay(lead_ids, call_ids, records)
    except Exception as exc:  # the local erasure stands; the audit entry says Salesforce was asked
        logger.error("Salesforce clean-up of a forgotten caller not queued (%s): run forget_caller again",
                     exc.__class__.__name__)
