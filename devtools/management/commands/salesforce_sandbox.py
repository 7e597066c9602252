"""Run the local Salesforce sandbox in the foreground and print how to connect to it."""

import signal
import threading
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from devtools.salesforce_sandbox import SalesforceSandbox


class Command(BaseCommand):
    help = "Run a local Salesforce-compatible HTTPS server (sandbox org) until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8443)
        parser.add_argument(
            "--cert-dir", type=Path, default=settings.VAR_DIR / "salesforce-sandbox",
            help="where the CA bundle and server certificate are written (new ones on every start)",
        )
        parser.add_argument("--api-version", default="62.0")
        parser.add_argument("--daily-api-limit", type=int, default=15000)

    def handle(self, *args, **options):
        sandbox = SalesforceSandbox(
            host=options["host"], port=options["port"], api_version=options["api_version"],
            daily_api_limit=options["daily_api_limit"], cert_dir=options["cert_dir"],
        ).start()
        stopped = threading.Event()
        # SIGTERM (a process manager) and SIGINT (Ctrl-C, even where a parent
        # shell started us with SIGINT ignored) both stop it cleanly.
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopped.set())
        self._print_connection_details(sandbox)
        try:
            stopped.wait()
        except KeyboardInterrupt:
            pass
        finally:
            sandbox.stop()
            self.stdout.write("Salesforce sandbox stopped.")

    def _print_connection_details(self, sandbox: SalesforceSandbox) -> None:
        details = {
            "Instance URL": sandbox.instance_url,
            "Token URL": sandbox.token_url,
            "CA bundle": sandbox.ca_bundle,
            "API version": sandbox.api_version,
            "Client ID": sandbox.client_id,
            "Client secret": sandbox.client_secret,
            "Username": sandbox.username,
            "Password": sandbox.password,
            "Security token": sandbox.security_token,
        }
        self.stdout.write(self.style.SUCCESS("Salesforce sandbox running (Ctrl-C stops it)"))
        for label, value in details.items():
            self.stdout.write(f"  {label + ':':<16} {value}")
        self.stdout.write(
            "Try: curl --cacert {ca} {url} -d grant_type=client_credentials -d client_id={id} -d client_secret={secret}".format(
                ca=sandbox.ca_bundle, url=sandbox.token_url, id=sandbox.client_id, secret=sandbox.client_secret
            )
        )
