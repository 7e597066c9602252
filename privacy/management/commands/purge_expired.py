from django.core.management.base import BaseCommand

from audit.models import AuditEntry
from audit.services import record
from privacy.retention import purge_expired


class Command(BaseCommand):
    help = ("Delete transcripts, recording links and raw webhook bodies past their retention windows "
            "(CALLSYNC_RETENTION_*). Calls and their scores stay. Beat runs this every hour.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would go, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        report = purge_expired(dry_run=dry_run)
        verb = "Would scrub" if dry_run else "Scrubbed"
        self.stdout.write(
            f"{verb} {report.calls_scrubbed} call(s) older than {report.transcript_cutoff[:10]} "
            f"({report.segments_deleted} transcript segment(s)); "
            f"{'would clear' if dry_run else 'cleared'} {report.webhook_bodies_cleared} raw webhook body(ies) "
            f"older than {report.webhook_cutoff[:10]}.")
        if not dry_run and (report.calls_scrubbed or report.webhook_bodies_cleared):
            record(action=AuditEntry.Action.PURGE_EXPIRED, operator="manage.py purge_expired", target="retention",
                   **report.as_dict())
