"""The registry of in-call tools that Vapi's `tool-calls` messages invoke.

A handler gets the tool's arguments as a dict and a ToolContext, and returns
anything JSON can encode.  It raises ToolError for arguments it cannot use: the
message goes back to the assistant as the tool's result, never as an HTTP error.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from calls.models import Call, ToolInvocation
from integrations.vapi.messages import ToolCall

logger = logging.getLogger(__name__)


class ToolError(Exception):
    """The arguments are unusable; the message tells the assistant what to fix."""


@dataclass(frozen=True)
class ToolContext:
    call: Call | None
    customer_number: str


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    parameters: dict  # JSON schema of the arguments, as Vapi's tool definitions take it
    handler: Callable[[dict, ToolContext], Any]


_registry: dict[str, Tool] = {}


def register(name: str, *, description: str, parameters: dict):
    def decorator(handler):
        _registry[name] = Tool(name=name, description=description, parameters=parameters, handler=handler)
        return handler

    return decorator


def registered_tools() -> list[Tool]:
    return sorted(_registry.values(), key=lambda tool: tool.name)


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def run_tool_call(tool_call: ToolCall, context: ToolContext) -> str:
    """The tool's result as the text Vapi hands to the assistant.

    Every invocation is stored with its arguments and result. Vapi may deliver the same
    tool call twice; with a call to attach it to, the second delivery gets the stored
    answer and the tool does not run again (a callback is not booked twice)."""
    with transaction.atomic():
        if context.call is not None and tool_call.id:
            # Serialises the tools of one call: a redelivery waits for the first answer.
            Call.objects.select_for_update().filter(pk=context.call.pk).first()
            earlier = ToolInvocation.objects.filter(call=context.call, tool_call_id=tool_call.id).first()
            if earlier is not None:
                return earlier.result
        invocation = ToolInvocation.objects.create(
            call=context.call, tool_call_id=tool_call.id, name=tool_call.name[:100], arguments=tool_call.arguments,
        )
        started = time.monotonic()
        invocation.result, invocation.succeeded = _run(tool_call, context)
        invocation.duration_ms = int((time.monotonic() - started) * 1000)
        invocation.save(update_fields=["result", "succeeded", "duration_ms"])
        return invocation.result


def _run(tool_call: ToolCall, context: ToolContext) -> tuple[str, bool]:
    tool = _registry.get(tool_call.name)
    if tool is None:
        known = ", ".join(sorted(_registry)) or "none"
        return f"Error: unknown tool '{tool_call.name}'. Tools available: {known}.", False
    if tool_call.arguments is None:
        return f"Error: {tool_call.arguments_error}.", False
    try:
        with transaction.atomic():  # a failing tool leaves no half-written rows behind
            return _as_text(tool.handler(tool_call.arguments, context)), True
    except ToolError as exc:
        return f"Error: {exc}", False
    except Exception:
        logger.exception("tool %s failed (tool call %s)", tool_call.name, tool_call.id)
        return f"Error: the tool '{tool_call.name}' failed on our side; carry on without it.", False
