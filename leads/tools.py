"""In-call tools about leads, answered from the local mirror."""

from calls.phones import to_e164
from calls.tools import ToolContext, ToolError, register
from leads.selectors import lead_for_phone, lead_for_salesforce_id


@register(
    "lookup_lead",
    description="Look up the caller (or a given phone number or Salesforce lead id) in the CRM.",
    parameters={
        "type": "object",
        "properties": {
            "phone": {"type": "string", "description": "Phone number; defaults to the caller's."},
            "lead_id": {"type": "string", "description": "Salesforce Lead id."},
        },
    },
)
def lookup_lead(arguments: dict, context: ToolContext) -> dict:
    lead_id = arguments.get("lead_id")
    phone = arguments.get("phone")
    if lead_id is not None and not isinstance(lead_id, str):
        raise ToolError("lead_id must be a string.")
    if phone is not None and not isinstance(phone, str):
        raise ToolError("phone must be a string.")
    if phone and not to_e164(phone):
        raise ToolError(f"'{phone}' is not a phone number.")
    number = to_e164(phone) if phone else context.customer_number
    lead = lead_for_salesforce_id(lead_id) if lead_id else lead_for_phone(number)
    if lead is None:
        return {"found": False, "message": "No lead on record for this caller."}
    return {
        "found": True,
        "leadId": lead.salesforce_id or "",
        "name": lead.full_name,
        "company": lead.company,
        "owner": lead.owner_name,
        "lastContactedAt": lead.last_contacted_at.isoformat() if lead.last_contacted_at else None,
    }
