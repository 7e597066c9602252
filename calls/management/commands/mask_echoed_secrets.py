from django.core.management.base import BaseCommand

from calls.models import Call, WebhookEvent
from calls.services.webhook_events import mask_stored_secrets


class Command(BaseCommand):
    help = ("Mask the credentials Vapi echoes in bodies (servers' secrets, auth headers, credentials) in stored "
            "webhook events and calls. Migration calls.0011 does it once; run this after a deploy for rows written "
            "meanwhile by processes still on the old code. Safe to run twice.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="Rows read at a time (default 500).")

    def handle(self, *args, batch, **options):
        counts = mask_stored_secrets(WebhookEvent, Call, batch=batch)
        self.stdout.write(f"Masked echoed credentials in {counts['events_masked']} of {counts['events']} stored "
                          f"webhook events and {counts['calls_masked']} calls.")
