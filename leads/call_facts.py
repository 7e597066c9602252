"""Facts about a call read leniently from what the assistant recorded: shared by the scoring, the
manager pages and the CRM's call document (crm/services/call_document.py), which builds on them.

No models and no queries: the scoring package (leads/qualification/) stays pure by importing
only this, not the call document."""

from __future__ import annotations

import re
from datetime import UTC, datetime
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


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with milliseconds and a Z, as Salesforce and Vapi write it."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def call_duration(call) -> float | None:
    """The call's length in seconds: as Vapi reported it, else from its start and end (a calls.Call)."""
    if call.duration_seconds is not None:
        return call.duration_seconds
    if call.started_at and call.ended_at:
        return round((call.ended_at - call.started_at).total_seconds(), 3)
    return None
