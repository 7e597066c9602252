"""Writing a batch of calls to Salesforce: their people (Leads), their own Task, and what else
each call adds (follow-up and callback Tasks, a Case, a Platform Event: see call_records).

One plan, two ways to send it. A plan that fits in one Composite request (a call or a
few) goes in one API request; bigger batches go through sObject Collections, up to 200
records a request. Every success is kept even when a neighbour fails, so a retry
never creates a record twice: Leads are remembered in the mirror, Tasks and Cases are
upserted by keys derived from the call's id, and a published event is recorded (crm.SyncedRecord)."""

from __future__ import annotations

from crm.services.salesforce_push.composite import LIMIT as COMPOSITE_LIMIT
from crm.services.salesforce_push.composite import send_composite
from crm.services.salesforce_push.outcome import settle
from crm.services.salesforce_push.planning import plan_push
from crm.services.salesforce_push.sobject_collections import send_collections
from crm.services.salesforce_push.writes import CallSync, LeadWrite, Plan, RecordWrite
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.errors import SalesforceError

__all__ = ["CallSync", "LeadWrite", "Plan", "RecordWrite", "plan_push", "push"]


def push(client: SalesforceClient, syncs: list[CallSync]) -> Plan:
    """Send the plan; results and errors land on the writes and on each CallSync."""
    plan = plan_push(syncs)
    try:
        if plan.size <= COMPOSITE_LIMIT:
            send_composite(client, plan)
        else:
            send_collections(client, plan)
    except SalesforceError as error:  # the request as a whole failed: whatever has no result shares it
        for write in [*plan.leads, *plan.records]:
            if not write.record_id and write.error is None:
                write.error = error
    settle(plan)
    return plan
