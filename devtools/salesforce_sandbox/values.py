"""Turning a JSON value from a request into what a field stores, rejecting it the way
Salesforce would (wrong JSON type, too long, not in a restricted picklist, bad email)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Callable

from . import ids
from .responses import ApiError, json_parser_error
from .schema import Field

_SHOWN_CHARS = 100  # error messages quote the value; a 131,072-character transcript would drown them


def coerce(field: Field, value: Any) -> Any:
    """The stored value, or None for null; Salesforce stores an empty string as null too."""
    if value is None or value == "":
        return None
    return _COERCERS.get(field.type, _text)(field, value)


def _deserialize_error(field: Field, value: Any) -> ApiError:
    kind = "VALUE_STRING" if isinstance(value, str) else type(value).__name__.upper()
    return json_parser_error(
        f"Cannot deserialize instance of {field.type} from {kind} value {_shown(value)} "
        "or request may be missing a required field"
    )


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "..."


def _text(field: Field, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _deserialize_error(field, value)
    value = str(value)
    if len(value) > field.length:
        raise ApiError(400, "STRING_TOO_LONG",
                       f"{field.label}: data value too large: {_shown(value)} (max length={field.length})", [field.name])
    return value


def _email(field: Field, value: Any) -> str:
    value = _text(field, value)
    local, at, domain = value.partition("@")
    if not (local and at and "." in domain) or " " in value:
        raise ApiError(400, "INVALID_EMAIL_ADDRESS", f"{field.label}: invalid email address: {value}", [field.name])
    return value


def _picklist(field: Field, value: Any) -> str:
    value = _text(field, value)
    if field.restricted and value not in field.picklist_values:
        raise ApiError(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                       f"{field.label}: bad value for restricted picklist field: {value}", [field.name])
    return value


def _boolean(field: Field, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _deserialize_error(field, value)


def _number(field: Field, value: Any) -> float:
    if isinstance(value, bool):
        raise _deserialize_error(field, value)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise _deserialize_error(field, value) from None


def _integer(field: Field, value: Any) -> int:
    number = _number(field, value)
    if not number.is_integer():
        raise _deserialize_error(field, value)
    return int(number)


def _date(field: Field, value: Any) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise _deserialize_error(field, value) from None


def _datetime(field: Field, value: Any) -> str:
    """Stored in UTC, in the format Salesforce answers with: 2025-01-31T14:05:00.000+0000."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise _deserialize_error(field, value) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # Salesforce reads an offset-less value as UTC
    return format_datetime(moment)


def _record_id(field: Field, value: Any) -> str:
    normalized = ids.normalize(value)
    if normalized is None:
        raise ApiError(400, "MALFORMED_ID", f"{field.label}: id value of incorrect type: {_shown(value)}", [field.name])
    return normalized


def comparable(value: Any) -> Any:
    """Text matches case-insensitively in SOQL filters and external ids, as in Salesforce."""
    return value.casefold() if isinstance(value, str) else value


def format_datetime(moment: datetime) -> str:
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+0000"


def now() -> str:
    return format_datetime(datetime.now(timezone.utc))


_COERCERS: dict[str, Callable[[Field, Any], Any]] = {
    "email": _email, "picklist": _picklist, "boolean": _boolean, "double": _number, "percent": _number,
    "currency": _number, "int": _integer, "date": _date, "datetime": _datetime, "reference": _record_id, "id": _record_id,
}
