"""Phone numbers as people type them into Salesforce.

Salesforce stores Phone as free text and SOQL compares it exactly, so a caller
is found by asking for every common spelling of their number at once."""

from __future__ import annotations

import phonenumbers

_SEPARATED = ("{a}-{b}-{c}", "({a}) {b}-{c}", "{a}.{b}.{c}", "{a} {b} {c}", "({a}) {b} {c}", "({a}){b}-{c}")


def stored_spellings(e164: str) -> list[str]:
    """The spellings of an E.164 number that a person or an import may have stored."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return [e164] if e164 else []
    national = phonenumbers.national_significant_number(number)
    country = str(number.country_code)
    spellings = {
        e164,
        national,
        country + national,
        "00" + country + national,
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
    }
    if country == "1" and len(national) == 10:  # the North American plan: 415-555-0100 and friends
        a, b, c = national[:3], national[3:6], national[6:]
        for pattern in _SEPARATED:
            local = pattern.format(a=a, b=b, c=c)
            spellings.update({local, f"1-{local}", f"+1 {local}", f"1 {local}"})
    return sorted(spellings)
