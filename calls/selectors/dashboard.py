"""Reads for the dashboard: calls per day, qualification and disposition mix, call length, sync health."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from calls.models import Call
from calls.selectors.listing import NOT_SCORED, SYNC_WAITING_STATES, clock, day_bounds
from integrations.salesforce.budget import BudgetSnapshot, api_budget
from crm.models import SyncJob
from leads.models import QualificationStatus


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
