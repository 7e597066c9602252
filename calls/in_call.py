"""Answers to the Vapi messages that wait for one while the caller is on the line."""

from __future__ import annotations

from django.conf import settings

from calls.models import Call
from calls.phones import to_e164
from calls.tools import ToolContext, run_tool_call
from integrations.vapi import messages as vapi
from leads.selectors import lead_for_phone


def answer(message: vapi.VapiMessage, call: Call | None) -> dict | None:
    """The JSON body Vapi expects back, or None for messages that need no answer."""
    if isinstance(message, vapi.ToolCallsRequest):
        return _tool_results(message, call)
    if message.type == vapi.ASSISTANT_REQUEST:
        return _assistant(message)
    if message.type == vapi.TRANSFER_DESTINATION_REQUEST:
        return _transfer_destination()
    return None


def _customer_number(message: vapi.VapiMessage) -> str:
    return to_e164(message.call.customer_number) if message.call else ""


def _tool_results(message: vapi.ToolCallsRequest, call: Call | None) -> dict:
    context = ToolContext(call=call, customer_number=_customer_number(message))
    results = [
        {"toolCallId": tool_call.id, "name": tool_call.name, "result": run_tool_call(tool_call, context)}
        for tool_call in message.tool_calls
    ]
    if message.type == vapi.FUNCTION_CALL:  # the legacy message takes a single result
        return {"result": results[0]["result"] if results else "Error: no function in the request."}
    return {"results": results}


def _assistant(message: vapi.VapiMessage) -> dict:
    if not settings.VAPI_ASSISTANT_ID:
        # Vapi speaks `error` to the caller; the missing setting is in the server log.
        return {"error": "Sorry, we cannot take your call right now. Please try again later."}
    number = _customer_number(message)
    variables = {"customerNumber": number} if number else {}
    lead = lead_for_phone(number) if number else None
    if lead is not None:
        variables.update(
            {
                "leadId": lead.salesforce_id or "",
                "firstName": lead.first_name,
                "lastName": lead.last_name,
                "company": lead.company,
                "ownerName": lead.owner_name,
            }
        )
    response = {"assistantId": settings.VAPI_ASSISTANT_ID}
    if variables:
        response["assistantOverrides"] = {"variableValues": variables}
    return response


def _transfer_destination() -> dict:
    if not settings.FALLBACK_PHONE_NUMBER:
        return {"error": "No one is available to take a transfer right now."}
    return {
        "destination": {
            "type": "number",
            "number": settings.FALLBACK_PHONE_NUMBER,
            "message": "Please hold while I connect you with a member of our team.",
        }
    }
