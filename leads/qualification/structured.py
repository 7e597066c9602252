"""Reading what the assistant wrote down (analysis.structuredData, tool arguments): pure, no models.

Assistants name the same fact in many ways (callerName, caller_name, Caller Name); the keys
below list the spellings callsync reads, and `pick` finds the first one present. The call
document, the scoring and the manager pages all read structured data through here, so that
the pure scoring package needs nothing from the services that build the document.
"""

from __future__ import annotations

import re
from typing import Any

# How assistants name the same fact in structuredData; compared without case, "_", "-" or spaces.
NAME_KEYS = ("name", "fullName", "callerName", "customerName", "contactName")
FIRST_NAME_KEYS = ("firstName", "givenName")
LAST_NAME_KEYS = ("lastName", "surname", "familyName")
COMPANY_KEYS = ("company", "companyName", "organization", "organisation", "business", "businessName")
EMAIL_KEYS = ("email", "emailAddress")
PHONE_KEYS = ("phone", "phoneNumber", "callbackNumber")
INTENT_KEYS = ("intent", "callIntent", "intentType")
INTENT_CONFIDENCE_KEYS = ("intentConfidence", "intentScore", "confidence")


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).lower()


def pick(data: dict[str, Any], *names: str) -> Any:
    """The first non-blank value under any spelling of `names` (firstName, first_name, FirstName...)."""
    wanted = [_key(name) for name in names]
    found = {_key(key): value for key, value in data.items() if isinstance(key, str)}
    for name in wanted:
        value = found.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, "", [], {}):
            return value
    return None


def confidence(value: Any) -> Any:
    """A share from 0 to 1, whether the assistant said 0.87, "87%" or 87; other values as they came,
    for the mapping to explain rather than for Salesforce to refuse as out of range."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    try:
        number = float(text.removesuffix("%"))
    except ValueError:
        return value
    if text.endswith("%") or 1 < number <= 100:
        number /= 100
    return number if 0 <= number <= 1 else value
