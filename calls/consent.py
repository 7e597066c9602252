"""Reading a caller's consent from what an assistant wrote: true/false, yes/no, given/refused."""

from typing import Any

from calls.models import Call

CONSENT_WORDS = {
    True: Call.Consent.GIVEN, "true": Call.Consent.GIVEN, "yes": Call.Consent.GIVEN, "given": Call.Consent.GIVEN,
    False: Call.Consent.REFUSED, "false": Call.Consent.REFUSED, "no": Call.Consent.REFUSED,
    "refused": Call.Consent.REFUSED,
}


def consent_from(value: Any) -> str | None:
    """GIVEN, REFUSED, or None when the value says neither."""
    if isinstance(value, str):
        value = value.strip().lower()
    elif not isinstance(value, bool):
        return None
    return CONSENT_WORDS.get(value)
