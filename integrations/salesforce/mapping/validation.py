"""Validating rules, one by one (`rule_errors`, by the FieldMapping field to fix) and together
(`rule_set_problems`): what the admin refuses before a sync could fail on it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from integrations.salesforce.mapping.rules import (
    BOOLEAN, CANONICAL_ROOTS, CONST_PREFIX, EMAIL, ISO_DATETIME, LEAD_REQUIRED, NEVER, NONE, NUMBER, OBJECTS,
    OBJECTS_WITHOUT_UPSERT_KEY, PHONE_E164, PICKLIST, PRIVACY_LEVELS, TRANSFORMS, TRUNCATE, MappingRule,
)

_NAME_PART = r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*"
_STANDARD_NAME = re.compile(rf"^{_NAME_PART}$")
# A custom field, optionally with a managed package's namespace: Score__c, acme__Score__c.
_CUSTOM_NAME = re.compile(rf"^(?:{_NAME_PART}__)?{_NAME_PART}__c$")
MAX_NUMBER_DECIMALS = 18


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
