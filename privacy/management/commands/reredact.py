from django.core.management.base import BaseCommand

from calls.services.transcripts import redact_stored


class Command(BaseCommand):
    help = ("Redact what calls said as it is shown to those who may not see it raw. By default fills what is "
            "missing (stored before redactions were kept, or after an upgrade); --all redoes every call after the "
            "redaction engine learned new kinds. Safe to run twice, and while webhooks arrive.")

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Redo every redaction, not only missing ones.")
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, **options):
        calls, segments = redact_stored(everything=options["all"], batch_size=options["batch_size"])
        self.stdout.write(f"{calls} call(s) redacted again, {segments} transcript segment(s).")
