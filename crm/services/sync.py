"""Syncing calls to Salesforce: claim due jobs, map, match, write, record every attempt."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from calls.models import Call
from crm.models import SyncAttempt, SyncJob
from crm.services import follow_ups, sync_jobs, synced_records
from crm.services.call_document import call_document
from crm.services.mapping import active_rules, field_info_from_describe, map_call
from crm.services.salesforce_push import CallSync, push
from crm.services.sync_jobs import Claim
from integrations.salesforce.budget import api_budget
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.config import SalesforceConfig
from integrations.salesforce.errors import ErrorKind, NotConfigured, SalesforceError
from leads.models import Qualification
from leads.salesforce_ids import Person
from leads.services import people
from privacy.services import record_call_redactions, redactor_for

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncReport:
    claimed: int = 0
    synced: int = 0
    failed: int = 0
    api_requests: int = 0
    again: tuple[int, ...] = ()  # jobs that changed while in flight: queue them again
    retry: tuple[tuple[int, float], ...] = ()  # (job id, seconds from now)


def run_sync(job_id: int) -> SyncReport:
    claim = sync_jobs.claim_jobs(first_job_id=job_id, limit=settings.CALLSYNC_SYNC_BATCH_SIZE)
    if claim is None:
        return SyncReport()
    config = SalesforceConfig.from_settings()
    if not config.configured:
        sync_jobs.park(claim, state=SyncJob.State.NOT_CONFIGURED, reason=str(NotConfigured(config.missing)))
        return SyncReport(claimed=len(claim.jobs))
    reserve = settings.CALLSYNC_SALESFORCE_API_RESERVE_PERCENT
    if api_budget.below_reserve(reserve):
        snapshot = api_budget.snapshot()
        sync_jobs.park(claim, state=SyncJob.State.WAITING_BUDGET, reason=(
            f"Salesforce API budget under the {reserve:g}% reserve ({snapshot.remaining} of {snapshot.limit} left "
            "today): syncing resumes when the org's budget recovers."))
        return SyncReport(claimed=len(claim.jobs))
    return _sync_claimed(claim, SalesforceClient(config))


def _sync_claimed(claim: Claim, client: SalesforceClient) -> SyncReport:
    started = time.monotonic()
    calls = [job.call for job in claim.jobs]
    with transaction.atomic():
        people.lock_phones(call.customer_number for call in calls if call.customer_number)
        syncs = _prepared(claim)
        _send(client, syncs)
        _remember_people(syncs)
        return _finish(claim, syncs, client.requests_made, time.monotonic() - started)


def _prepared(claim: Claim) -> list[CallSync]:
    known = people.known_people([job.call for job in claim.jobs])
    qualifications = {q.call_id: q for q in Qualification.objects.filter(call__in=[job.call for job in claim.jobs])}
    syncs = []
    for job in claim.jobs:
        job.call.refresh_from_db()  # the state as of now, not as of the claim
        # The call document reads the score too: from this batch query, not one query per call.
        Call.qualification.related.set_cached_value(job.call, qualifications.get(job.call.pk))
        syncs.append(CallSync(job=job, call=job.call, person=known.get(job.call.pk),
                              qualification=qualifications.get(job.call.pk)))
    return syncs


def _send(client: SalesforceClient, syncs: list[CallSync]) -> None:
    try:
        _map(client, syncs)
        _match_new_numbers(client, syncs)
        _learn_owners(syncs)
        push(client, [sync for sync in syncs if sync.error is None])
    except SalesforceError as error:
        for sync in syncs:
            if not sync.task_id:
                sync.fail(error)
    except Exception as exc:  # a defect must not strand the jobs: they retry and show the error
        logger.exception("sync of %d call(s) failed unexpectedly", len(syncs))
        internal = SalesforceError(ErrorKind.TRANSIENT, f"internal error: {exc.__class__.__name__}: {exc}", code="INTERNAL")
        for sync in syncs:
            sync.fail(internal)


def _map(client: SalesforceClient, syncs: list[CallSync]) -> None:
    """Map with the current rules and the org's field limits (describe is cached for a day)."""
    rules = active_rules()
    objects = sorted({rule.target_object for rule in rules})
    field_info = field_info_from_describe({name: client.describe(name) for name in objects})
    for sync in syncs:
        document = call_document(sync.call)
        sync.caller = document["caller"]  # who the follow-ups are about, as the call named them
        redactor = redactor_for(document)
        record_call_redactions(call=sync.call, document=document, redactor=redactor)
        sync.records = map_call(sync.call, field_info=field_info, rules=rules, document=document, redact=redactor)


def _match_new_numbers(client: SalesforceClient, syncs: list[CallSync]) -> None:
    unknown = {sync.phone for sync in syncs if sync.person is None and sync.phone}
    if not unknown:
        return
    found = people.find_by_phone(client, unknown)
    for phone, (person, fields) in found.items():
        people.remember(phone=phone, person=person, fields=fields)
    for sync in syncs:
        if sync.person is None and sync.phone in found:
            sync.person = found[sync.phone][0]


def _learn_owners(syncs: list[CallSync]) -> None:
    """Who owns each person, from the mirror (numbers just looked up are in it already)."""
    owners = people.owners_of(sync.person for sync in syncs if sync.person is not None)
    for sync in syncs:
        if sync.person is not None:
            sync.owner_id = owners.get(sync.person.salesforce_id, "")


def _remember_people(syncs: list[CallSync]) -> None:
    """Every Lead written is remembered, even for a call that failed on its Task."""
    for sync in syncs:
        person = Person.from_id(sync.lead_id)
        if person is None:
            continue
        fields = sync.records.update(person.sobject) if sync.records else {}
        lead = people.remember(phone=sync.phone, person=person, fields=fields)
        if sync.call.lead_id != lead.pk:
            Call.objects.filter(pk=sync.call.pk).update(lead=lead)


def _finish(claim: Claim, syncs: list[CallSync], api_requests: int, seconds: float) -> SyncReport:
    now = timezone.now()
    attempts, again, retry, synced = [], [], [], 0
    synced_records.keep_written(syncs)
    for sync in syncs:
        incomplete = sync.call.report_received_at is None
        if sync.error is None:
            synced += 1
            outcome = SyncAttempt.Outcome.SYNCED
            if sync_jobs.mark_synced(claim, sync.job, incomplete=incomplete):
                again.append(sync.job.pk)
        else:
            outcome = sync_jobs.mark_failed(claim, sync.job, sync.error)
            if outcome != SyncAttempt.Outcome.DEAD:
                retry.append(sync.job.pk)
        attempts.append(_attempt(sync, outcome, claim, len(syncs), api_requests, seconds))
    SyncAttempt.objects.bulk_create(attempts)
    delays = dict(SyncJob.objects.filter(pk__in=retry).values_list("pk", "due_at"))
    logger.info("synced %d of %d call(s) with %d Salesforce request(s) in %.0f ms",
                synced, len(syncs), api_requests, seconds * 1000)
    return SyncReport(
        claimed=len(syncs), synced=synced, failed=len(syncs) - synced, api_requests=api_requests, again=tuple(again),
        retry=tuple((pk, max((due - now).total_seconds(), 0.0)) for pk, due in delays.items()),
    )


def _attempt(sync: CallSync, outcome, claim: Claim, batch_size: int, api_requests: int, seconds: float) -> SyncAttempt:
    error = sync.error
    return SyncAttempt(
        job=sync.job, started_at=claim.started_at, duration_ms=int(seconds * 1000), outcome=outcome,
        batch_size=batch_size, api_requests=api_requests,
        request_summary=_summary(sync, batch_size),
        status_code=error.status if error else None,
        error_code=(error.code or error.kind.value) if error else "",
        error=str(error) if error else "",
    )


def _summary(sync: CallSync, batch_size: int) -> dict:
    """What the attempt sent and got: the fields mapped, the notes, and the id of each record written."""
    # Every role's id under "<role>_id": lead_id and task_id lead the summary, written or not.
    extra_ids = {f"{role}_id": record.salesforce_id for role, record in sync.written.items()}
    objects = [name for name in (sync.records.objects if sync.records else [])
               if name != "Case" or follow_ups.wants_case(sync.call, sync.qualification)]  # support calls only
    return {
        "mode": "single" if batch_size == 1 else "batch",
        "person": f"{sync.person.sobject} {sync.person.salesforce_id}" if sync.person else "new Lead",
        "objects": {name: sorted(sync.records.create(name)) for name in objects},
        "notes": [*(sync.records.notes if sync.records else []), *sync.notes],
        "lead_id": sync.lead_id, "task_id": sync.task_id, **extra_ids,
    }
