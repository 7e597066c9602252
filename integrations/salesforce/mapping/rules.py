"""The rules' vocabulary: objects, transforms, privacy levels, and the values that describe a
rule (`MappingRule`, an admin FieldMapping row) and a Salesforce field (`FieldInfo`, from describe)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

TRUNCATION_MARKER = " [… truncated by callsync]"
CONST_PREFIX = "const:"
CANONICAL_ROOTS = ("caller", "lead", "call", "qualification", "analysis", "consent", "transcript", "privacy")
# Every path of the call document (crm.services.call_document builds it; its tests keep the two in step),
# declared here so that validating a rule's source needs nothing but the engine.
DOCUMENT_PATHS: tuple[str, ...] = (
    "caller.phone", "caller.phone_raw", "caller.name", "caller.first_name", "caller.last_name", "caller.company",
    "caller.email",
    "lead.salesforce_id", "lead.first_name", "lead.last_name", "lead.name", "lead.company", "lead.email",
    "lead.owner_name", "lead.phone",
    "call.id", "call.vapi_call_id", "call.twilio_call_sid", "call.direction", "call.type", "call.status",
    "call.ended_reason", "call.started_at", "call.ended_at", "call.duration_seconds", "call.cost", "call.summary",
    "call.recording_url", "call.disposition", "call.success_evaluation", "call.incomplete", "call.subject",
    "qualification.score", "qualification.status", "qualification.intent", "qualification.intent_confidence",
    "analysis.summary", "analysis.structuredData", "analysis.successEvaluation",
    "consent.status", "consent.given", "consent.record",
    "transcript",
    "privacy.redaction_confidence",
)
# Free-form: any path below these is accepted (analysis.structuredData.budget).
OPEN_PATHS: tuple[str, ...] = ("analysis.structuredData",)
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
