"""Salesforce record ids as callsync meets them: on outbound calls, in the mirror, in answers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from calls.models import Call

_SALESFORCE_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
OBJECT_BY_PREFIX = {"00Q": "Lead", "003": "Contact"}
# Where outbound calls carry the record they are about (assistantOverrides.metadata / variableValues).
ID_KEYS = ("salesforceLeadId", "salesforce_lead_id", "salesforceContactId", "salesforce_contact_id",
           "salesforceId", "salesforce_id", "leadId", "lead_id", "contactId", "contact_id")


@dataclass(frozen=True)
class Person:
    sobject: str  # "Lead" or "Contact"
    salesforce_id: str

    @classmethod
    def from_id(cls, salesforce_id: str) -> Person | None:
        if not isinstance(salesforce_id, str) or not _SALESFORCE_ID.match(salesforce_id):
            return None
        sobject = OBJECT_BY_PREFIX.get(salesforce_id[:3])
        return cls(sobject, salesforce_id) if sobject else None


def person_from_call_data(call: Call) -> Person | None:
    """The record an outbound call was placed for, from the ids it carried."""
    for values in (call.metadata, call.variable_values):
        if not isinstance(values, dict):
            continue
        for key in ID_KEYS:
            person = Person.from_id(values.get(key))
            if person is not None:
                return person
    return None
