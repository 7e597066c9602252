"""Privacy housekeeping: retention purges (beat) and the Salesforce side of "forget this person".

The tasks keep the names they had in audit/tasks.py: beat's schedule (config/settings.py)
and messages already queued call them by name."""

from celery import shared_task

from audit.models import AuditEntry
from audit.services import record
from crm.selectors import erasable_records
from integrations.salesforce.client import get_client
from integrations.salesforce.config import SalesforceConfig
from integrations.salesforce.errors import SalesforceError
from privacy.retention import purge_expired as purge
from privacy.salesforce_cleanup import clear_in_salesforce


@shared_task(name="audit.tasks.purge_expired", ignore_result=True)
def purge_expired() -> dict:
    """Beat: delete what is past its retention window, in batches; the audit log says what went."""
    report = purge()
    if report.calls_scrubbed or report.webhook_bodies_cleared:
        record(action=AuditEntry.Action.PURGE_EXPIRED, operator="beat", target="retention", **report.as_dict())
    return report.as_dict()


@shared_task(name="audit.tasks.forget_in_salesforce", bind=True, ignore_result=True, max_retries=10)
def forget_in_salesforce(self, lead_ids: list[str], call_ids: list[str],
                         records: dict[str, list[str]] | None = None) -> int:
    """Blank what was said in Salesforce for a forgotten caller; transient failures retry with backoff.

    `records` are the ids the calls' syncs wrote, as the erasure found them; a message queued
    before it sent them names the calls by Vapi id, and their records are read from the jobs."""
    if not SalesforceConfig.from_settings().configured:
        return 0
    if records is None:
        records = erasable_records(vapi_call_ids=call_ids)
    try:
        with get_client() as client:
            return clear_in_salesforce(client, lead_ids=lead_ids, records=records)
    except SalesforceError as error:
        if not error.retryable:
            raise
        raise self.retry(exc=error, countdown=min(2 ** self.request.retries * 30, 3600)) from error
