from leads.models import Lead


def lead_for_phone(phone_e164: str) -> Lead | None:
    return Lead.objects.filter(phone_e164=phone_e164).order_by("-updated_at").first() if phone_e164 else None


def lead_for_salesforce_id(salesforce_id: str) -> Lead | None:
    return Lead.objects.filter(salesforce_id=salesforce_id).first() if salesforce_id else None
