"""A qualification campaign: the AI assistant calls a batch of leads, at a steady rate.

    python manage.py qualify_leads --status Open --limit 50 --rate 1/s [--dry-run]

Leads that may not be called (Do Not Call, no consent, no valid phone, called recently)
are skipped with their reason; a call Vapi refuses counts as failed, and the campaign
goes on either way. --limit bounds the calls attempted; the summary counts them all.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from leads.management.pacing import Pacer, seconds_between
from leads.models import Lead
from leads.services.outbound import (
    CallingUnavailable,
    LeadNotCallable,
    ensure_lead_callable,
    ensure_vapi_configured,
    start_qualification_call,
)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above zero")
    return value


def rate_interval(text: str) -> float:
    try:
        return seconds_between(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def describe(lead: Lead) -> str:
    """A lead as the operator finds it in the admin; never its phone number."""
    parts = [f"lead {lead.pk}", lead.salesforce_id or "", lead.full_name]
    return " ".join(part for part in parts if part)


def counts(counter: Counter) -> str:
    """"consent_unknown 3, do_not_call 1": the most frequent first, ties in alphabetical order."""
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{reason} {number}" for reason, number in ranked)


@dataclass
class Tally:
    started: int = 0
    skipped: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)

    @property
    def attempted(self) -> int:
        return self.started + sum(self.failed.values())

    def summary(self, *, dry_run: bool = False) -> str:
        lines = [f"{'Would start' if dry_run else 'Started'} {self.started} call(s)."]
        if self.skipped:
            lines.append(f"Skipped {sum(self.skipped.values())}: {counts(self.skipped)}.")
        if self.failed:
            lines.append(f"Failed {sum(self.failed.values())}: {counts(self.failed)}.")
        return " ".join(lines)


class Command(BaseCommand):
    help = "Start AI qualification calls through Vapi for a batch of leads, at a steady rate."

    def add_arguments(self, parser):
        parser.add_argument("--status", default="",
                            help='Lead Status to call, matched at its start and in any case: "Open" matches '
                                 '"Open - Not Contacted". Default: every status.')
        parser.add_argument("--limit", type=positive_int, default=50,
                            help="Most calls to attempt (default 50). Skipped leads do not count.")
        parser.add_argument("--rate", type=rate_interval, default="1/s",
                            help="Most calls started per second, minute or hour: 1/s (default), 30/m, 100/h.")
        parser.add_argument("--dry-run", action="store_true",
                            help="List who would be called and why the others would be skipped; call no one.")

    def handle(self, *args, status: str, limit: int, rate: float, dry_run: bool, **options):
        self.verbosity = options["verbosity"]
        self.progress_stream = options.get("stderr") or sys.stderr
        leads = Lead.objects.order_by("created_at", "pk")
        if status:
            leads = leads.filter(status__istartswith=status)
        if dry_run:
            self._warn_if_vapi_not_configured()
            tally = self._dry_run(leads, limit)
            self.stdout.write(tally.summary(dry_run=True))
            return
        try:
            ensure_vapi_configured()
        except CallingUnavailable as exc:
            raise CommandError(exc.message) from exc
        tally = Tally()
        try:
            self._campaign(leads, limit, Pacer(rate), tally)
        except KeyboardInterrupt:
            self.stderr.write("Interrupted: no further calls started.")
        self.stdout.write(tally.summary())

    def _warn_if_vapi_not_configured(self) -> None:
        try:
            ensure_vapi_configured()
        except CallingUnavailable as exc:
            self.stderr.write(f"Without a dry run this would stop here: {exc.message}")

    def _dry_run(self, leads, limit: int) -> Tally:
        tally = Tally()
        for lead in leads.iterator(chunk_size=200):
            if tally.started >= limit:
                break
            try:
                ensure_lead_callable(lead=lead)
            except LeadNotCallable as exc:
                tally.skipped[exc.code] += 1
                self.stdout.write(f"Would skip {describe(lead)}: {exc.message}")
            else:
                tally.started += 1
                self.stdout.write(f"Would call {describe(lead)}")
        return tally

    def _campaign(self, leads, limit: int, pacer: Pacer, tally: Tally) -> None:
        progress = tqdm(total=min(limit, leads.count()), unit="call", desc="Qualification calls",
                        file=self.progress_stream)
        with progress:
            for lead in leads.iterator(chunk_size=200):
                if tally.attempted >= limit:
                    break
                self._call(lead, pacer, tally, progress)
                progress.set_postfix(skipped=sum(tally.skipped.values()), failed=sum(tally.failed.values()))

    def _note(self, line: str) -> None:
        tqdm.write(line, file=self.progress_stream)  # above the bar, not through it

    def _call(self, lead: Lead, pacer: Pacer, tally: Tally, progress: tqdm) -> None:
        try:
            ensure_lead_callable(lead=lead)  # a skip costs no wait; the service checks again under lock
            pacer.wait()
            call = start_qualification_call(lead=lead)
        except LeadNotCallable as exc:
            tally.skipped[exc.code] += 1
            if self.verbosity >= 2:
                self._note(f"Skipped {describe(lead)}: {exc.message}")
            return
        except CallingUnavailable as exc:
            tally.failed[exc.code] += 1
            self._note(f"Failed {describe(lead)}: {exc.message}")
        else:
            tally.started += 1
            if self.verbosity >= 2:
                self._note(f"Called {describe(lead)}: Vapi call {call.vapi_call_id}")
        progress.update(1)
