"""Sending a plan as one Composite request (at most 25 subrequests, one API call).

Records that name a Lead created in the same request get its id by reference
(`@{lead0.id}`); allOrNone is off, so every success is kept even when a neighbour fails."""

from __future__ import annotations

from crm.services.salesforce_push.writes import LeadWrite, Plan, RecordWrite
from integrations.salesforce.client import SalesforceClient, record_path
from integrations.salesforce.errors import from_error_list

LIMIT = 25


def send_composite(client: SalesforceClient, plan: Plan) -> None:
    subrequests: list[dict] = []
    targets: dict[str, LeadWrite | RecordWrite] = {}
    references: dict[LeadWrite, str] = {}
    for index, write in enumerate(plan.leads):
        if not write.body and not write.creates:
            write.record_id = write.person.salesforce_id  # nothing new to say about this Lead
            continue
        reference = references[write] = f"lead{index}"
        url = "sobjects/Lead" if write.creates else record_path("Lead", write.person.salesforce_id)
        subrequests.append({"method": "POST" if write.creates else "PATCH", "url": client.api_path(url),
                            "referenceId": reference, "body": write.body})
        targets[reference] = write
    for index, record in enumerate(plan.records):
        reference = f"{record.role}{index}"
        body = dict(record.body)
        if record.waits_for_lead:
            body[record.lead_field] = "@{%s.id}" % references[record.lead]
        subrequests.append({"method": record.method, "url": client.api_path(record.path), "referenceId": reference,
                            "body": body})
        targets[reference] = record
    if not subrequests:
        return
    for reply in client.composite(subrequests, all_or_none=False):
        write = targets.get(reply.get("referenceId"))
        if write is not None:
            _record_reply(write, reply.get("httpStatusCode", 500), reply.get("body"))


def _record_reply(write: LeadWrite | RecordWrite, status: int, body) -> None:
    if 200 <= status < 300:
        identifier = body.get("id", "") if isinstance(body, dict) else ""
        updated_lead = isinstance(write, LeadWrite) and write.person is not None
        write.record_id = identifier or (write.person.salesforce_id if updated_lead else "")
    else:
        write.error = from_error_list(body if isinstance(body, list) else [], status)
