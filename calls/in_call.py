"""Answers to the Vapi messages that wait for one while the caller is on the line."""

from __future__ import annotations

import logging

from django.conf import settings

from calls.models import Call
from calls.phones import to_e164
from calls.tools import ToolContext, run_tool_call
from integrations.vapi import messages as vapi
from leads.services import routing

logger = logging.getLogger(__name__)


def answer(message: vapi.VapiMessage, call: Call | None) -> dict | None:
    """The JSON body Vapi expects back, or None for messages that need no answer."""
    if isinstance(message, vapi.ToolCallsRequest):
        return _tool_results(message, call)
    if message.type == vapi.ASSISTANT_REQUEST:
        return _assistant(message, call)
    if message.type == vapi.TRANSFER_DESTINATION_REQUEST:
        return _transfer_destination(message, call)
    if message.type == vapi.KNOWLEDGE_BASE_REQUEST:
        # callsync keeps no knowledge base: no documents, so the assistant answers from its own
        # prompt and model, as if the custom knowledge base had found nothing.
        return {"documents": []}
    return None


def _customer_number(message: vapi.VapiMessage) -> str:
    return to_e164(message.call.customer_number) if message.call else ""


def _tool_results(message: vapi.ToolCallsRequest, call: Call | None) -> dict:
    context = ToolContext(call=call, customer_number=_customer_number(message))
    results = []
    for position, tool_call in enumerate(message.tool_calls):
        if not tool_call.id:  # legacy function-call: its message's time names it across redeliveries
            tool_call = vapi.ToolCall(
                id=f"{message.type}:{int(message.timestamp_ms or 0)}:{position}", name=tool_call.name,
                arguments=tool_call.arguments, arguments_error=tool_call.arguments_error)
        results.append({"toolCallId": tool_call.id, "name": tool_call.name,
                        "result": run_tool_call(tool_call, context)})
    if message.type == vapi.FUNCTION_CALL:  # the legacy message takes a single result
        return {"result": results[0]["result"] if results else "Error: no function in the request."}
    return {"results": results}


def _assistant(message: vapi.VapiMessage, call: Call | None) -> dict:
    if not settings.VAPI_ASSISTANT_ID:
        # Vapi speaks `error` to the caller; the missing setting is in the server log.
        logger.error("assistant-request refused: set VAPI_ASSISTANT_ID")
        return {"error": "Sorry, we cannot take your call right now. Please try again later."}
    variables = routing.caller_variables(customer_number=_customer_number(message), call=call)
    response = {"assistantId": settings.VAPI_ASSISTANT_ID}
    if variables:
        response["assistantOverrides"] = {"variableValues": variables}
    return response


def _transfer_destination(message: vapi.VapiMessage, call: Call | None) -> dict:
    transfer = routing.transfer_for(call=call, customer_number=_customer_number(message))
    if transfer is None:
        logger.info("transfer declined for call %s: no rep and no default line", message.call_id)
        return {"error": routing.REFUSAL}
    logger.info("transfer of call %s: %s", message.call_id, transfer.reason)
    return {"destination": {"type": "number", "number": transfer.number, "message": transfer.message}}
