"""Reads for the manager pages: the call list and its filters, one call in full, the dashboard's numbers.

Every page costs a fixed number of queries whatever the number of rows (select_related for
the list, one query per related table on the detail page), and the list never counts its
rows: "next page" is known by fetching one row more than is shown."""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, Count, Exists, FloatField, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from calls.models import Call, TranscriptSegment, WebhookEvent
from calls.phones import to_e164
from calls.redacted import Shown
from crm.models import SyncAttempt, SyncJob
from integrations.salesforce.budget import BudgetSnapshot, api_budget
from integrations.salesforce.config import SalesforceConfig
from integrations.salesforce.tokens import TokenProvider
from leads.call_facts import COMPANY_KEYS, NAME_KEYS, pick
from leads.models import Dimension, Lead, Qualification, QualificationStatus
from leads.salesforce_ids import Person

# --- the call list -----------------------------------------------------------------------

NOT_SCORED = "none"
PHONE_SHAPED = re.compile(r"^\+?[\d\s().-]{7,}$")
SYNC_WAITING_STATES = (*SyncJob.WAITING, SyncJob.State.IN_FLIGHT)

# The transcript's most complete source first: the end-of-call report holds the whole conversation,
# the others are what arrived before it. The pages and the call document both choose by it.
TRANSCRIPT_SOURCES = (TranscriptSegment.Source.REPORT, TranscriptSegment.Source.CONVERSATION,
                      TranscriptSegment.Source.LIVE)
SPEAKERS = {"user": "Caller", "assistant": "Assistant", "bot": "Assistant"}


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
        return _related(self.call, "qualification")

    @property
    def sync_job(self) -> SyncJob | None:
        return _related(self.call, "sync_job")

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


def _related(call: Call, name: str) -> Any:
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


# --- one call ------------------------------------------------------------------------------

def call_for_detail(*, pk: int) -> Call:
    """Raises Call.DoesNotExist."""
    return (Call.objects.select_related("lead", "qualification__policy", "sync_job")
            .prefetch_related("tool_invocations", "recordings", "disposition_changes__changed_by").get(pk=pk))


@dataclass(frozen=True)
class Utterance:
    speaker: str  # "Caller" or "Assistant"
    role: str
    text: str
    seconds_from_start: float | None

    @property
    def clock(self) -> str:
        return clock(self.seconds_from_start)


def conversation(*, call: Call, shown: Shown | None = None) -> list[Utterance]:
    """The transcript from its most complete source (the same choice as the call document's): one query.
    As `shown` to its viewer (calls/redacted.py: redacted, as stored), raw without one."""
    by_source: dict[str, list[Utterance]] = {}
    rows = TranscriptSegment.objects.filter(call=call).values_list("source", "role", "text", "redacted_text",
                                                                     "seconds_from_start")
    for source, role, text, redacted_text, seconds in rows:
        speaker = SPEAKERS.get(role, role.capitalize() or "Unknown")
        text = shown.segment(text, redacted_text) if shown is not None else text
        by_source.setdefault(source, []).append(Utterance(speaker, role, text.strip(), seconds))
    return next((by_source[source] for source in TRANSCRIPT_SOURCES if source in by_source), [])


def recording_url(call: Call) -> str:
    """Vapi's recording, else Twilio's (from the prefetched recordings); "" when neither may be played."""
    if playable_url(call.recording_url):
        return call.recording_url
    done = [row for row in call.recordings.all() if row.status == "completed" and playable_url(row.url)]
    return max(done, key=lambda row: row.updated_at).url if done else ""


def playable_url(url: str) -> bool:
    """Whether a browser may be handed this address to play or follow: https (http too in DEBUG).

    The address comes from a webhook body, so anyone who can sign one chooses it: a javascript:
    or data: address in an audio element's src or a link would run or show what they wrote."""
    parts = urlsplit(url or "")
    schemes = ("https", "http") if settings.DEBUG else ("https",)
    return parts.scheme.lower() in schemes and bool(parts.hostname)


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: str  # pretty JSON
    result: str
    succeeded: bool
    duration_ms: int
    at: datetime


def tool_calls(call: Call, *, shown: Shown) -> list[ToolCall]:
    """The tools the assistant called, in order (from the prefetched invocations), as `shown` to the viewer."""
    said = [(tool, *shown.tool(tool)) for tool in call.tool_invocations.all()]
    return [ToolCall(tool.name, json.dumps(arguments, indent=2, ensure_ascii=False, sort_keys=True)
                     if arguments is not None else "", result, tool.succeeded, tool.duration_ms,
                     tool.created_at) for tool, arguments, result in said]


@dataclass(frozen=True)
class DimensionEvidence:
    dimension: str
    label: str
    verdict: str  # positive, negative, affirmed..., or "missing"
    weight: int | None
    points: float | None  # credit x weight: what this dimension added to the score
    quote: str
    source: str
    reason: str
    pieces: list[dict[str, Any]] = field(default_factory=list)  # every piece found, the decisive one flagged


def evidence(qualification: Qualification | None) -> list[DimensionEvidence]:
    """Why the call scored as it did, one entry per BANT dimension in B-A-N-T order."""
    if qualification is None:
        return []
    found = qualification.dimensions if isinstance(qualification.dimensions, dict) else {}
    rows = []
    for dimension in Dimension:
        data = found.get(dimension.value) or {}
        weight, credit = data.get("weight"), data.get("credit")
        numbers = isinstance(weight, (int, float)) and isinstance(credit, (int, float))
        pieces = [piece for piece in data.get("evidence") or [] if isinstance(piece, dict)]
        # The decisive piece is copied to the dimension itself; older scores only flag it in the list.
        shown = data if data.get("quote") else next(
            (piece for piece in pieces if piece.get("decisive")), pieces[0] if pieces else {})
        rows.append(DimensionEvidence(
            dimension=dimension.value, label=dimension.label, verdict=str(data.get("verdict") or "missing"),
            weight=weight, points=round(weight * credit, 1) if numbers else None, quote=str(shown.get("quote") or ""),
            source=str(shown.get("source") or ""), reason=str(shown.get("reason") or ""), pieces=pieces))
    return rows


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "webhook", "sync", "disposition", "tool"
    title: str
    status: str = ""
    detail: str = ""


def timeline(*, call: Call) -> list[TimelineEntry]:
    """What happened to the call, oldest first: webhooks received, tool calls, dispositions, sync attempts."""
    events = (WebhookEvent.objects.filter(call=call).order_by("received_at")
              .values_list("received_at", "provider", "event_type", "status", "error")[:500])
    entries = [TimelineEntry(at, "webhook", f"{provider.capitalize()} {event_type or 'event'} received", status, error)
               for at, provider, event_type, status, error in events]
    entries += [TimelineEntry(tool.created_at, "tool", f"Tool call {tool.name}", "ok" if tool.succeeded else "failed",
                              f"{tool.duration_ms} ms") for tool in call.tool_invocations.all()]
    entries += [TimelineEntry(change.changed_at, "disposition", f"Disposition set to {change.get_disposition_display()}",
                              "", change.reason + (f" (by {change.changed_by})" if change.changed_by else ""))
                for change in call.disposition_changes.all()]
    job = _related(call, "sync_job")
    if job is not None:
        for attempt in SyncAttempt.objects.filter(job=job).order_by("started_at")[:200]:
            requests = f"{attempt.api_requests} API request{'s' if attempt.api_requests != 1 else ''}"
            error = f"{attempt.error_code}: {attempt.error}" if attempt.error_code else attempt.error
            entries.append(TimelineEntry(attempt.started_at, "sync", "Salesforce sync attempt", attempt.outcome,
                                         "; ".join(part for part in (requests, error) if part)))
    return sorted(entries, key=lambda entry: entry.at)


@dataclass(frozen=True)
class SalesforceRecord:
    label: str
    sobject: str
    record_id: str
    url: str | None  # None when the org's address is not known here


def salesforce_records(*, job: SyncJob | None) -> list[SalesforceRecord]:
    """The records the call wrote, with links into the org when its address is known."""
    if job is None:
        return []
    instance = known_instance_url()
    person = Person.from_id(job.lead_salesforce_id)
    written = [
        ("Lead" if person is None else person.sobject, person.sobject if person else "Lead", job.lead_salesforce_id),
        ("Call task", "Task", job.task_salesforce_id),
        ("Follow-up task", "Task", job.follow_up_task_salesforce_id),
        ("Callback task", "Task", job.callback_task_salesforce_id),
        ("Case", "Case", job.case_salesforce_id),
    ]
    return [SalesforceRecord(label, sobject, record_id, salesforce_record_url(instance, sobject, record_id))
            for label, sobject, record_id in written if record_id]


def salesforce_record_url(instance_url: str | None, sobject: str, record_id: str) -> str | None:
    if not (instance_url and record_id):
        return None
    return f"{instance_url.rstrip('/')}/lightning/r/{sobject}/{record_id}/view"


def known_instance_url() -> str | None:
    """The org's address from the shared token cache; None rather than a login when no token is cached."""
    # TokenProvider has no public read of the cache without fetching: a page must never log in to Salesforce.
    token = TokenProvider(SalesforceConfig.from_settings()).cached()
    return token.instance_url if token else None


# --- the dashboard ---------------------------------------------------------------------------

class Median(Aggregate):
    """PostgreSQL's exact median; other databases are answered in Python (see median_duration)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class Dashboard:
    date_from: date
    date_to: date
    calls_per_day: list[tuple[date, int]]
    qualification_mix: list[tuple[str, str, int]]  # (status, label, calls); "none" for not scored
    disposition_mix: list[tuple[str, str, int]]  # (disposition, label, calls); "" for none yet
    median_duration_seconds: float | None
    sync_waiting: int
    sync_dead: int
    budget: BudgetSnapshot | None

    @property
    def total_calls(self) -> int:
        return sum(count for _, count in self.calls_per_day)

    @property
    def median_duration(self) -> str:
        return clock(self.median_duration_seconds)

    @property
    def budget_used_percent(self) -> float | None:
        return round(100.0 * self.budget.used / self.budget.limit, 1) if self.budget and self.budget.limit else None


def dashboard(*, date_from: date, date_to: date) -> Dashboard:
    """The numbers for calls created from date_from to date_to (both included); sync health is as of now."""
    start, end = day_bounds(date_from, date_to)
    calls = Call.objects.filter(created_at__gte=start, created_at__lt=end)
    per_day = dict(calls.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
                   .values("day").annotate(n=Count("id")).values_list("day", "n").order_by())
    days = [date_from + timedelta(days=offset) for offset in range((date_to - date_from).days + 1)]
    # From the calls' side: their date index, then each call's score by its unique call_id.
    scored = dict(calls.values("qualification__status").annotate(n=Count("id"))
                  .values_list("qualification__status", "n").order_by())
    mix = [(status, label, scored.get(status, 0)) for status, label in QualificationStatus.choices]
    mix.append((NOT_SCORED, "Not scored", scored.get(None, 0) + scored.get("", 0)))
    dispositions = dict(calls.values("disposition").annotate(n=Count("id")).values_list("disposition", "n")
                        .order_by())
    labels = dict(Call.Disposition.choices)
    disposition_mix = sorted(((value, labels.get(value, value) if value else "Not set yet", count)
                              for value, count in dispositions.items()), key=lambda item: -item[2])
    # Only the states counted, so the (state, due_at) index answers without reading the synced majority.
    jobs = dict(SyncJob.objects.filter(state__in=(*SYNC_WAITING_STATES, SyncJob.State.DEAD))
                .values("state").annotate(n=Count("id")).values_list("state", "n").order_by())
    return Dashboard(date_from=date_from, date_to=date_to,
                     calls_per_day=[(day, per_day.get(day, 0)) for day in days], qualification_mix=mix,
                     disposition_mix=disposition_mix, median_duration_seconds=median_duration(calls),
                     sync_waiting=sum(jobs.get(state, 0) for state in SYNC_WAITING_STATES),
                     sync_dead=jobs.get(SyncJob.State.DEAD, 0), budget=api_budget.snapshot())


def median_duration(calls: QuerySet[Call]) -> float | None:
    """The median length of the calls that have one, computed by the database where it can."""
    timed = calls.filter(duration_seconds__isnull=False)
    if connection.vendor == "postgresql":
        return timed.aggregate(median=Median("duration_seconds"))["median"]
    durations = list(timed.values_list("duration_seconds", flat=True))
    return statistics.median(durations) if durations else None
