"""Composite (up to 25 REST calls in one request) and sObject Collections (up to 200 records
in one request).  Each is one API call; with allOrNone it is one transaction, rolled back
as a whole when any part fails.  Both hold the org lock throughout, so no other request
sees a half-done batch."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Callable

from . import ids
from .org import Org
from .responses import ApiError, Reply, json_parser_error
from .values import comparable

MAX_RECORDS = 200
MAX_SUBREQUESTS = 25
_ROLLED_BACK_RECORD = ApiError(
    400, "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "Record rolled back because not all records were valid and the request was using AllOrNone header",
)
_ROLLED_BACK_SUBREQUEST = ApiError(
    400, "PROCESSING_HALTED", "The transaction was rolled back since another operation in the same transaction failed."
)
_REFERENCE = re.compile(r"@\{(\w+)((?:\.\w+|\[\d+\])*)\}")
_REFERENCE_STEP = re.compile(r"\.(\w+)|\[(\d+)\]")

Dispatch = Callable[[str, str, Any], Reply]
Result = dict[str, Any]


# --- sObject Collections -------------------------------------------------------------


def create_records(org: Org, body: Any) -> Reply:
    def create(record: dict[str, Any]) -> Result:
        return _succeeded(org.insert(_record_type(record), record))

    return _run_collection(org, *_collection(body), create)


def update_records(org: Org, body: Any) -> Reply:
    def update(record: dict[str, Any]) -> Result:
        record_id = ids.normalize(record.get("Id"))
        if record_id is None:
            raise ApiError(400, "MISSING_ARGUMENT", "Id not specified in an update call", ["Id"])
        sobject = _record_type(record, default=_type_of_id(org, record_id))
        org.update(sobject, record_id, {name: value for name, value in record.items() if name != "Id"})
        return _succeeded(record_id)

    return _run_collection(org, *_collection(body), update)


def upsert_records(org: Org, sobject: str, field_name: str, body: Any) -> Reply:
    records, all_or_none = _collection(body)
    repeated = _repeated_values(records, field_name)

    def upsert(record: dict[str, Any]) -> Result:
        value = _value_of(record, field_name)
        if value is None:
            raise ApiError(400, "MISSING_ARGUMENT", f"{field_name} not specified", [field_name])
        if comparable(value) in repeated:  # Salesforce refuses to guess which of the two should win
            raise ApiError(400, "DUPLICATE_EXTERNAL_ID", f"Duplicate external id specified: {value}", [field_name])
        record_id, created = org.upsert(sobject, field_name, value, record)
        return {**_succeeded(record_id), "created": created}

    return _run_collection(org, records, all_or_none, upsert)


def _collection(body: Any) -> tuple[list[dict[str, Any]], bool]:
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise json_parser_error("Expected an object with a 'records' array of objects")
    if len(records) > MAX_RECORDS:
        raise ApiError(400, "EXCEEDED_ID_LIMIT", f"record limit reached. cannot submit more than {MAX_RECORDS} records into this call")
    return records, bool(body.get("allOrNone", False))


def _run_collection(
    org: Org, records: list[dict[str, Any]], all_or_none: bool, operation: Callable[[dict[str, Any]], Result]
) -> Reply:
    with org.lock:
        savepoint = org.savepoint()
        results = [_attempt(operation, record) for record in records]
        if all_or_none and not all(result["success"] for result in results):
            org.rollback(savepoint)
            results = [_failed(_ROLLED_BACK_RECORD) if result["success"] else result for result in results]
    return Reply(200, results)


def _attempt(operation: Callable[[dict[str, Any]], Result], record: dict[str, Any]) -> Result:
    try:
        return operation(record)
    except ApiError as error:
        return _failed(error)


def _succeeded(record_id: str) -> Result:
    return {"id": record_id, "success": True, "errors": []}


def _failed(error: ApiError) -> Result:
    return {"success": False, "errors": [error.as_record_error()]}  # Salesforce sends no id for a failed record


def _record_type(record: dict[str, Any], default: str | None = None) -> str:
    attributes = record.get("attributes")
    sobject = attributes.get("type") if isinstance(attributes, dict) else None
    if not (sobject or default):
        raise ApiError(400, "INVALID_TYPE", "Must send a concrete entity type.")
    return sobject or default


def _type_of_id(org: Org, record_id: str) -> str | None:
    sobject = org.schema.by_key_prefix(record_id)
    return sobject.name if sobject else None


def _value_of(record: dict[str, Any], field_name: str) -> Any:
    """A record's value for a field; field names are case-insensitive."""
    return next((value for name, value in record.items() if name.lower() == field_name.lower()), None)


def _repeated_values(records: list[dict[str, Any]], field_name: str) -> set[Any]:
    counts = Counter(comparable(_value_of(record, field_name)) for record in records)
    return {value for value, count in counts.items() if count > 1 and value is not None}


# --- Composite -------------------------------------------------------------------------


def run_composite(org: Org, body: Any, dispatch: Dispatch) -> Reply:
    subrequests, all_or_none = _composite_input(body)
    with org.lock:
        savepoint = org.savepoint()
        replies: list[Reply] = []
        bodies: dict[str, Any] = {}  # what succeeded subrequests answered, for @{referenceId...}
        for subrequest in subrequests:
            halted = all_or_none and any(reply.status >= 400 for reply in replies)
            reply = _ROLLED_BACK_SUBREQUEST.reply() if halted else _execute(subrequest, bodies, dispatch)
            if reply.status < 400:
                bodies[subrequest["referenceId"]] = reply.body
            replies.append(reply)
        if all_or_none and any(reply.status >= 400 for reply in replies):
            org.rollback(savepoint)
            replies = [reply if reply.status >= 400 else _ROLLED_BACK_SUBREQUEST.reply() for reply in replies]
    return Reply(200, {"compositeResponse": [_subresponse(sub, reply) for sub, reply in zip(subrequests, replies)]})


def _composite_input(body: Any) -> tuple[list[dict[str, Any]], bool]:
    subrequests = body.get("compositeRequest") if isinstance(body, dict) else None
    if not isinstance(subrequests, list) or not subrequests:
        raise json_parser_error("Expected an object with a non-empty 'compositeRequest' array")
    if len(subrequests) > MAX_SUBREQUESTS:
        raise ApiError(400, "LIMIT_EXCEEDED", f"A composite request can contain at most {MAX_SUBREQUESTS} subrequests")
    for subrequest in subrequests:
        if not (isinstance(subrequest, dict) and all(isinstance(subrequest.get(key), str) for key in ("method", "url", "referenceId"))):
            raise ApiError(400, "INVALID_API_INPUT", "Each subrequest needs a method, a url and a referenceId")
    reference_ids = Counter(subrequest["referenceId"] for subrequest in subrequests)
    if any(count > 1 for count in reference_ids.values()):
        raise ApiError(400, "INVALID_API_INPUT", "Duplicate referenceId provided in the request")
    return subrequests, bool(body.get("allOrNone", False))


def _execute(subrequest: dict[str, Any], bodies: dict[str, Any], dispatch: Dispatch) -> Reply:
    try:
        url = _resolved_text(subrequest["url"], bodies)
        body = _resolved(subrequest.get("body"), bodies)
    except ApiError as error:
        return error.reply()
    return dispatch(subrequest["method"], url, body)


def _resolved(value: Any, bodies: dict[str, Any]) -> Any:
    """value with every @{ref.path} replaced; a string that is only a reference keeps the value's type."""
    if isinstance(value, dict):
        return {key: _resolved(item, bodies) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolved(item, bodies) for item in value]
    if isinstance(value, str):
        whole = _REFERENCE.fullmatch(value)
        return _lookup(whole, bodies) if whole else _resolved_text(value, bodies)
    return value


def _resolved_text(text: str, bodies: dict[str, Any]) -> str:
    return _REFERENCE.sub(lambda match: str(_lookup(match, bodies)), text)


def _lookup(reference: re.Match[str], bodies: dict[str, Any]) -> Any:
    reference_id, path = reference.groups()
    missing = ApiError(400, "PROCESSING_HALTED",
                       f"Invalid reference specified. No value for {reference_id}{path} found in {reference_id}.")
    if reference_id not in bodies:
        raise missing
    value = bodies[reference_id]
    for key, index in _REFERENCE_STEP.findall(path):
        try:
            value = value[int(index)] if index else value[key]
        except (KeyError, IndexError, TypeError):
            raise missing from None
    return value


def _subresponse(subrequest: dict[str, Any], reply: Reply) -> dict[str, Any]:
    return {"body": reply.body, "httpHeaders": dict(reply.headers), "httpStatusCode": reply.status,
            "referenceId": subrequest["referenceId"]}
