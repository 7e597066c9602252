"""Calls that went silent: Vapi does not retry a failed delivery, so a lost end-of-call
report is fetched from Vapi's API; a call Vapi cannot tell us about is closed with
what is known and synced as incomplete."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from calls.models import Call, Provider
from calls.services.call_records import advance_status, fill_blank
from calls.services.reprocess import reprocess_event
from calls.services.webhook_events import record_event
from crm.services.outbox import request_sync
from integrations.vapi.client import VapiApiError, get_client
from integrations.vapi.messages import report_envelope_from_api_call
from leads.services.qualification import qualify
from observability.logs import call_context

logger = logging.getLogger(__name__)

SILENT_REASON = "callsync-silent"
# Vapi may say a silent call is still going (a long call, with transcript events off);
# past this many silences it is closed anyway.
GIVE_UP_AFTER_SILENCES = 8
LOOK_BACK = timedelta(days=7)


def silent_calls(now=None):
    """Calls without a report that no provider event reached for a while. The clock is
    `last_provider_event_at`, which only the appliers move: a sync, a redaction or a person's edit
    writes the call without making it look alive."""
    now = now or timezone.now()
    silence = timedelta(minutes=settings.CALLSYNC_CALL_SILENCE_MINUTES)
    return Call.objects.filter(
        report_received_at__isnull=True, finalized_at__isnull=True, last_provider_event_at__lt=now - silence,
        last_provider_event_at__gt=now - LOOK_BACK,
    ).order_by("last_provider_event_at")


def finalize_silent_calls(limit: int = 100) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    for call_id, vapi_call_id in silent_calls().values_list("pk", "vapi_call_id")[:limit]:
        with call_context(vapi_call_id or str(call_id)):
            outcome = finalize_call(call_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    if outcomes:
        logger.info("finalised silent calls: %s", outcomes)
    return outcomes


def finalize_call(call_id: int) -> str:
    call = Call.objects.get(pk=call_id)
    if call.vapi_call_id and settings.VAPI_API_KEY:
        try:
            fetched = _vapi_client().get_call(call.vapi_call_id)
        except VapiApiError as exc:
            logger.warning("call %s: Vapi could not be asked for its report (%s)", call_id, exc)
        else:
            if fetched.get("status") == Call.Status.ENDED:
                _apply_fetched_report(call, fetched)
                return "report fetched"
            silent_for = timezone.now() - call.last_provider_event_at
            if silent_for < timedelta(minutes=settings.CALLSYNC_CALL_SILENCE_MINUTES) * GIVE_UP_AFTER_SILENCES:
                return "still in progress at Vapi"
    _close_incomplete(call_id)
    return "closed incomplete"


def _vapi_client():
    return get_client(settings.VAPI_BASE_URL, settings.VAPI_API_KEY, settings.VAPI_API_TIMEOUT_SECONDS)


def _apply_fetched_report(call: Call, fetched: dict) -> None:
    """Stored like a webhook, then applied by the webhook's own services."""
    envelope = report_envelope_from_api_call(fetched)
    event = record_event(
        provider=Provider.VAPI, path=f"GET /call/{call.vapi_call_id}", headers={}, body=json.dumps(envelope),
        remote_addr=None, event_type="end-of-call-report", provider_call_id=call.vapi_call_id,
        dedupe_key=f"{call.vapi_call_id}:end-of-call-report",
    )
    reprocess_event(event)
    Call.objects.filter(pk=call.pk).update(finalized_at=timezone.now())


def _close_incomplete(call_id: int) -> None:
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call_id)
        if call.report_received_at is not None:
            return  # the report arrived meanwhile
        now = timezone.now()
        changed = advance_status(call, Call.Status.ENDED, now) + fill_blank(call, ended_reason=SILENT_REASON, ended_at=now)
        call.finalized_at = now
        call.save(update_fields=[*set(changed), "finalized_at", "updated_at"])
        qualify(call=call, final=True)  # what was learned before the call went silent, marked incomplete
        request_sync(call=call)
