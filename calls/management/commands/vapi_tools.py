"""Print the in-call tools as Vapi tool definitions, ready for Vapi's dashboard or `POST /tool`."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from calls.tools import registered_tools

# Every tool answers from the local database in well under a second; a longer wait
# means something is wrong, and the assistant should carry on without the tool.
DEFAULT_TIMEOUT_SECONDS = 5


class Command(BaseCommand):
    help = "Print the JSON definitions of callsync's in-call tools for Vapi (one array; --name for one tool)."

    def add_arguments(self, parser):
        parser.add_argument("--name", help="Print this tool only.")
        parser.add_argument("--server-url", help="Where Vapi sends tool-calls (default: PUBLIC_BASE_URL + the "
                                                 "Vapi webhook path).")
        parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT_SECONDS,
                            help=f"Seconds Vapi waits for an answer (default {DEFAULT_TIMEOUT_SECONDS}).")

    def handle(self, *args, name=None, server_url=None, timeout=DEFAULT_TIMEOUT_SECONDS, **options):
        tools = registered_tools()
        if name is not None:
            tools = [tool for tool in tools if tool.name == name]
            if not tools:
                known = ", ".join(tool.name for tool in registered_tools())
                raise CommandError(f"No tool named '{name}'. Tools: {known}.")
        url = server_url or (settings.PUBLIC_BASE_URL.rstrip("/") + reverse("vapi-webhook")
                             if settings.PUBLIC_BASE_URL else "")
        if not url:
            self.stderr.write("PUBLIC_BASE_URL is not set: pass --server-url, or set the URL in Vapi by hand.")
        definitions = [_definition(tool, url, timeout) for tool in tools]
        self.stdout.write(json.dumps(definitions[0] if name else definitions, indent=2))


def _definition(tool, url: str, timeout: int) -> dict:
    definition = {
        "type": "function",
        "async": False,
        "function": {"name": tool.name, "description": tool.description, "parameters": tool.parameters},
    }
    if url:
        definition["server"] = {"url": url, "timeoutSeconds": timeout}
    return definition
