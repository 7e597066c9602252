"""Reads for the call list (and its CSV export): filters, one row per call, pages without counting.

The list costs a fixed number of queries whatever the number of rows (select_related), and it
never counts its rows: "next page" is known by fetching one row more than is shown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from calls.models import Call
from calls.phones import to_e164
from crm.models import SyncJob
from leads.models import Lead, Qualification
from leads.call_facts import COMPANY_KEYS, NAME_KEYS, pick

NOT_SCORED = "none"
PHONE_SHAPED = re.compile(r"^\+?[\d\s().-]{7,}$")
SYNC_WAITING_STATES = (*SyncJob.WAITING, SyncJob.State.IN_FLIGHT)


class SyncState:
    SYNCED = "synced"
    WAITING = "waiting"
    DEAD = "dead"
    INCOMPLETE = "incomplete"
    CHOICES = [(SYNCED, "Synced"), (WAITING, "Waiting"), (DEAD, "Dead letter"),
               (INCOMPLETE, "Incomplete (no end-of-call report)")]
    FILTERS = {
        SYNCED: Q(sync_job__state=SyncJob.State.SYNCED),
        WAITING: Q(sync_job__state__in=SYNC_WAITING_STATES),
        DEAD: Q(sync_job__state=SyncJob.State.DEAD),
        INCOMPLETE: Q(sync_job__incomplete=True),
    }


@dataclass(frozen=True)
class CallFilters:
    """What the list shows; blank fields filter nothing. Dates are days in the site's time zone."""

    query: str = ""
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""
    disposition: str = ""
    qualification_status: str = ""  # a QualificationStatus, or NOT_SCORED
    score_min: int | None = None
    score_max: int | None = None
    direction: str = ""
    sync_state: str = ""


def calls_for_list(*, filters: CallFilters) -> QuerySet[Call]:
    """Newest first, with the lead, score and sync job joined in (one query for any page)."""
    calls = (Call.objects.select_related("lead", "qualification", "sync_job")
             .defer("variable_values", "metadata", "summary", "success_evaluation", "next_steps",
                    "qualification__dimensions", "qualification__intent_evidence")
             .order_by("-created_at", "-id"))
    if filters.query:
        calls = calls.filter(_search(filters.query))
    start, end = day_bounds(filters.date_from, filters.date_to)
    if start:
        calls = calls.filter(created_at__gte=start)
    if end:
        calls = calls.filter(created_at__lt=end)
    exact = {"status": filters.status, "disposition": filters.disposition, "direction": filters.direction}
    calls = calls.filter(**{name: value for name, value in exact.items() if value})
    if filters.qualification_status == NOT_SCORED:  # an anti-join: "IS NULL OR blank" would scan every call
        calls = calls.exclude(Exists(Qualification.objects.filter(call=OuterRef("pk")).exclude(status="")))
    elif filters.qualification_status:
        calls = calls.filter(qualification__status=filters.qualification_status)
    if filters.score_min is not None:
        calls = calls.filter(qualification__score__gte=filters.score_min)
    if filters.score_max is not None:
        calls = calls.filter(qualification__score__lte=filters.score_max)
    if filters.sync_state in SyncState.FILTERS:
        calls = calls.filter(SyncState.FILTERS[filters.sync_state])
    return calls


def _search(text: str) -> Q:
    """A phone number in any format, else a call id, else words of the lead's name or company (each must match).

    Each kind is its own indexed look-up: one OR across them would make PostgreSQL filter every call."""
    text = text.strip()
    if PHONE_SHAPED.match(text) and (phone := to_e164(text)):
        return Q(customer_number=phone)
    exact = list(Call.objects.filter(Q(vapi_call_id=text) | Q(twilio_call_sid=text)).values_list("pk", flat=True)[:2])
    if exact:
        return Q(pk__in=exact)
    leads = Lead.objects.all()
    for word in text.split():
        leads = leads.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(company__icontains=word))
    return Q(lead_id__in=leads.values("id"))


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """[start of first day, start of the day after last) as aware datetimes: `last` is included."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone) if first else None
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone) if last else None
    return start, end


@dataclass(frozen=True)
class CallRow:
    """One line of the list (and of the CSV export)."""

    call: Call

    @property
    def lead(self) -> Lead | None:
        return self.call.lead

    @property
    def qualification(self) -> Qualification | None:
        return related(self.call, "qualification")

    @property
    def sync_job(self) -> SyncJob | None:
        return related(self.call, "sync_job")

    @property
    def caller_name(self) -> str:
        return caller_name(lead_name=self.lead.full_name if self.lead else "", structured=self.call.structured_data)

    @property
    def company(self) -> str:
        return company(lead_company=self.lead.company if self.lead else "", structured=self.call.structured_data)

    @property
    def duration(self) -> str:
        return clock(self.call.duration_seconds)

    @property
    def sync_state(self) -> str:
        job = self.sync_job
        return sync_state(job.state if job else None)


def caller_name(*, lead_name: str, structured: Any) -> str:
    """The lead's name, else the name the caller gave the assistant."""
    return lead_name or _said(structured, NAME_KEYS)


def company(*, lead_company: str, structured: Any) -> str:
    return lead_company or _said(structured, COMPANY_KEYS)


def sync_state(job_state: str | None) -> str:
    """synced, waiting, dead, or "" before the call has a sync job."""
    if not job_state:
        return ""
    if job_state == SyncJob.State.SYNCED:
        return SyncState.SYNCED
    return SyncState.DEAD if job_state == SyncJob.State.DEAD else SyncState.WAITING


def related(call: Call, name: str) -> Any:
    """A reverse one-to-one that may be missing (select_related caches the absence: no query)."""
    try:
        return getattr(call, name)
    except (Qualification.DoesNotExist, SyncJob.DoesNotExist):
        return None


def _said(structured: Any, keys: tuple[str, ...]) -> str:
    value = pick(structured, *keys) if isinstance(structured, dict) else None
    return value if isinstance(value, str) else ""


def clock(seconds: float | None) -> str:
    """m:ss (h:mm:ss past an hour); "" when unknown."""
    if seconds is None:
        return ""
    minutes, second = divmod(int(round(seconds)), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}" if hours else f"{minute}:{second:02d}"


EXPORT_FIELDS = ("pk", "created_at", "vapi_call_id", "twilio_call_sid", "direction", "status", "customer_number",
                 "structured_data", "duration_seconds", "disposition", "ended_reason", "lead__first_name",
                 "lead__last_name", "lead__company", "qualification__score", "qualification__status",
                 "qualification__intent", "sync_job__state", "sync_job__incomplete")


def calls_for_export(*, filters: CallFilters) -> Iterator[dict[str, Any]]:
    """The filtered calls as plain values, streamed: model instances would cost eight times as much per row."""
    return calls_for_list(filters=filters).values(*EXPORT_FIELDS).iterator(chunk_size=2000)


@dataclass(frozen=True)
class CallPage:
    rows: list[CallRow]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def call_page(calls: QuerySet[Call], *, number: int, per_page: int) -> CallPage:
    """One page without COUNT(*): a count over 100,000 filtered rows would cost more than the page."""
    number = max(number, 1)
    offset = (number - 1) * per_page
    found = list(calls[offset:offset + per_page + 1])
    return CallPage(rows=[CallRow(call) for call in found[:per_page]], number=number, has_next=len(found) > per_page)
