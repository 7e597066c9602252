"""Outbound qualification calls: the AI assistant dials a lead through Vapi.

A lead is dialled only when it may be: it has a phone number, is not marked Do Not Call,
has the consent CALLSYNC_OUTBOUND_CONSENT asks for, and has not been called (nor called
us) within CALLSYNC_OUTBOUND_MIN_HOURS_BETWEEN_CALLS. The lead's row stays locked from
those checks until the new call is recorded, so two requests for one lead start one call;
the Vapi timeout (VAPI_API_TIMEOUT_SECONDS) bounds how long the lock is held.

The call carries the lead's Salesforce id in `assistantOverrides.variableValues` and
`.metadata`, under the keys `leads.salesforce_ids` reads, so its webhooks and its sync
find the lead. A Vapi timeout (504) does not prove that no call was placed: Vapi may
have queued it anyway, and its webhooks then record it and block a redial.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from calls.models import Call
from calls.phones import to_e164
from calls.services.call_records import advance_status, call_for_vapi, fill_blank
from integrations.vapi.client import VapiApiError, get_client
from leads.call_facts import iso
from leads.models import Lead

logger = logging.getLogger(__name__)

REQUIRED_SETTINGS = ("VAPI_API_KEY", "VAPI_ASSISTANT_ID", "VAPI_PHONE_NUMBER_ID")
_E164 = re.compile(r"\+\d{6,15}")


class QualificationCallError(Exception):
    """A qualification call that was not started: `status` is the HTTP status that says so,
    `code` a stable machine-readable reason, `details` extra facts for the caller."""

    def __init__(self, *, status: int, code: str, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


class LeadNotCallable(QualificationCallError):
    """The lead may not be called now; other leads may."""


class CallingUnavailable(QualificationCallError):
    """Vapi is not configured, failed or did not answer; nothing is wrong with the lead."""


def ensure_vapi_configured() -> None:
    missing = [name for name in REQUIRED_SETTINGS if not getattr(settings, name)]
    if missing:
        raise CallingUnavailable(
            status=503, code="vapi_not_configured",
            message=f"Outbound calls are not configured: set {', '.join(missing)}.")


def ensure_lead_callable(*, lead: Lead) -> str:
    """The E.164 number to dial, or LeadNotCallable saying why the lead may not be called now."""
    if lead.do_not_call:
        raise LeadNotCallable(status=403, code="do_not_call",
                              message="The lead is marked Do Not Call in Salesforce.")
    _ensure_consent(lead)
    number = to_e164(lead.phone_e164)
    if not number:
        raise LeadNotCallable(status=422, code="no_valid_phone", message="The lead has no valid phone number.")
    _ensure_not_called_recently(lead, number, timezone.now())
    return number


def _ensure_consent(lead: Lead) -> None:
    if lead.consent == Call.Consent.REFUSED:
        raise LeadNotCallable(status=403, code="consent_refused",
                              message="The lead refused to be called by the AI assistant.")
    if lead.consent != Call.Consent.GIVEN and settings.CALLSYNC_OUTBOUND_CONSENT == "required":
        raise LeadNotCallable(
            status=403, code="consent_unknown",
            message="The lead has not given consent to be called by the AI assistant, and "
                    "CALLSYNC_OUTBOUND_CONSENT=required calls only leads who have.")


def _ensure_not_called_recently(lead: Lead, number: str, now: datetime) -> None:
    hours = settings.CALLSYNC_OUTBOUND_MIN_HOURS_BETWEEN_CALLS
    window = timedelta(hours=hours)
    if not window:
        return
    last_call_at = (Call.objects.filter(Q(lead=lead) | Q(customer_number=number), created_at__gt=now - window)
                    .order_by("-created_at").values_list("created_at", flat=True).first())
    if last_call_at is None:
        return
    callable_after = iso(last_call_at + window)
    raise LeadNotCallable(
        status=409, code="called_recently",
        message=f"The lead was on a call with us at {iso(last_call_at)}; it may be called again after {callable_after} "
                f"(CALLSYNC_OUTBOUND_MIN_HOURS_BETWEEN_CALLS={hours:g}).",
        details={"callable_after": callable_after})


def start_qualification_call(*, lead: Lead, requested_by=None) -> Call:
    """Have the AI assistant call `lead` now; the new Call, joined to the lead, as Vapi queued it."""
    ensure_vapi_configured()
    with transaction.atomic():
        # Held while Vapi is asked: a second request for this lead waits, then sees this call.
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        number = ensure_lead_callable(lead=lead)
        variable_values, metadata = call_variables(lead), call_metadata(lead, requested_by)
        vapi_call = _ask_vapi(lead, number, variable_values, metadata)
        call = _record_call(lead=lead, number=number, vapi_call=vapi_call,
                            variable_values=variable_values, metadata=metadata)
    logger.info("qualification call %s started for lead %s (requested by %s)",
                call.vapi_call_id, lead.pk, _who(requested_by))
    return call


def call_variables(lead: Lead) -> dict[str, str]:
    """What the assistant's prompt may use, as `{{firstName}}`; the ids are what the sync reads."""
    values = {"firstName": lead.first_name, "lastName": lead.last_name, "company": lead.company,
              "ownerName": lead.owner_name}
    return {**_lead_ids(lead), **values}


def call_metadata(lead: Lead, requested_by=None) -> dict[str, str]:
    metadata = _lead_ids(lead)
    if requested_by is not None and requested_by.is_authenticated:
        metadata["requestedBy"] = requested_by.get_username()
    return metadata


def _lead_ids(lead: Lead) -> dict[str, str]:
    return {"salesforceLeadId": lead.salesforce_id, "leadId": lead.salesforce_id} if lead.salesforce_id else {}


def _who(user) -> str:
    return user.get_username() if user is not None and user.is_authenticated else "system"


def _ask_vapi(lead: Lead, number: str, variable_values: dict, metadata: dict) -> dict[str, Any]:
    timeout = settings.VAPI_API_TIMEOUT_SECONDS
    client = get_client(settings.VAPI_BASE_URL, settings.VAPI_API_KEY, timeout)
    try:
        vapi_call = client.create_outbound_call(
            assistant_id=settings.VAPI_ASSISTANT_ID, phone_number_id=settings.VAPI_PHONE_NUMBER_ID,
            customer_number=number, customer_name=lead.full_name or None,
            variable_values=variable_values, metadata=metadata)
    except VapiApiError as exc:
        logger.warning("qualification call for lead %s not started: %s", lead.pk, without_phone_numbers(str(exc)))
        if exc.timed_out:
            raise CallingUnavailable(
                status=504, code="vapi_timeout",
                message=f"Vapi did not answer within {timeout:g} s (VAPI_API_TIMEOUT_SECONDS). It may still "
                        f"place the call: check the lead's calls before trying again.") from exc
        said = f"Vapi answered {exc.status_code}: {exc.vapi_message}" if exc.status_code else str(exc)
        raise CallingUnavailable(status=502, code="vapi_error", message=said,
                                 details={"vapi_status": exc.status_code}) from exc
    if not isinstance(vapi_call.get("id"), str) or not vapi_call["id"]:
        raise CallingUnavailable(status=502, code="vapi_error", message="Vapi's answer has no call id.")
    return vapi_call


def _record_call(*, lead: Lead, number: str, vapi_call: dict[str, Any], variable_values: dict,
                 metadata: dict) -> Call:
    """The Call row for Vapi's new call, through the same join its webhooks use: one of them
    may already have arrived and made the row."""
    call = call_for_vapi(vapi_call["id"])
    changed = fill_blank(
        call,
        vapi_call_type=_fitted("vapi_call_type", vapi_call.get("type")),
        customer_number=number,
        customer_number_raw=number,
        assistant_id=_fitted("assistant_id", vapi_call.get("assistantId")) or settings.VAPI_ASSISTANT_ID,
        phone_number_id=_fitted("phone_number_id", vapi_call.get("phoneNumberId")) or settings.VAPI_PHONE_NUMBER_ID,
        variable_values=variable_values,
        metadata=metadata,
    )
    call.lead = lead
    call.direction = Call.Direction.OUTBOUND
    changed += advance_status(call, _fitted("status", vapi_call.get("status")) or Call.Status.QUEUED)
    call.save(update_fields=[*set(changed), "lead", "direction", "updated_at"])
    return call


def _fitted(field_name: str, value: Any) -> str:
    """Vapi's text for a Call column, cut to the column's length; "" for anything else."""
    return value[:Call._meta.get_field(field_name).max_length] if isinstance(value, str) else ""


def without_phone_numbers(text: str) -> str:
    """Log lines never carry a phone number, even one Vapi quoted back."""
    return _E164.sub("+[phone]", text)
