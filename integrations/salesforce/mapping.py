"""The mapping engine: from a canonical call document to Salesforce field values.

Pure Python, no Django: the rules come in as `MappingRule` values (the admin's
FieldMapping rows), the document as a dict (`crm.services.call_document`), and
what Salesforce says about its fields (describe) as optional `FieldInfo` values.

One rule reads one value, by a dotted path into the document or as a `const:`
literal, transforms it, and fits it to the field:

- an empty value (None, blank text, empty list or object) is never sent; a required
  field falls back to its placeholder, on create only;
- text longer than the field's limit (the rule's truncate limit or describe's length,
  whichever is smaller) is cut and ends in `TRUNCATION_MARKER`; a URL is never cut:
  it loses its query string when that makes it fit, else it is left out;
- a value the transform cannot read is left out; a note says why, and so does `problems`;
- a rule's `privacy` decides whether its value leaves callsync as it is (`raw`), with personal
  data replaced by tokens such as [CARD] (`redacted`: the caller passes the redactor in, since
  redaction is not this module's business) or not at all (`never`).

Nothing here raises for bad data: a sync must not fail because a caller spelled
their email "dana at example dot com".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import phonenumbers

TRUNCATION_MARKER = " [… truncated by callsync]"
CONST_PREFIX = "const:"
CANONICAL_ROOTS = ("caller", "lead", "call", "qualification", "analysis", "consent", "transcript", "privacy")
OBJECTS = ("Lead", "Task", "Case")
# Leads are matched by phone (and the ids outbound calls carry), not by an external id.
OBJECTS_WITHOUT_UPSERT_KEY = ("Lead",)
LEAD_REQUIRED = ("LastName", "Company")  # Salesforce refuses a Lead without them

NONE = "none"
PHONE_E164 = "phone_e164"
ISO_DATETIME = "iso_datetime"
PICKLIST = "picklist"
TRUNCATE = "truncate"
BOOLEAN = "boolean"
NUMBER = "number"
EMAIL = "email"
TRANSFORMS = (NONE, PHONE_E164, ISO_DATETIME, PICKLIST, TRUNCATE, BOOLEAN, NUMBER, EMAIL)

REDACTED = "redacted"
RAW = "raw"
NEVER = "never"
PRIVACY_LEVELS = (REDACTED, RAW, NEVER)
# What people said in their own words: where card numbers and dates of birth turn up.
FREE_TEXT_SOURCES = ("transcript", "call.summary", "analysis.summary", "analysis.structuredData",
                     "call.success_evaluation", "analysis.successEvaluation")
Redact = Callable[[Any], Any]

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on", "given", "checked"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "off", "refused", "unchecked"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_NAME_PART = r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*"
_STANDARD_NAME = re.compile(rf"^{_NAME_PART}$")
# A custom field, optionally with a managed package's namespace: Score__c, acme__Score__c.
_CUSTOM_NAME = re.compile(rf"^(?:{_NAME_PART}__)?{_NAME_PART}__c$")
MAX_NUMBER_DECIMALS = 18


class TransformError(ValueError):
    """The value cannot be read by the rule's transform; the message says why."""


@dataclass(frozen=True)
class MappingRule:
    """One field of one Salesforce object and where its value comes from (a FieldMapping row)."""

    target_object: str
    target_field: str
    source: str
    transform: str = NONE
    options: Mapping[str, Any] = field(default_factory=dict)
    required: bool = False
    placeholder: str = ""
    upsert_key: bool = False
    create_only: bool = False
    enabled: bool = True
    position: int = 0
    notes: str = ""
    privacy: str = RAW

    @property
    def label(self) -> str:
        return f"{self.target_object}.{self.target_field}"

    @property
    def is_constant(self) -> bool:
        return self.source.startswith(CONST_PREFIX)


def default_privacy(source: str) -> str:
    """Free text (transcripts, summaries, structured data) is redacted unless someone decides otherwise."""
    is_free_text = any(source == path or source.startswith(path + ".") for path in FREE_TEXT_SOURCES)
    return REDACTED if is_free_text else RAW


@dataclass(frozen=True)
class FieldInfo:
    """What describe says about one field; only `length` and the two flags change a payload."""

    length: int = 0
    createable: bool = True
    updateable: bool = True
    type: str = "string"
    external_id: bool = False
    nillable: bool = True
    defaulted_on_create: bool = False
    picklist_values: tuple[str, ...] = ()
    restricted_picklist: bool = False
    name: str = ""  # as Salesforce spells it


FieldInfoMap = Mapping[tuple[str, str], FieldInfo]


# --- reading the document --------------------------------------------------------------

def lookup(document: Mapping[str, Any], source: str) -> Any:
    """The value at a dotted path (list items by index), the literal of a `const:` source; None when missing."""
    if source.startswith(CONST_PREFIX):
        return source[len(CONST_PREFIX):]
    value: Any = document
    for key in source.split("."):
        if isinstance(value, Mapping):
            value = value.get(key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    return value


def is_empty(value: Any) -> bool:
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


# --- mapping a document ----------------------------------------------------------------

@dataclass(frozen=True)
class MappedValue:
    """What one rule produced for one call."""

    rule: MappingRule
    value: Any  # None: nothing to send
    placeholder: Any = None  # sent on create instead of an empty value of a required field
    createable: bool = True
    updateable: bool = True

    @property
    def from_document(self) -> bool:
        return self.value is not None and not self.rule.is_constant


@dataclass
class MappedRecords:
    """The field values of each Salesforce object for one call.

    `create()` and `update()` return a new dict each time: callers may change it.
    Both include the upsert key field; leave it out of the body when it is in the URL.
    """

    values: dict[str, list[MappedValue]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def create(self, target_object: str) -> dict[str, Any]:
        """Every value, create-only ones included, and placeholders for empty required fields."""
        payload: dict[str, Any] = {}
        for mapped in self.values.get(target_object, []):
            if not mapped.createable:
                continue
            if mapped.value is not None:
                payload[mapped.rule.target_field] = mapped.value
            elif mapped.placeholder is not None:
                payload[mapped.rule.target_field] = mapped.placeholder
        return payload

    def update(self, target_object: str) -> dict[str, Any]:
        """Real values only: an update never blanks a field or writes a placeholder over data."""
        return {
            mapped.rule.target_field: mapped.value
            for mapped in self.values.get(target_object, [])
            if mapped.value is not None and mapped.updateable and not mapped.rule.create_only
        }

    def upsert_key(self, target_object: str) -> tuple[str, Any] | None:
        for mapped in self.values.get(target_object, []):
            if mapped.rule.upsert_key and mapped.value is not None:
                return mapped.rule.target_field, mapped.value
        return None

    @property
    def objects(self) -> list[str]:
        """Objects the call gave at least one value for (constants and placeholders alone do not count).

        Whether a Case is written at all is the sync's decision (support calls only).
        """
        return [name for name, values in self.values.items() if any(mapped.from_document for mapped in values)]

    def explain(self, rule: MappingRule, message: str, *, problem: bool = False) -> None:
        line = f"{rule.label}: {message}"
        self.notes.append(line)
        if problem:
            self.problems.append(line)


def map_document(
    document: Mapping[str, Any],
    rules: Iterable[MappingRule],
    field_info: FieldInfoMap | None = None,
    *,
    default_region: str | None = None,
    redact: Redact | None = None,
) -> MappedRecords:
    """Apply the enabled rules, in order, to one call's document.

    `field_info`, from describe, adds each field's length limit and turns fields that
    are not updateable into create-only ones. `default_region` reads national phone numbers.
    `redact` takes a value and returns it with personal data replaced (strings inside objects
    and lists too); without it, a `redacted` rule sends nothing rather than raw data.
    """
    records = MappedRecords()
    field_info = field_info or {}
    described = {target_object for target_object, _ in field_info}
    seen: set[tuple[str, str]] = set()
    for rule in rules:
        if not rule.enabled:
            continue
        if rule.privacy == NEVER:
            records.explain(rule, "never sent: its privacy setting keeps it inside callsync")
            continue
        key = (rule.target_object, rule.target_field.lower())
        if key in seen:
            records.explain(rule, "mapped twice; only the first enabled mapping is used", problem=True)
            continue
        seen.add(key)
        info = field_info.get(key)
        if info is None and rule.target_object in described:
            # Still sent: Salesforce's INVALID_FIELD dead-letters the sync naming the field, which is
            # how a broken mapping gets noticed and fixed; dropping it would lose the data silently.
            records.explain(rule, f"not in Salesforce's describe of {rule.target_object}; Salesforce will refuse it",
                            problem=True)
        records.values.setdefault(rule.target_object, []).append(
            _map_rule(rule, document, info, records, default_region=default_region, redact=redact)
        )
    return records


def _map_rule(rule: MappingRule, document: Mapping[str, Any], info: FieldInfo | None, records: MappedRecords,
              *, default_region: str | None, redact: Redact | None) -> MappedValue:
    flags = {"createable": info.createable, "updateable": info.updateable} if info else {}
    value = _value_for(rule, document, info, records, default_region=default_region, redact=redact)
    placeholder = None
    if value is None and rule.required:
        placeholder = _placeholder_for(rule, info, records)
    return MappedValue(rule, value, placeholder, **flags)


def _value_for(rule: MappingRule, document: Mapping[str, Any], info: FieldInfo | None, records: MappedRecords,
               *, default_region: str | None, redact: Redact | None) -> Any:
    raw = lookup(document, rule.source)
    if is_empty(raw):
        return None
    if rule.privacy == REDACTED and not rule.is_constant:
        if redact is None:
            records.explain(rule, "left out: it must be redacted and no redactor was given", problem=True)
            return None
        raw = redact(raw)
    options = dict(rule.options)
    if rule.transform == PHONE_E164:
        options.setdefault("region", default_region)
    try:
        value = apply_transform(rule.transform, raw, options)
    except TransformError as error:
        records.explain(rule, f"left out: {error}", problem=True)
        return None
    if not isinstance(value, str):
        return value
    if is_empty(value):
        return None
    url = looks_like_url(value) or (info is not None and info.type == "url")
    fitted, note = fit_text(value, _limit(rule, info), url=url, marker=rule.options.get("marker", True) is not False)
    if note:
        records.explain(rule, note)
    return fitted


def _placeholder_for(rule: MappingRule, info: FieldInfo | None, records: MappedRecords) -> str | None:
    if is_empty(rule.placeholder):
        records.explain(rule, "required, but the call has no value and the mapping has no placeholder", problem=True)
        return None
    placeholder, _ = fit_text(rule.placeholder, _limit(rule, info), marker=False)
    records.explain(rule, f"no value in the call; placeholder {placeholder!r} is sent on create only")
    return placeholder


def _limit(rule: MappingRule, info: FieldInfo | None) -> int | None:
    limits = []
    if rule.transform == TRUNCATE and isinstance(rule.options.get("limit"), int):
        limits.append(rule.options["limit"])
    if info is not None and info.length > 0:
        limits.append(info.length)
    return min(limits) if limits else None


# --- validating rules ------------------------------------------------------------------

def api_name_error(name: str) -> str:
    """Why `name` is not a Salesforce field API name; "" when it is one."""
    if _STANDARD_NAME.match(name) or _CUSTOM_NAME.match(name):
        return ""
    return (f"{name!r} is not a Salesforce API name: letters, digits and single underscores, starting with "
            "a letter and not ending in one; custom fields end in __c (Intent__c, acme__Intent__c).")


def source_error(source: str, *, known_paths: Iterable[str] | None = None, open_paths: Iterable[str] = ()) -> str:
    """Why `source` cannot be read from the call document; "" when it can.

    Without `known_paths` only the root is checked. Paths under an `open_paths` entry
    (free-form data such as analysis.structuredData) are always accepted.
    """
    if source.startswith(CONST_PREFIX):
        return ""
    root = source.split(".", 1)[0]
    if root not in CANONICAL_ROOTS or any(not part for part in source.split(".")):
        return (f"{source!r} is not a path into the call document: start with one of "
                f"{', '.join(CANONICAL_ROOTS)}, or write const:<value> for a constant.")
    if known_paths is None:
        return ""
    known = set(known_paths)
    if source in known or any(source.startswith(prefix + ".") for prefix in open_paths):
        return ""
    return f"{source!r} is not in the call document (see docs/mapping.md for every path)."


def options_errors(transform: str, options: Any) -> list[str]:
    """Why `options` do not fit `transform`."""
    if not isinstance(options, Mapping):
        return ["Options must be a JSON object, e.g. {} or {\"limit\": 255}."]
    allowed = _OPTION_CHECKS.get(transform)
    if allowed is None:
        return [f"Unknown transform {transform!r}."]
    errors = [f"{name!r} is not an option of the {transform} transform (it takes: {', '.join(allowed) or 'none'})."
              for name in options if name not in allowed]
    for name, check in allowed.items():
        message = check(options)
        if message:
            errors.append(message)
    return errors


def _picklist_map(options: Mapping[str, Any]) -> str:
    choices = options.get("map")
    if not isinstance(choices, Mapping) or not choices:
        return 'A picklist needs a map from call values to Salesforce values, e.g. {"map": {"hot": "Hot"}}.'
    if not all(isinstance(value, str) and value for value in choices.values()):
        return "Every picklist map value must be a non-empty Salesforce picklist value."
    return ""


def _optional_text(name: str) -> Callable[[Mapping[str, Any]], str]:
    def check(options: Mapping[str, Any]) -> str:
        value = options.get(name)
        return "" if value is None or isinstance(value, str) else f"{name!r} must be text."
    return check


def _optional_flag(name: str) -> Callable[[Mapping[str, Any]], str]:
    def check(options: Mapping[str, Any]) -> str:
        value = options.get(name)
        return "" if value is None or isinstance(value, bool) else f"{name!r} must be true or false."
    return check


def _truncate_limit(options: Mapping[str, Any]) -> str:
    limit = options.get("limit")
    if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        return ""
    return 'Truncate needs a positive whole-number limit, e.g. {"limit": 255}.'


def _number_decimals(options: Mapping[str, Any]) -> str:
    decimals = options.get("decimals")
    if decimals is None or (isinstance(decimals, int) and not isinstance(decimals, bool)
                            and 0 <= decimals <= MAX_NUMBER_DECIMALS):
        return ""
    return f"'decimals' must be a whole number from 0 to {MAX_NUMBER_DECIMALS}."


def _region(options: Mapping[str, Any]) -> str:
    region = options.get("region")
    if region is None or (isinstance(region, str) and re.fullmatch(r"[A-Za-z]{2}", region)):
        return ""
    return "'region' must be a two-letter country code, e.g. \"US\"."


_OPTION_CHECKS: dict[str, dict[str, Callable[[Mapping[str, Any]], str]]] = {
    NONE: {},
    PHONE_E164: {"region": _region},
    ISO_DATETIME: {"date_only": _optional_flag("date_only")},
    PICKLIST: {"map": _picklist_map, "default": _optional_text("default")},
    TRUNCATE: {"limit": _truncate_limit, "marker": _optional_flag("marker")},
    BOOLEAN: {},
    NUMBER: {"decimals": _number_decimals},
    EMAIL: {},
}


def rule_errors(rule: MappingRule, *, known_paths: Iterable[str] | None = None,
                open_paths: Iterable[str] = ()) -> dict[str, list[str]]:
    """Everything wrong with one rule on its own, by the FieldMapping field to fix."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        if message:
            errors.setdefault(name, []).append(message)

    if rule.target_object not in OBJECTS:
        add("target_object", f"Unknown object {rule.target_object!r}: one of {', '.join(OBJECTS)}.")
    add("target_field", api_name_error(rule.target_field))
    add("source", source_error(rule.source, known_paths=known_paths, open_paths=open_paths))
    if rule.privacy not in PRIVACY_LEVELS:
        add("privacy", f"Unknown privacy {rule.privacy!r}: one of {', '.join(PRIVACY_LEVELS)}.")
    if rule.privacy == NEVER and (rule.upsert_key or rule.required):
        add("privacy", "An upsert key or a required field has to be sent: it cannot be set to never.")
    if rule.transform not in TRANSFORMS:
        add("transform", f"Unknown transform {rule.transform!r}.")
    else:
        for message in options_errors(rule.transform, rule.options):
            add("options", message)
    if rule.placeholder and not rule.required:
        add("placeholder", "A placeholder only fills a required field: tick Required, or clear the placeholder.")
    if rule.upsert_key:
        if rule.target_object in OBJECTS_WITHOUT_UPSERT_KEY:
            add("upsert_key", f"{rule.target_object} records are matched by phone; they have no upsert key.")
        if rule.create_only:
            add("create_only", "The upsert key is sent on every write; it cannot be create-only.")
        if rule.is_constant:
            add("source", "An upsert key must come from the call: a constant would make every call the same record.")
    return errors


def rule_set_problems(rules: Iterable[MappingRule]) -> list[str]:
    """What is wrong with the enabled rules together: duplicates, upsert keys, Lead's required fields."""
    enabled = [rule for rule in rules if rule.enabled]
    problems = []
    by_field: dict[tuple[str, str], int] = {}
    for rule in enabled:
        key = (rule.target_object, rule.target_field.lower())
        by_field[key] = by_field.get(key, 0) + 1
    problems += [f"{target_object}.{name} is mapped {count} times." for (target_object, name), count in by_field.items()
                 if count > 1]
    for target_object in dict.fromkeys(rule.target_object for rule in enabled):
        keys = [rule.target_field for rule in enabled if rule.target_object == target_object and rule.upsert_key]
        if len(keys) > 1:
            problems.append(f"{target_object} has {len(keys)} upsert keys ({', '.join(keys)}); it may have one.")
        if not keys and target_object not in OBJECTS_WITHOUT_UPSERT_KEY:
            problems.append(f"{target_object} has no upsert key: its records cannot be written idempotently.")
    lead_fields = {name for target_object, name in by_field if target_object == "Lead"}
    problems += [unfilled_required_message("Lead", name) for name in LEAD_REQUIRED
                 if lead_fields and name.lower() not in lead_fields]
    return problems


def unfilled_required_message(target_object: str, target_field: str) -> str:
    return f"{target_object}.{target_field} is required by Salesforce but no enabled mapping fills it."

