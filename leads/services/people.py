"""Who a call is about in Salesforce: the Lead or Contact it is matched to.

Local knowledge first (the call's lead, the Salesforce id an outbound call carried, the
Lead mirror by phone); Salesforce is asked only for numbers never seen before, all in
one request, and the answer is kept in the mirror."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from django.db import connection

from calls.models import Call
from calls.phones import to_e164
from integrations.salesforce.batches import chunks
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.errors import from_error_list
from integrations.salesforce.phones import stored_spellings
from integrations.salesforce.soql import literal
from leads.models import Lead
from leads.salesforce_ids import Person, person_from_call_data

# Per query: keeps each SOQL statement and its URL a few kilobytes long.
PHONES_PER_QUERY = 20
# Composite takes 25 subrequests; each group of phones needs four (Lead and Contact, Phone and MobilePhone).
QUERY_GROUPS_PER_REQUEST = 6
# OwnerId routes follow-ups to the rep; plain fields only (Owner.Name is a relationship path).
_PERSON_FIELDS = {"Lead": "Id, FirstName, LastName, Company, Email, Phone, MobilePhone, OwnerId, Status, DoNotCall",
                  "Contact": "Id, FirstName, LastName, Email, Phone, MobilePhone, OwnerId, DoNotCall"}


def known_people(calls: list[Call]) -> dict[int, Person]:
    """What callsync already knows, by call pk: one query for the whole batch."""
    found: dict[int, Person] = {}
    for call in calls:
        person = Person.from_id(call.lead.salesforce_id) if call.lead_id and call.lead.salesforce_id else None
        found[call.pk] = person or person_from_call_data(call)
    phones = {call.customer_number for call in calls if found[call.pk] is None and call.customer_number}
    mirror = {}
    for phone, salesforce_id in (
        Lead.objects.filter(phone_e164__in=phones, salesforce_id__isnull=False)
        .order_by("updated_at").values_list("phone_e164", "salesforce_id")
    ):
        mirror[phone] = Person.from_id(salesforce_id) or mirror.get(phone)  # the newest row wins
    for call in calls:
        if found[call.pk] is None and call.customer_number in mirror:
            found[call.pk] = mirror[call.customer_number]
    return {pk: person for pk, person in found.items() if person is not None}


def find_by_phone(client: SalesforceClient, phones: Iterable[str]) -> dict[str, tuple[Person, dict]]:
    """Leads (preferred) and Contacts whose Phone or MobilePhone is any spelling of each number."""
    found: dict[str, tuple[Person, dict]] = {}
    groups = chunks(sorted(set(phones)), PHONES_PER_QUERY)
    for request_groups in chunks(groups, QUERY_GROUPS_PER_REQUEST):
        subrequests = [
            {"method": "GET", "url": client.api_path("query?q=" + quote(soql, safe="")), "referenceId": f"q{index}"}
            for index, soql in enumerate(_queries(request_groups))
        ]
        for reply in client.composite(subrequests, all_or_none=False):
            _absorb(found, reply)
    return found


def _queries(groups: list[list[str]]) -> list[str]:
    queries = []
    for group in groups:
        spellings = ", ".join(literal(spelling) for phone in group for spelling in stored_spellings(phone))
        for sobject in ("Lead", "Contact"):
            for field in ("Phone", "MobilePhone"):
                queries.append(
                    f"SELECT {_PERSON_FIELDS[sobject]} FROM {sobject} WHERE {field} IN ({spellings}) "
                    "ORDER BY LastModifiedDate DESC"
                )
    return queries


def _absorb(found: dict[str, tuple[Person, dict]], reply: dict) -> None:
    if not 200 <= reply.get("httpStatusCode", 500) < 300:
        raise from_error_list(reply.get("body") or [], reply.get("httpStatusCode"))
    for record in reply["body"].get("records", []):
        person = Person.from_id(record.get("Id", ""))
        if person is None:
            continue
        for field in ("Phone", "MobilePhone"):
            phone = to_e164(record.get(field) or "")
            current = found.get(phone)
            # A Lead beats a Contact; between equals, the first (most recently modified) stays.
            if phone and (current is None or (current[0].sobject == "Contact" and person.sobject == "Lead")):
                found[phone] = (person, record)


def remember(*, phone: str, person: Person, fields: dict) -> Lead:
    """Keep what Salesforce holds for a person in the mirror, for the next call and in-call look-ups."""
    values = {
        "phone_e164": phone,
        "first_name": (fields.get("FirstName") or "")[:80],
        "last_name": (fields.get("LastName") or "")[:80],
        "company": (fields.get("Company") or "")[:255],
        "email": (fields.get("Email") or "")[:254],
        "owner_salesforce_id": (fields.get("OwnerId") or "")[:18],
        "status": (fields.get("Status") or "")[:40],
    }
    lead = Lead.objects.filter(salesforce_id=person.salesforce_id).first() or Lead(salesforce_id=person.salesforce_id)
    for name, value in values.items():
        if value or not getattr(lead, name):  # a blank answer never erases what is known
            setattr(lead, name, value)
    if "DoNotCall" in fields:  # only an answer that carries the flag may clear it
        lead.do_not_call = bool(fields["DoNotCall"])
    lead.save()
    return lead


def owners_of(people: Iterable[Person]) -> dict[str, str]:
    """The OwnerId the mirror knows for each person, by Salesforce id; one query."""
    ids = {person.salesforce_id for person in people}
    rows = Lead.objects.filter(salesforce_id__in=ids).exclude(owner_salesforce_id="")
    return dict(rows.values_list("salesforce_id", "owner_salesforce_id"))


def lock_phones(phones: Iterable[str]) -> None:
    """Serialise syncs of the same number until the transaction ends, so a new
    caller's Lead is created once even when two of their calls finish together."""
    if connection.vendor != "postgresql":
        return  # SQLite runs one writing transaction at a time anyway
    with connection.cursor() as cursor:
        for phone in sorted(set(phones)):  # one global order: no deadlocks between batches
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ["callsync-phone:" + phone])
