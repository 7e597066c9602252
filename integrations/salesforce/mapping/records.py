"""Mapping one call's document: each enabled rule reads its value, is redacted when it must be,
transformed and fitted to its field; `MappedRecords` holds the result per Salesforce object and
says what it had to change or leave out (notes, problems)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from integrations.salesforce.mapping.rules import (
    CONST_PREFIX, NEVER, PHONE_E164, REDACTED, TRUNCATE, FieldInfo, FieldInfoMap, MappingRule, Redact,
)
from integrations.salesforce.mapping.transforms import TransformError, apply_transform, fit_text, is_empty, looks_like_url


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
