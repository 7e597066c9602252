"""The org's state: records per sObject, the daily API budget, and the rules every write
passes (field exists and is writable, value fits, required fields present, unique
values unique, references point at real records).

One re-entrant lock guards everything, so an upsert's find-then-write is atomic and a
composite or collections request can hold it to run as one transaction (savepoint /
rollback).  Records are never changed in place, only replaced, which makes a
savepoint a cheap shallow copy.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from dataclasses import replace
from typing import Any

from . import ids, soql
from .responses import AmbiguousExternalId, ApiError, invalid_field, invalid_type, json_parser_error, not_found
from .schema import Field, Schema, SObjectType
from .values import comparable, now
from .values import coerce as coerce_value

Record = dict[str, Any]


class Org:
    def __init__(self, daily_api_limit: int = 15000):
        self.lock = threading.RLock()
        self.daily_api_limit = daily_api_limit
        self._serials = itertools.count(1)  # never restarts, so an id from before a reset finds nothing
        self.reset()

    def reset(self) -> None:
        """Forget all records, schema extensions and API calls used."""
        with self.lock:
            self.schema = Schema()
            self._tables: dict[str, dict[str, Record]] = {}
            self._auto_numbers: dict[str, itertools.count] = {}
            self.api_calls_used = 0

    # --- API budget ------------------------------------------------------------------

    def consume_api_call(self) -> bool:
        """Count one call against the daily budget; False (nothing counted) when it is used up."""
        with self.lock:
            if self.api_calls_used >= self.daily_api_limit:
                return False
            self.api_calls_used += 1
            return True

    @property
    def api_calls_remaining(self) -> int:
        return max(0, self.daily_api_limit - self.api_calls_used)

    def limit_info(self) -> str:
        """The Sforce-Limit-Info header value."""
        return f"api-usage={self.api_calls_used}/{self.daily_api_limit}"

    # --- transactions (callers hold self.lock) ---------------------------------------

    def savepoint(self) -> dict[str, dict[str, Record]]:
        return {name: dict(table) for name, table in self._tables.items()}

    def rollback(self, savepoint: dict[str, dict[str, Record]]) -> None:
        self._tables = savepoint

    # --- reading -----------------------------------------------------------------------

    def records(self, sobject: str) -> list[Record]:
        """Every record of a type (platform events included), oldest first, as copies."""
        with self.lock:
            sobject_type = self.schema.get(sobject)
            if sobject_type is None:
                return []
            return [self._full(sobject_type, record) for record in self._table(sobject_type).values()]

    def get(self, sobject: str, record_id: str, fields: list[str] | None = None) -> Record:
        """One record: every field, or only those named."""
        with self.lock:
            sobject_type = self._stored_type(sobject)
            return self._selected(sobject_type, self._existing(sobject_type, record_id), fields)

    def get_by_external_id(self, sobject: str, field_name: str, value: str, fields: list[str] | None = None) -> Record:
        with self.lock:
            sobject_type = self._stored_type(sobject)
            field = self._external_id_field(sobject_type, field_name)
            record = self._only_match(sobject_type, field, value)
            if record is None:
                raise not_found()
            return self._selected(sobject_type, record, fields)

    def query(self, soql_text: str) -> tuple[SObjectType, list[tuple[str, Record]]]:
        """The type queried and, per matching record, its id and the selected fields."""
        query = soql.parse(soql_text)
        with self.lock:
            sobject_type = self.schema.get(query.sobject)
            if sobject_type is None or sobject_type.is_event:
                raise invalid_type(query.sobject)
            fields = [self._queried_field(sobject_type, name) for name in query.fields]
            conditions = [self._resolved(sobject_type, condition) for condition in query.conditions]
            rows = [r for r in self._table(sobject_type).values() if all(c.matches(r.get(c.field)) for c in conditions)]
            if query.order_by:
                rows = self._ordered(rows, self._queried_field(sobject_type, query.order_by).name, query.descending)
            rows = rows[: query.limit] if query.limit is not None else rows
            return sobject_type, [(row["Id"], {field.name: row.get(field.name) for field in fields}) for row in rows]

    # --- writing -----------------------------------------------------------------------

    def insert(self, sobject: str, fields: dict[str, Any]) -> str:
        """Create a record (or publish a platform event) and return its id.

        Used by the REST API and for seeding; seeding uses no API budget."""
        with self.lock:
            sobject_type = self._type(sobject)
            values = self._writable_values(sobject_type, fields, creating=True)
            record = {**self._defaults(sobject_type), **values}
            self._check_required(sobject_type, record)
            self._check_unique(sobject_type, record)
            record_id = ids.make_id(sobject_type.key_prefix, next(self._serials))
            record.update(self._system_values(sobject_type, record_id))
            self._save(sobject_type, record)
            return record_id

    def update(self, sobject: str, record_id: str, fields: dict[str, Any]) -> None:
        with self.lock:
            sobject_type = self._stored_type(sobject)
            current = self._existing(sobject_type, record_id)
            self._replace(sobject_type, current, self._writable_values(sobject_type, fields, creating=False))

    def upsert(self, sobject: str, field_name: str, value: Any, fields: dict[str, Any]) -> tuple[str, bool]:
        """(record id, created): update the one record whose external id is value, else create it."""
        with self.lock:
            sobject_type = self._stored_type(sobject)
            field = self._external_id_field(sobject_type, field_name)
            key = coerce_value(field, value)
            if key is None:
                raise not_found()
            body = self._without_external_id(fields, field, key)
            match = self._only_match(sobject_type, field, key)
            if match:
                self._replace(sobject_type, match, self._writable_values(sobject_type, body, creating=False))
                return match["Id"], False
            return self.insert(sobject_type.name, {**body, field.name: key}), True

    def delete(self, sobject: str, record_id: str) -> None:
        with self.lock:
            sobject_type = self._stored_type(sobject)
            del self._table(sobject_type)[self._existing(sobject_type, record_id)["Id"]]

    # --- helpers -----------------------------------------------------------------------

    def _table(self, sobject_type: SObjectType) -> dict[str, Record]:
        return self._tables.setdefault(sobject_type.name, {})

    def _type(self, name: str) -> SObjectType:
        sobject_type = self.schema.get(name) if isinstance(name, str) else None
        if sobject_type is None:
            raise not_found()
        return sobject_type

    def _stored_type(self, name: str) -> SObjectType:
        """A type whose records can be read and changed: platform events are publish-only."""
        sobject_type = self._type(name)
        if sobject_type.is_event:
            raise invalid_type(sobject_type.name)
        return sobject_type

    def _existing(self, sobject_type: SObjectType, record_id: str) -> Record:
        record = self._table(sobject_type).get(ids.normalize(record_id) or "")
        if record is None:
            raise not_found()
        return record

    def _full(self, sobject_type: SObjectType, record: Record) -> Record:
        """Every field of the type, null where unset (as a GET answers), plus open-schema extras."""
        return {**{field.name: None for field in sobject_type.fields}, **record}

    def _selected(self, sobject_type: SObjectType, record: Record, names: list[str] | None) -> Record:
        if names is None:
            return self._full(sobject_type, record)
        fields = [self._queried_field(sobject_type, name) for name in names]
        return {field.name: record.get(field.name) for field in fields}

    def _writable_values(self, sobject_type: SObjectType, fields: Any, *, creating: bool) -> Record:
        if not isinstance(fields, dict):
            raise json_parser_error(f"Cannot deserialize instance of {sobject_type.name} from a non-object value")
        values = {}
        for name, value in fields.items():
            if name == "attributes":  # clients may echo the type annotation back; Salesforce ignores it
                continue
            field = self._writable_field(sobject_type, name, creating)
            values[field.name] = coerce_value(field, value)
            if field.type == "reference" and values[field.name] is not None:
                self._check_reference(field, values[field.name])
        return values

    def _writable_field(self, sobject_type: SObjectType, name: str, creating: bool) -> Field:
        field = sobject_type.field(name)
        if field is None:
            raise invalid_field(f"No such column '{name}' on sobject of type {sobject_type.name}", name)
        if not (field.createable if creating else field.updateable):
            raise ApiError(
                400, "INVALID_FIELD_FOR_INSERT_UPDATE",
                f"Unable to create/update fields: {field.name}. Please check the security settings of this field "
                "and verify that it is read/write for your profile or permission set.",
                [field.name],
            )
        return field

    def _check_reference(self, field: Field, record_id: str) -> None:
        target = next((name for name in field.reference_to if record_id.startswith(self.schema.key_prefix_of(name) or "?")), None)
        if target is None:
            raise ApiError(400, "FIELD_INTEGRITY_EXCEPTION", f"{field.label}: id value of incorrect type: {record_id}", [field.name])
        target_type = self.schema.get(target)
        if target_type is not None and record_id not in self._table(target_type):
            raise ApiError(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", [field.name])

    def _defaults(self, sobject_type: SObjectType) -> Record:
        return {field.name: field.default for field in sobject_type.fields if field.default is not None}

    def _system_values(self, sobject_type: SObjectType, record_id: str) -> Record:
        created = now()
        if sobject_type.is_event:
            return {"Id": record_id, "ReplayId": str(next(self._serials)), "EventUuid": str(uuid.uuid4()),
                    "CreatedDate": created, "CreatedById": ids.USER_ID}
        return {"Id": record_id, "IsDeleted": False, "CreatedDate": created, "CreatedById": ids.USER_ID,
                "LastModifiedDate": created, "LastModifiedById": ids.USER_ID, "SystemModstamp": created,
                **self._auto_number_values(sobject_type)}

    def _auto_number_values(self, sobject_type: SObjectType) -> Record:
        counter = self._auto_numbers.setdefault(sobject_type.name, itertools.count(1001))
        numbered = [field.name for field in sobject_type.fields if field.auto_number]
        return {name: f"{next(counter):08d}" for name in numbered}

    def _replace(self, sobject_type: SObjectType, current: Record, values: Record) -> None:
        modified = now()
        record = {**current, **values, "LastModifiedDate": modified, "SystemModstamp": modified, "LastModifiedById": ids.USER_ID}
        self._check_required(sobject_type, record)
        self._check_unique(sobject_type, record)
        self._save(sobject_type, record)

    def _save(self, sobject_type: SObjectType, record: Record) -> None:
        if sobject_type.field("FirstName") and sobject_type.field("Name"):  # people's Name is derived
            record["Name"] = " ".join(part for part in (record.get("FirstName"), record.get("LastName")) if part)
        self._table(sobject_type)[record["Id"]] = record

    def _check_required(self, sobject_type: SObjectType, record: Record) -> None:
        missing = [field.name for field in sobject_type.fields if field.required and record.get(field.name) is None]
        if missing:
            raise ApiError(400, "REQUIRED_FIELD_MISSING", f"Required fields are missing: [{', '.join(missing)}]", missing)

    def _check_unique(self, sobject_type: SObjectType, record: Record) -> None:
        for field in sobject_type.fields:
            value = record.get(field.name)
            if not field.unique or value is None:
                continue
            clash = next((other for other in self._matching(sobject_type, field, value) if other["Id"] != record.get("Id")), None)
            if clash:
                raise ApiError(400, "DUPLICATE_VALUE",
                               f"duplicate value found: {field.name} duplicates value on record with id: {clash['Id']}", [field.name])

    def _matching(self, sobject_type: SObjectType, field: Field, value: Any) -> list[Record]:
        wanted = comparable(value)
        return [record for record in self._table(sobject_type).values() if comparable(record.get(field.name)) == wanted]

    def _only_match(self, sobject_type: SObjectType, field: Field, value: Any) -> Record | None:
        """The one record carrying this external id value, None if none; several are an error."""
        matches = self._matching(sobject_type, field, value)
        if len(matches) > 1:
            raise AmbiguousExternalId(sobject_type.name, field.name, [match["Id"] for match in matches])
        return matches[0] if matches else None

    def _external_id_field(self, sobject_type: SObjectType, name: str) -> Field:
        field = sobject_type.field(name)
        if field is None:
            raise invalid_field(f"No such column '{name}' on sobject of type {sobject_type.name}", name)
        if not field.external_id:
            raise invalid_field(f"Field {field.name} is not an External ID or indexed field for {sobject_type.name}", field.name)
        return field

    def _without_external_id(self, fields: Any, field: Field, key: Any) -> Any:
        """The body minus its copy of the external id; a copy that disagrees with the URL is refused."""
        if not isinstance(fields, dict):
            return fields
        body = {name: value for name, value in fields.items() if name.lower() != field.name.lower()}
        repeated = [value for name, value in fields.items() if name.lower() == field.name.lower()]
        if any(comparable(coerce_value(field, value)) != comparable(key) for value in repeated):
            raise invalid_field(f"{field.name} in the request body does not match the external id in the URL", field.name)
        return body

    def _queried_field(self, sobject_type: SObjectType, name: str) -> Field:
        field = sobject_type.field(name)
        if field is None:
            raise ApiError(
                400, "INVALID_FIELD",
                f"No such column '{name}' on entity '{sobject_type.name}'. If you are attempting to use a custom field, "
                "be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe "
                "call for the appropriate names.",
            )
        return field

    def _resolved(self, sobject_type: SObjectType, condition: soql.Condition) -> soql.Condition:
        """The condition on the canonical field name; id literals in their 18-character form."""
        field = self._queried_field(sobject_type, condition.field)
        values = condition.values
        if field.type in ("id", "reference"):
            values = tuple(ids.normalize(value) or value for value in values)
        return replace(condition, field=field.name, values=values)

    @staticmethod
    def _ordered(rows: list[Record], field_name: str, descending: bool) -> list[Record]:
        """Nulls first ascending and last descending, Salesforce's defaults."""
        def key(row: Record) -> tuple[bool, Any]:
            value = row.get(field_name)
            return value is not None, comparable(value)
        return sorted(rows, key=key, reverse=descending)
