"""The FieldMapping rows applied to calls, and checked against what Salesforce describes.

Mapping a call never touches Salesforce; only the describe helpers do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings

from calls.models import Call
from crm.models import FieldMapping
from crm.services.call_document import call_document
from integrations.salesforce.client import get_client
from integrations.salesforce.errors import NotConfigured, SalesforceError
from integrations.salesforce.mapping import (
    BOOLEAN, EMAIL, ISO_DATETIME, NUMBER, PHONE_E164, PICKLIST, TRUNCATE, FieldInfo, MappedRecords, MappingRule, lookup,
    map_document, rule_set_problems, unfilled_required_message,
)
from privacy.services import redactor_for

# describe types each transform's output may go into; anything else deserves a warning.
TEXT_TYPES = {"string", "textarea", "picklist", "multipicklist", "combobox", "phone", "email", "url", "encryptedstring"}
TYPES_FOR_TRANSFORM = {
    PHONE_E164: TEXT_TYPES,
    ISO_DATETIME: {"datetime", "date", *TEXT_TYPES},
    PICKLIST: TEXT_TYPES,
    TRUNCATE: TEXT_TYPES,
    BOOLEAN: {"boolean", *TEXT_TYPES},
    NUMBER: {"double", "int", "long", "currency", "percent", *TEXT_TYPES},
    EMAIL: TEXT_TYPES,
}


class SalesforceUnavailable(Exception):
    """Salesforce could not be asked; `not_configured` tells a missing setup from an outage."""

    def __init__(self, message: str, *, not_configured: bool = False):
        super().__init__(message)
        self.not_configured = not_configured


def active_rules() -> list[MappingRule]:
    """The enabled mappings, in payload order."""
    return [row.as_rule() for row in FieldMapping.objects.filter(enabled=True).order_by("position", "id")]


def map_call(call: Call, *, field_info: dict[tuple[str, str], FieldInfo] | None = None,
             rules: list[MappingRule] | None = None, document: dict | None = None,
             redact: Callable[[Any], Any] | None = None) -> MappedRecords:
    """What each Salesforce object gets from this call (`rules` defaults to the active ones;
    `document` is the call's document when the caller has built it already; `redact` defaults
    to a redactor keeping the caller's and the company's own numbers)."""
    document = call_document(call) if document is None else document
    return map_document(
        document,
        active_rules() if rules is None else rules,
        field_info,
        default_region=settings.CALLSYNC_DEFAULT_REGION,
        redact=redactor_for(document) if redact is None else redact,
    )


# --- describe --------------------------------------------------------------------------

def field_info_from_describe(describes: dict[str, dict[str, Any]]) -> dict[tuple[str, str], FieldInfo]:
    """{(object, field name in lower case): FieldInfo} from describe answers keyed by object name."""
    info = {}
    for target_object, describe in describes.items():
        for field in describe.get("fields", []):
            info[(target_object, field["name"].lower())] = FieldInfo(
                name=field["name"],
                length=int(field.get("length") or 0),
                createable=bool(field.get("createable", True)),
                updateable=bool(field.get("updateable", True)),
                type=field.get("type") or "string",
                external_id=bool(field.get("externalId") or field.get("idLookup")),
                nillable=bool(field.get("nillable", True)),
                defaulted_on_create=bool(field.get("defaultedOnCreate")),
                picklist_values=tuple(value["value"] for value in field.get("picklistValues") or []
                                      if value.get("active", True)),
                restricted_picklist=bool(field.get("restrictedPicklist")),
            )
    return info


def describe_objects(objects: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Salesforce's describe of each object; raises the client's SalesforceError / NotConfigured."""
    with get_client() as client:
        return {name: client.describe(name) for name in dict.fromkeys(objects)}


def describe_field_info(objects: Iterable[str]) -> dict[tuple[str, str], FieldInfo]:
    return field_info_from_describe(describe_objects(objects))


def _describe_or_unavailable(objects: Iterable[str]) -> dict[str, dict[str, Any]]:
    """describe_objects, with every way of failing turned into SalesforceUnavailable."""
    try:
        return describe_objects(objects)
    except NotConfigured as error:
        raise SalesforceUnavailable(str(error), not_configured=True) from error  # it names the settings to set
    except SalesforceError as error:
        raise SalesforceUnavailable(f"Salesforce could not be reached or refused the describe call: {error}") from error


def field_info_or_unavailable(objects: Iterable[str]) -> dict[tuple[str, str], FieldInfo]:
    """describe_field_info for people (the admin): raises SalesforceUnavailable with a readable reason."""
    return field_info_from_describe(_describe_or_unavailable(objects))


def field_error_in_salesforce(*, target_object: str, target_field: str) -> str:
    """Why Salesforce would refuse this field ("" when it exists); raises SalesforceUnavailable."""
    info = field_info_or_unavailable([target_object])
    if (target_object, target_field.lower()) not in info:
        return f"{target_object} has no field {target_field} in Salesforce (names are checked against describe)."
    return ""


def check_mappings_against_salesforce(rules: list[MappingRule] | None = None) -> list[str]:
    """What Salesforce would refuse or quietly ignore in these mappings (default: the active ones).

    Raises SalesforceUnavailable when Salesforce cannot be asked.
    """
    active = active_rules()
    rules = active if rules is None else rules
    objects = [rule.target_object for rule in [*rules, *active]]
    info = field_info_or_unavailable(objects)
    problems = [problem for rule in rules for problem in _rule_problems(rule, info.get(_key(rule)))]
    problems += _unfilled_required_fields(active, info)
    problems += rule_set_problems(active)
    return list(dict.fromkeys(problems))  # describe and the rule set may both spot Lead.LastName


def _key(rule: MappingRule) -> tuple[str, str]:
    return rule.target_object, rule.target_field.lower()


def _rule_problems(rule: MappingRule, info: FieldInfo | None) -> list[str]:
    if info is None:
        return [f"{rule.label}: no such field on {rule.target_object} in Salesforce."]
    problems = []
    if not info.createable and not info.updateable:
        problems.append(f"{rule.label}: read-only in Salesforce; it is never sent.")
    elif not info.createable:
        problems.append(f"{rule.label}: Salesforce does not let it be set on create; it is sent on update only.")
    elif not info.updateable and not rule.create_only:
        problems.append(f"{rule.label}: not updateable in Salesforce; it is sent on create only (tick Create only).")
    expected = TYPES_FOR_TRANSFORM.get(rule.transform)
    if expected is not None and info.type not in expected:
        problems.append(f"{rule.label}: the {rule.transform} transform writes into a {info.type} field.")
    if rule.upsert_key and not info.external_id:
        problems.append(f"{rule.label}: not an External ID field in Salesforce, so it cannot be the upsert key.")
    problems += _picklist_problems(rule, info)
    return problems


def _picklist_problems(rule: MappingRule, info: FieldInfo) -> list[str]:
    if info.type not in ("picklist", "multipicklist") or not info.picklist_values:
        return []
    if rule.transform == PICKLIST:
        values = [*rule.options.get("map", {}).values(), rule.options.get("default")]
    elif rule.is_constant:
        values = [lookup({}, rule.source)]
    else:
        return []
    unknown = [value for value in dict.fromkeys(values) if value and value not in info.picklist_values]
    if not unknown:
        return []
    consequence = "Salesforce refuses them" if info.restricted_picklist else "they become unlisted values"
    return [f"{rule.label}: {', '.join(map(repr, unknown))} not among the field's picklist values; {consequence}."]


def _unfilled_required_fields(rules: list[MappingRule], info: dict[tuple[str, str], FieldInfo]) -> list[str]:
    mapped = {_key(rule) for rule in rules}
    return [
        unfilled_required_message(target_object, field.name or name)
        for (target_object, name), field in info.items()
        if not field.nillable and field.createable and not field.defaulted_on_create
        and field.type != "boolean" and (target_object, name) not in mapped
    ]
