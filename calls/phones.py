"""Phone numbers in E.164, read from whatever format a provider or a person wrote."""

import phonenumbers
from django.conf import settings


def to_e164(raw: str, region: str | None = None) -> str:
    """The E.164 form of `raw`, or "" when it is not a possible phone number."""
    if not raw or not raw.strip():
        return ""
    try:
        number = phonenumbers.parse(raw, region or settings.CALLSYNC_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
