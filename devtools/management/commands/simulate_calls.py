"""Replay realistic Vapi and Twilio traffic against a running callsync and report what it did."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from devtools.simulation.events import build_calls, pick_scenarios
from devtools.simulation.scenarios import SCENARIOS
from devtools.simulation.sender import Credentials, Sender
from devtools.simulation.sync_check import sync_outcome, wait_until_synced
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.config import SalesforceConfig


class Command(BaseCommand):
    help = (
        "Send simulated calls (signed Vapi server messages and Twilio status callbacks, from the recorded "
        "fixtures) to a running callsync, then print throughput, latency per message type and errors; with "
        "--wait-sync, also how the calls reached Salesforce (synced, duplicates, API requests, latency)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--calls", type=int, default=100, help="how many calls (default 100)")
        parser.add_argument("--concurrency", type=int, default=10, help="calls on the line at once (default 10)")
        parser.add_argument("--target", default="http://127.0.0.1:8000", help="the app's base URL")
        parser.add_argument("--scenario", default="mix", choices=["mix", *SCENARIOS],
                            help="one scenario for every call, or a weighted mix (default)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed sends the same calls")
        parser.add_argument("--secret", default=None,
                            help="Vapi HMAC secret (default: the VAPI_WEBHOOK_HMAC_SECRET setting)")
        parser.add_argument("--twilio-token", default=None,
                            help="Twilio auth token (default: TWILIO_AUTH_TOKEN; empty: no Twilio callbacks)")
        parser.add_argument("--wait-sync", type=float, default=0.0, metavar="SECONDS",
                            help="after sending, wait up to this long for every call to reach Salesforce")
        parser.add_argument("--salesforce-url", default="",
                            help="the org to count duplicates in (default: SALESFORCE_LOGIN_URL)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        secret = settings.VAPI_WEBHOOK_HMAC_SECRET if options["secret"] is None else options["secret"]
        if not secret:
            raise CommandError("No Vapi HMAC secret: pass --secret or set VAPI_WEBHOOK_HMAC_SECRET.")
        if options["calls"] < 1 or options["concurrency"] < 1:
            raise CommandError("--calls and --concurrency must be at least 1.")
        token = settings.TWILIO_AUTH_TOKEN if options["twilio_token"] is None else options["twilio_token"]
        credentials = Credentials(secret, token, settings.PUBLIC_BASE_URL)
        calls = build_calls(pick_scenarios(options["scenario"], options["calls"], seed=options["seed"]),
                            seed=options["seed"])
        total = sum(1 for call in calls for request in call.requests if request.provider == "vapi" or token)
        self.stdout.write(f"Sending {len(calls)} calls ({total} requests) to {options['target']}, "
                          f"{options['concurrency']} at a time" + ("" if token else "; no Twilio token: Vapi only"))
        with tqdm(total=total, unit="req", disable=options["no_progress"], file=self.stderr) as progress, \
                Sender(options["target"], credentials, concurrency=options["concurrency"]) as sender:
            stats = sender.send_calls(calls, on_request=lambda: progress.update())
        for line in stats.lines():
            self.stdout.write(line)
        if options["wait_sync"] > 0:
            self._report_sync(calls, options["wait_sync"], options["salesforce_url"])

    def _report_sync(self, calls, timeout: float, salesforce_url: str) -> None:
        config = SalesforceConfig.from_settings()
        if salesforce_url:
            config = dataclasses.replace(config, login_url=salesforce_url.rstrip("/"))
        if not config.configured:
            raise CommandError(f"Salesforce is not configured: set {', '.join(config.missing)}.")
        call_ids = [call.call_id for call in calls]
        waited = wait_until_synced(call_ids, timeout=timeout)
        with SalesforceClient(config) as client:
            outcome = sync_outcome(call_ids, [call.number for call in calls], client, waited=waited)
        for line in outcome.lines():
            self.stdout.write(line)
