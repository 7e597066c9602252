"""Reads for one call's page: the call with its related rows, the conversation, tools, evidence,
timeline and the Salesforce records it wrote; one query per related table."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from calls.models import Call, TranscriptSegment, WebhookEvent
from calls.redacted import Shown
from calls.selectors.listing import clock, related
from crm.models import ROLES, Role, SyncAttempt, SyncedRecord, SyncJob
from integrations.salesforce.config import SalesforceConfig
from integrations.salesforce.tokens import TokenProvider
from leads.models import Dimension, Qualification


# The transcript's most complete source first: the end-of-call report holds the whole conversation,
# the others are what arrived before it. The pages and the call document both choose by it.
TRANSCRIPT_SOURCES = (TranscriptSegment.Source.REPORT, TranscriptSegment.Source.CONVERSATION,
                      TranscriptSegment.Source.LIVE)
SPEAKERS = {"user": "Caller", "assistant": "Assistant", "bot": "Assistant"}


def call_for_detail(*, pk: int) -> Call:
    """Raises Call.DoesNotExist."""
    return (Call.objects.select_related("lead", "qualification__policy", "sync_job")
            .prefetch_related("tool_invocations", "recordings", "disposition_changes__changed_by",
                              "sync_job__synced_records").get(pk=pk))


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
    job = related(call, "sync_job")
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
    written = [job.written[role] for role in Role if role in job.written and ROLES[role].shown]
    return [SalesforceRecord(_label(record), record.sobject, record.salesforce_id,
                             salesforce_record_url(instance, record.sobject, record.salesforce_id))
            for record in written if record.salesforce_id]


def _label(record: SyncedRecord) -> str:
    # A role whose object each write decides (the person) is named by that object: Lead or Contact.
    return record.get_role_display() if record.facts.sobject else record.sobject


def salesforce_record_url(instance_url: str | None, sobject: str, record_id: str) -> str | None:
    if not (instance_url and record_id):
        return None
    return f"{instance_url.rstrip('/')}/lightning/r/{sobject}/{record_id}/view"


def known_instance_url() -> str | None:
    """The org's address from the shared token cache; None rather than a login when no token is cached."""
    # TokenProvider has no public read of the cache without fetching: a page must never log in to Salesforce.
    token = TokenProvider(SalesforceConfig.from_settings()).cached()
    return token.instance_url if token else None
