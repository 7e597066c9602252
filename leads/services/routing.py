"""Who takes a caller when the assistant hands over, and what the assistant knows at hello.

Answered from the local database only: Vapi waits on these while the caller listens."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from calls.models import Call
from leads.models import Lead, Qualification, QualificationStatus, SalesRep
from leads.selectors import lead_for_phone, previous_call

logger = logging.getLogger(__name__)

REFUSAL = "I'm sorry, no one is available to take the call right now. I can book a callback instead."


@dataclass(frozen=True)
class Transfer:
    number: str
    message: str
    reason: str  # for the log: why this destination


def transfer_for(*, call: Call | None, customer_number: str) -> Transfer | None:
    """Hot callers go to their owner, else to the next rep in turn; others to the default line.
    None: nowhere to send the caller (the assistant declines politely)."""
    if _is_hot(call):
        lead = (call.lead if call is not None and call.lead_id else None) or lead_for_phone(customer_number)
        rep = _owner(lead) or _next_rep_in_turn()
        if rep is not None:
            return Transfer(number=rep.phone_e164, message=_transfer_message(rep.name), reason=f"hot: rep {rep.pk}")
    default = settings.CALLSYNC_DEFAULT_TRANSFER_NUMBER or settings.FALLBACK_PHONE_NUMBER
    if default:
        return Transfer(number=default, message=_transfer_message("a member of our team"), reason="default line")
    return None


def _is_hot(call: Call | None) -> bool:
    if call is None:
        return False
    return Qualification.objects.filter(call=call, status=QualificationStatus.HOT).exists()


def _owner(lead: Lead | None) -> SalesRep | None:
    if lead is None or not lead.owner_salesforce_id:
        return None
    return SalesRep.objects.filter(salesforce_user_id=lead.owner_salesforce_id, active=True).exclude(
        phone_e164="").first()


def _next_rep_in_turn() -> SalesRep | None:
    """Round robin: the rep who took a transfer longest ago (never first). Concurrent
    transfers skip a rep another request holds, so two callers never land on one rep at once."""
    with transaction.atomic():
        rep = (SalesRep.objects.select_for_update(skip_locked=True)
               .filter(active=True, takes_transfers=True).exclude(phone_e164="")
               .order_by(F("last_transfer_at").asc(nulls_first=True), "pk").first())
        if rep is not None:
            rep.last_transfer_at = timezone.now()
            rep.save(update_fields=["last_transfer_at"])
        return rep


def _transfer_message(rep_name: str) -> str:
    # replace, not format: sales ops write this text, and a stray brace must not break transfers.
    return settings.CALLSYNC_TRANSFER_MESSAGE.replace("{rep}", rep_name)


def caller_variables(*, customer_number: str, call: Call | None = None) -> dict[str, str]:
    """variableValues for assistant-request: who is calling, as the mirror knows them. Two queries."""
    if not customer_number:
        return {}
    variables = {"customerNumber": customer_number}
    lead = lead_for_phone(customer_number)
    if lead is not None:
        variables.update({
            "leadId": lead.salesforce_id or "", "firstName": lead.first_name, "lastName": lead.last_name,
            "company": lead.company, "ownerName": lead.owner_name,
        })
    last = previous_call(lead=lead, phone=customer_number, before=call)
    if last is not None:
        variables["lastOutcome"] = last.get_disposition_display() if last.disposition else ""
        qualification = getattr(last, "qualification", None)
        variables["lastQualificationStatus"] = qualification.status if qualification else ""
    return variables
