"""Object and field definitions: what describe answers and what every write is checked against.

The defaults model a plain org with the custom fields callsync maps.  Extend them at
run time, per org (org.reset() restores the defaults):

    sandbox.org.schema.add_field("Lead", text("Region__c", 40))
    sandbox.org.schema.add_object(SObjectType("Opportunity", "006", [...]))

Platform events (`Name__e`) need no definition: the first use of a name creates an
open event type that takes any custom (`__c`) field, stored as text, since the sandbox
cannot know an app's event schema.  Register one with add_object to make its fields strict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .ids import USER_ID

_CUSTOM_FIELD = re.compile(r"^[A-Za-z][A-Za-z0-9_]*__c$")
_EVENT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*__e$")
_SOAP_TYPES = {"boolean": "xsd:boolean", "double": "xsd:double", "percent": "xsd:double", "int": "xsd:int",
               "date": "xsd:date", "datetime": "xsd:dateTime", "id": "tns:ID", "reference": "tns:ID"}
EVENT_KEY_PREFIX = "e00"
# Referenced by OwnerId and friends but not stored: only their id prefix is checked.
_UNSTORED_KEY_PREFIXES = {"User": "005", "Group": "00G"}


def label_for(api_name: str) -> str:
    """Salesforce's default label: 'AI_Call_Score__c' -> 'AI Call Score', 'OwnerId' -> 'Owner ID'."""
    base = re.sub(r"__[ce]$", "", api_name).replace("_", " ")
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", base)
    return re.sub(r"(?<=\w) Id$", " ID", spaced)


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # describe's type: string, textarea, email, phone, url, picklist, boolean, double, int, date, datetime, reference, id
    length: int = 0
    nillable: bool = True
    createable: bool = True
    updateable: bool = True
    external_id: bool = False
    unique: bool = False
    default: Any = None  # set on create when the request leaves the field out
    picklist_values: tuple[str, ...] = ()
    restricted: bool = False  # a restricted picklist rejects values outside picklist_values
    reference_to: tuple[str, ...] = ()
    precision: int = 0
    scale: int = 0
    auto_number: bool = False

    @property
    def label(self) -> str:
        return label_for(self.name)

    @property
    def required(self) -> bool:
        """Salesforce's rule: not nillable, createable, and nothing fills it in on create."""
        return not self.nillable and self.createable and self.default is None and not self.auto_number

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name, "label": self.label, "type": self.type, "length": self.length,
            "nillable": self.nillable, "createable": self.createable, "updateable": self.updateable,
            "externalId": self.external_id, "unique": self.unique, "idLookup": self.external_id or self.type == "id",
            "custom": self.name.endswith("__c"), "autoNumber": self.auto_number, "calculated": False,
            "caseSensitive": False, "filterable": True, "sortable": self.type != "textarea",
            "defaultedOnCreate": self.default is not None or self.auto_number or not self.createable,
            "defaultValue": self.default, "precision": self.precision, "scale": self.scale,
            "picklistValues": [
                {"active": True, "defaultValue": value == self.default, "label": value, "validFor": None, "value": value}
                for value in self.picklist_values
            ],
            "restrictedPicklist": self.restricted, "referenceTo": list(self.reference_to),
            "relationshipName": self.name[:-2] if self.type == "reference" and self.name.endswith("Id") else None,
            "soapType": _SOAP_TYPES.get(self.type, "xsd:string"),
        }


# Field constructors, named after what an admin picks in Setup.
READ_ONLY = {"createable": False, "updateable": False}


def text(name: str, length: int = 255, **options: Any) -> Field:
    return Field(name, "string", length=length, **options)


def long_text(name: str, length: int = 32000, **options: Any) -> Field:
    return Field(name, "textarea", length=length, **options)


def email(name: str, **options: Any) -> Field:
    return Field(name, "email", length=80, **options)


def phone(name: str, **options: Any) -> Field:
    return Field(name, "phone", length=40, **options)


def url(name: str, **options: Any) -> Field:
    return Field(name, "url", length=255, **options)


def picklist(name: str, values: tuple[str, ...], **options: Any) -> Field:
    return Field(name, "picklist", length=255, picklist_values=values, **options)


def checkbox(name: str, **options: Any) -> Field:
    return Field(name, "boolean", nillable=False, default=False, **options)


def number(name: str, precision: int = 18, scale: int = 2, **options: Any) -> Field:
    return Field(name, "double", precision=precision, scale=scale, **options)


def integer(name: str, **options: Any) -> Field:
    return Field(name, "int", precision=9, **options)


def date(name: str, **options: Any) -> Field:
    return Field(name, "date", **options)


def date_time(name: str, **options: Any) -> Field:
    return Field(name, "datetime", **options)


def reference(name: str, *targets: str, **options: Any) -> Field:
    return Field(name, "reference", length=18, reference_to=targets, **options)


class SObjectType:
    def __init__(self, name: str, key_prefix: str, fields: list[Field], *, is_event: bool = False,
                 open_schema: bool = False, label: str | None = None):
        self.name = name
        self.key_prefix = key_prefix
        self.label = label or label_for(name)
        self.is_event = is_event
        self.open_schema = open_schema  # accept any custom field name (see the module docstring)
        self._fields: dict[str, Field] = {}
        for field in (*(_event_fields() if is_event else _record_fields()), *fields):
            self.add_field(field)

    @property
    def fields(self) -> list[Field]:
        return list(self._fields.values())

    def field(self, name: str) -> Field | None:
        """Field names are case-insensitive in the API, as in Salesforce."""
        found = self._fields.get(name.lower())
        if found is None and self.open_schema and _CUSTOM_FIELD.match(name):
            return long_text(name, 131072)
        return found

    def add_field(self, field: Field) -> None:
        self._fields[field.name.lower()] = field

    def describe(self, api_prefix: str) -> dict[str, Any]:
        stored = not self.is_event
        return {
            "name": self.name, "label": self.label, "labelPlural": self.label + "s", "keyPrefix": self.key_prefix,
            "custom": self.name.endswith(("__c", "__e")), "createable": True, "updateable": stored,
            "deletable": stored, "queryable": stored, "retrieveable": stored, "searchable": stored,
            "fields": [field.describe() for field in self.fields],
            "urls": {
                "sobject": f"{api_prefix}/sobjects/{self.name}",
                "describe": f"{api_prefix}/sobjects/{self.name}/describe",
                "rowTemplate": f"{api_prefix}/sobjects/{self.name}/{{ID}}",
            },
        }


def _record_fields() -> tuple[Field, ...]:
    audit = {"nillable": False, **READ_ONLY}
    return (
        Field("Id", "id", length=18, **audit),
        checkbox("IsDeleted", **READ_ONLY),
        date_time("CreatedDate", **audit),
        reference("CreatedById", "User", **audit),
        date_time("LastModifiedDate", **audit),
        reference("LastModifiedById", "User", **audit),
        date_time("SystemModstamp", **audit),
    )


def _event_fields() -> tuple[Field, ...]:
    return (
        text("ReplayId", **READ_ONLY),
        text("EventUuid", 36, **READ_ONLY),
        date_time("CreatedDate", nillable=False, **READ_ONLY),
        reference("CreatedById", "User", nillable=False, **READ_ONLY),
    )


def _owner(*targets: str) -> Field:
    return reference("OwnerId", *(targets or ("User",)), nillable=False, default=USER_ID)


def _person_fields() -> list[Field]:
    """What Leads and Contacts share; Name is derived from FirstName and LastName."""
    return [
        text("FirstName", 40), text("LastName", 80, nillable=False), text("Name", 121, **READ_ONLY),
        text("Title", 128), email("Email"), phone("Phone"), phone("MobilePhone"),
        picklist("LeadSource", ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")),
        checkbox("DoNotCall"), checkbox("HasOptedOutOfEmail"), long_text("Description"),
    ]


def _lead() -> SObjectType:
    return SObjectType("Lead", "00Q", [
        *_person_fields(), _owner("User", "Group"),
        text("Company", 255, nillable=False), url("Website"),
        picklist("Status", ("Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"),
                 nillable=False, default="Open - Not Contacted"),
        picklist("Rating", ("Hot", "Warm", "Cold")), picklist("Industry", ("Banking", "Healthcare", "Retail", "Technology", "Other")),
        text("Street", 255), text("City", 40), text("State", 80), text("PostalCode", 20), text("Country", 80),
        number("AI_Qualification_Score__c", 3, 0),
        picklist("Qualification_Status__c", ("Hot", "Warm", "Cold", "Unqualified"), restricted=True),
        text("Intent__c"), number("Intent_Confidence__c", 5, 4), text("Disposition__c"),
        date_time("Last_AI_Contact__c"), long_text("Consent_Record__c", 32768),
        long_text("Call_Transcript__c", 131072), number("PII_Redaction_Confidence__c", 5, 4),
    ])


def _contact() -> SObjectType:
    return SObjectType("Contact", "003", [
        *_person_fields(), _owner(), reference("AccountId", "Account"),
        text("MailingStreet", 255), text("MailingCity", 40), text("MailingState", 80),
        text("MailingPostalCode", 20), text("MailingCountry", 80),
    ])


def _account() -> SObjectType:
    return SObjectType("Account", "001", [
        text("Name", 255, nillable=False), _owner(), phone("Phone"), url("Website"), long_text("Description"),
        picklist("Industry", ("Banking", "Healthcare", "Retail", "Technology", "Other")),
        picklist("Type", ("Prospect", "Customer - Direct", "Customer - Channel", "Partner", "Other")),
        text("BillingStreet", 255), text("BillingCity", 40), text("BillingState", 80),
        text("BillingPostalCode", 20), text("BillingCountry", 80),
    ])


def _task() -> SObjectType:
    return SObjectType("Task", "00T", [
        text("Subject"), _owner("User", "Group"),
        picklist("Status", ("Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"),
                 nillable=False, default="Not Started"),
        picklist("Priority", ("High", "Normal", "Low"), nillable=False, default="Normal"),
        reference("WhoId", "Contact", "Lead"), reference("WhatId", "Account", "Case"),
        # Salesforce lets TaskSubtype be set on create only.
        picklist("TaskSubtype", ("Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"), updateable=False),
        integer("CallDurationInSeconds"), text("CallDisposition"), text("CallObject"),
        picklist("CallType", ("Internal", "Inbound", "Outbound")),
        long_text("Description"), date("ActivityDate"), date_time("ReminderDateTime"), checkbox("IsReminderSet"),
        text("Vapi_Call_Id__c", external_id=True, unique=True), url("Recording_URL__c"),
        date_time("StartTime__c"), date_time("EndTime__c"),
    ])


def _case() -> SObjectType:
    return SObjectType("Case", "500", [
        text("CaseNumber", 30, auto_number=True, **READ_ONLY), text("Subject"), long_text("Description"),
        _owner("User", "Group"),
        picklist("Status", ("New", "Working", "Escalated", "Closed"), nillable=False, default="New"),
        picklist("Origin", ("Phone", "Email", "Web")),
        picklist("Priority", ("High", "Medium", "Low"), default="Medium"),
        picklist("Type", ("Question", "Problem", "Feature Request")), picklist("Reason", ("Other",)),
        reference("ContactId", "Contact"), reference("AccountId", "Account"),
        text("SuppliedName", 80), email("SuppliedEmail"), phone("SuppliedPhone"), text("SuppliedCompany", 80),
        text("Vapi_Call_Id__c", external_id=True),
    ])


class Schema:
    def __init__(self) -> None:
        self._types = {sobject.name.lower(): sobject for sobject in (_lead(), _contact(), _account(), _task(), _case())}

    def get(self, name: str) -> SObjectType | None:
        """Object names are case-insensitive; unknown `__e` names become open platform events."""
        found = self._types.get(name.lower())
        if found is None and _EVENT_NAME.match(name):
            found = self._types[name.lower()] = SObjectType(name, EVENT_KEY_PREFIX, [], is_event=True, open_schema=True)
        return found

    def all(self) -> list[SObjectType]:
        return list(self._types.values())

    def add_object(self, sobject: SObjectType) -> None:
        self._types[sobject.name.lower()] = sobject

    def add_field(self, sobject: str, field: Field) -> None:
        found = self.get(sobject)
        if found is None:
            raise KeyError(f"no sObject type {sobject!r}")
        found.add_field(field)

    def key_prefix_of(self, type_name: str) -> str | None:
        if type_name in _UNSTORED_KEY_PREFIXES:
            return _UNSTORED_KEY_PREFIXES[type_name]
        found = self._types.get(type_name.lower())
        return found.key_prefix if found else None

    def by_key_prefix(self, record_id: str) -> SObjectType | None:
        return next((t for t in self._types.values() if not t.is_event and record_id.startswith(t.key_prefix)), None)
