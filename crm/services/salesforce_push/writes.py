"""What a push writes: the calls on their way, their people (Leads), and every other record
a call writes (its Task, follow-ups, a Case, a Platform Event), each with its outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from calls.models import Call
from crm.models import ROLES, Role, SyncedRecord, SyncJob
from integrations.salesforce.client import external_id_path
from integrations.salesforce.errors import SalesforceError
from integrations.salesforce.mapping import MappedRecords
from leads.models import Qualification
from leads.salesforce_ids import Person

# Dependent subrequests fail with these when an earlier one failed: the earlier error is the story.
KNOCK_ON = {"PROCESSING_HALTED", "INVALID_REFERENCE"}


@dataclass
class CallSync:
    """One call on its way to Salesforce, and what became of it."""

    job: SyncJob
    call: Call
    person: Person | None = None
    records: MappedRecords | None = None  # filled once the org's field limits are known
    caller: dict[str, Any] = field(default_factory=dict)  # the call document's caller: name, company, phone
    qualification: Qualification | None = None
    owner_id: str = ""  # the person's OwnerId, as the mirror knows it
    # Each record Salesforce accepted in this attempt, the person included; unsaved until the job is settled.
    written: dict[Role, SyncedRecord] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the attempt should tell a person, beyond the mapping's
    error: SalesforceError | None = None

    @property
    def phone(self) -> str:
        return self.call.customer_number

    @property
    def lead_id(self) -> str:
        """The person the call's records point at: the Lead written, or the Contact matched."""
        return self.written_id(Role.LEAD)

    @property
    def task_id(self) -> str:
        return self.written_id(Role.CALL_TASK)

    def written_id(self, role: Role) -> str:
        record = self.written.get(role)
        return record.salesforce_id if record else ""

    def wrote(self, role: Role, sobject: str, salesforce_id: str) -> None:
        self.written[role] = SyncedRecord(job=self.job, role=role, sobject=sobject, salesforce_id=salesforce_id)

    def fail(self, error: SalesforceError) -> None:
        if self.error is None or self.error.code in KNOCK_ON:
            self.error = error


@dataclass(eq=False)  # compared and hashed by identity: plans look writes up
class LeadWrite:
    """A Lead to create (person is None) or update, on behalf of one or more calls."""

    person: Person | None
    body: dict
    syncs: list[CallSync]
    record_id: str = ""
    error: SalesforceError | None = None

    @property
    def creates(self) -> bool:
        return self.person is None


@dataclass(eq=False)
class RecordWrite:
    """One record written for one call: upserted by an external id (Tasks, Cases), so that
    writing it again updates it; or, without a key, created (Platform Events)."""

    sync: CallSync
    role: Role
    body: dict
    sobject: str = ""  # the role's own object (ROLES) unless the write names one (the event's)
    key_field: str = ""
    key_value: str = ""
    # A Lead created in the same push: its id goes into lead_field once Salesforce gives it.
    lead: LeadWrite | None = None
    lead_field: str = ""
    optional: bool = False  # a failure is a note on the call, not the call's failure
    record_id: str = ""
    error: SalesforceError | None = None

    def __post_init__(self):
        self.sobject = self.sobject or ROLES[self.role].sobject

    @property
    def upserts(self) -> bool:
        return bool(self.key_field)

    @property
    def method(self) -> str:
        return "PATCH" if self.upserts else "POST"

    @property
    def path(self) -> str:
        if self.upserts:
            return external_id_path(self.sobject, self.key_field, self.key_value)
        return f"sobjects/{self.sobject}"

    @property
    def waits_for_lead(self) -> bool:
        return self.lead is not None and bool(self.lead_field)


@dataclass
class Plan:
    leads: list[LeadWrite] = field(default_factory=list)
    records: list[RecordWrite] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.leads) + len(self.records)
