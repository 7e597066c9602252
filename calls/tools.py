"""The registry of in-call tools that Vapi's `tool-calls` messages invoke.

A handler gets the tool's arguments as a dict and a ToolContext, and returns
anything JSON can encode.  It raises ToolError for arguments it cannot use: the
message goes back to the assistant as the tool's result, never as an HTTP error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from calls.models import Call
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
    """The tool's result as the text Vapi hands to the assistant."""
    tool = _registry.get(tool_call.name)
    if tool is None:
        known = ", ".join(sorted(_registry)) or "none"
        return f"Error: unknown tool '{tool_call.name}'. Tools available: {known}."
    if tool_call.arguments is None:
        return f"Error: {tool_call.arguments_error}."
    try:
        with transaction.atomic():  # a failing tool leaves no half-written rows behind
            return _as_text(tool.handler(tool_call.arguments, context))
    except ToolError as exc:
        return f"Error: {exc}"
    except Exception:
        logger.exception("tool %s failed (tool call %s)", tool_call.name, tool_call.id)
        return f"Error: the tool '{tool_call.name}' failed on our side; carry on without it."
