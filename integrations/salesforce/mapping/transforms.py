"""Transforms (a value read from the document into what a Salesforce field takes) and fitting
text to a field's length. A value a transform cannot read raises TransformError, for the
mapping to leave it out with a note."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import phonenumbers

from integrations.salesforce.mapping.rules import (
    BOOLEAN, EMAIL, ISO_DATETIME, NONE, NUMBER, PHONE_E164, PICKLIST, TRUNCATE, TRUNCATION_MARKER,
)

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on", "given", "checked"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "off", "refused", "unchecked"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


class TransformError(ValueError):
    """The value cannot be read by the rule's transform; the message says why."""


def is_empty(value: Any) -> bool:
    """None, blank text, an empty list or object: never sent, and no input to a transform."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (list, tuple, dict)) and not value


# --- transforms ------------------------------------------------------------------------

def as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _as_is(value: Any, options: Mapping[str, Any]) -> Any:
    # Salesforce takes no nested values: objects and lists go as JSON text.
    return as_text(value) if isinstance(value, (dict, list, tuple)) else value


def _text(value: Any, options: Mapping[str, Any]) -> str:
    return as_text(value)  # the limit itself is applied with the field's, in fit_text


def _phone_e164(value: Any, options: Mapping[str, Any]) -> str:
    raw = as_text(value).strip()
    try:
        number = phonenumbers.parse(raw, options.get("region") or None)
    except phonenumbers.NumberParseException as error:
        raise TransformError(f"{raw!r} is not a phone number") from error
    if not phonenumbers.is_possible_number(number):
        raise TransformError(f"{raw!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _iso_datetime(value: Any, options: Mapping[str, Any]) -> str:
    moment = _as_datetime(value)
    if options.get("date_only"):
        return moment.date().isoformat()
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _as_datetime(value: Any) -> datetime:
    """A UTC datetime from a datetime, a date, ISO text or epoch seconds/milliseconds."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if abs(value) > 10**11 else value  # Vapi's timestamps are epoch ms
        try:
            moment = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError) as error:
            raise TransformError(f"{value!r} is not a point in time") from error
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError as error:
            raise TransformError(f"{value!r} is not an ISO 8601 date or time") from error
    else:
        raise TransformError(f"{value!r} is not a date or time")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _picklist(value: Any, options: Mapping[str, Any]) -> str:
    key = as_text(value).strip().lower()
    choices = {as_text(source).strip().lower(): target for source, target in (options.get("map") or {}).items()}
    if key in choices:
        return choices[key]
    default = options.get("default")
    if not is_empty(default):
        return default
    raise TransformError(f"no picklist value for {as_text(value)!r}: add it to the map or set a default")


def _boolean(value: Any, options: Mapping[str, Any]) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = as_text(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise TransformError(f"{as_text(value)!r} is neither true nor false")


def _number(value: Any, options: Mapping[str, Any]) -> int | float:
    if isinstance(value, bool):  # True is an int to Python, not a number to a person
        raise TransformError(f"{value!r} is not a number")
    try:
        number = Decimal(as_text(value).strip())
    except InvalidOperation as error:
        raise TransformError(f"{as_text(value)!r} is not a number") from error
    if not number.is_finite():
        raise TransformError(f"{as_text(value)!r} is not a finite number")
    decimals = options.get("decimals")
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return int(number) if number == number.to_integral_value() else float(number)


def _email(value: Any, options: Mapping[str, Any]) -> str:
    address = as_text(value).strip().removeprefix("mailto:")
    if not _EMAIL.match(address):
        # Salesforce refuses the whole record for a malformed email: leave the field out instead.
        raise TransformError(f"{address!r} is not an email address")
    return address


TRANSFORM_FUNCTIONS: dict[str, Callable[[Any, Mapping[str, Any]], Any]] = {
    NONE: _as_is,
    PHONE_E164: _phone_e164,
    ISO_DATETIME: _iso_datetime,
    PICKLIST: _picklist,
    TRUNCATE: _text,
    BOOLEAN: _boolean,
    NUMBER: _number,
    EMAIL: _email,
}


def apply_transform(transform: str, value: Any, options: Mapping[str, Any] | None = None) -> Any:
    """The transformed value; raises TransformError when the value does not fit the transform."""
    try:
        function = TRANSFORM_FUNCTIONS[transform]
    except KeyError:
        raise TransformError(f"unknown transform {transform!r}") from None
    return function(value, options or {})


# --- fitting text to a length ----------------------------------------------------------

def truncate_text(text: str, limit: int, *, marker: str = TRUNCATION_MARKER) -> str:
    """`text` cut to `limit` characters, the last of which are the marker."""
    if len(text) <= limit:
        return text
    if len(marker) >= limit:
        return text[:limit]
    return text[: limit - len(marker)].rstrip() + marker


def looks_like_url(value: str) -> bool:
    return bool(_URL.match(value))


def url_without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def fit_text(text: str, limit: int | None, *, url: bool = False, marker: bool = True) -> tuple[str | None, str]:
    """(the text that fits `limit`, or None; a note when it had to change)."""
    if limit is None or len(text) <= limit:
        return text, ""
    if url:
        # A cut URL points nowhere; without its query string it usually still works (unsigned recordings).
        bare = url_without_query(text)
        if len(bare) <= limit:
            return bare, f"URL of {len(text):,} characters is longer than {limit:,}; sent without its query string"
        return None, f"URL of {len(text):,} characters does not fit {limit:,} even without its query string; left out"
    cut = truncate_text(text, limit, marker=TRUNCATION_MARKER if marker else "")
    return cut, f"truncated from {len(text):,} to {len(cut):,} characters" + (" (marked)" if marker else "")
