from django.db.models import Q

from calls.models import Call
from leads.models import Lead


def lead_for_phone(phone_e164: str) -> Lead | None:
    return Lead.objects.filter(phone_e164=phone_e164).order_by("-updated_at").first() if phone_e164 else None


def lead_for_salesforce_id(salesforce_id: str) -> Lead | None:
    return Lead.objects.filter(salesforce_id=salesforce_id).first() if salesforce_id else None


def previous_call(*, lead: Lead | None, phone: str, before: Call | None = None) -> Call | None:
    """The latest earlier call with this lead or number, with its qualification: one query."""
    who = Q(lead=lead) if lead is not None else Q()
    if phone:
        who |= Q(customer_number=phone)
    if not who:
        return None
    calls = Call.objects.filter(who).select_related("qualification").order_by("-created_at")
    if before is not None:
        calls = calls.exclude(pk=before.pk)
    return calls.first()
