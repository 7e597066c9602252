"""The REST resources under /services/data/vXX.X: which method and path does what.

The router sees requests that already passed authentication and the API budget, so
composite subrequests run through it directly."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote

from . import composite, ids
from .org import Org
from .responses import AmbiguousExternalId, ApiError, Reply, not_found

_VERSIONED = re.compile(r"^/services/data/v(\d+\.\d)(/.*)?$")
_OLDEST_LISTED_VERSION = 55
_SEASONS = ("Winter", "Spring", "Summer")
QUERY_BATCH_SIZE = 2000  # Salesforce's default page size for REST queries


def split_version(path: str) -> tuple[str, str] | None:
    """('62.0', '/sobjects/Lead') for '/services/data/v62.0/sobjects/Lead/'.

    The trailing slash goes: simple-salesforce sends one on some resources."""
    match = _VERSIONED.match(path)
    return (match.group(1), (match.group(2) or "").rstrip("/")) if match else None


def is_supported(version: str, api_version: str) -> bool:
    """An org answers every API version up to its own release's."""
    return float(version) <= float(api_version)


def versions(api_version: str) -> list[dict[str, str]]:
    newest = int(float(api_version))
    return [{"label": _release_label(number), "url": f"/services/data/v{number}.0", "version": f"{number}.0"}
            for number in range(min(_OLDEST_LISTED_VERSION, newest), newest + 1)]


def _release_label(version: int) -> str:
    """Three releases a year; v59.0 was Winter '24."""
    return f"{_SEASONS[(version - 59) % 3]} '{24 + (version - 59) // 3:02d}"


@dataclass(frozen=True)
class Call:
    query: dict[str, str]
    body: Any


class Router:
    def __init__(self, org: Org, api_version: str):
        self.org = org
        self.prefix = f"/services/data/v{api_version}"
        # Query locator -> every record of that query, until its last page is read.
        self._cursors: dict[str, list[dict[str, Any]]] = {}
        self._cursor_serials = itertools.count(1)
        sobject, record, field = r"/sobjects/(\w+)", r"/([^/]+)", r"/(\w+)"
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., Reply]]] = [
            (method, re.compile(pattern), handler) for method, pattern, handler in (
                ("GET", "", self._resources),
                ("GET", "/limits", self._limits),
                ("GET", "/sobjects", self._global_describe),
                ("GET", sobject + "/describe", self._describe),
                ("GET", sobject, self._basic_info),
                ("POST", sobject, self._create),
                ("GET", sobject + record, self._get),
                ("PATCH", sobject + record, self._update),
                ("DELETE", sobject + record, self._delete),
                ("GET", sobject + field + record, self._get_by_external_id),
                ("PATCH", sobject + field + record, self._upsert),
                ("GET", "/query", self._query),
                ("GET", r"/query/([\w-]+)", self._query_more),
                ("POST", "/composite", self._composite),
                ("POST", "/composite/sobjects", self._create_collection),
                ("PATCH", "/composite/sobjects", self._update_collection),
                ("PATCH", "/composite/sobjects" + field + field, self._upsert_collection),
            )
        ]

    def dispatch(self, method: str, path: str, query: dict[str, str], body: Any) -> Reply:
        """path is relative to the version root, still percent-encoded, e.g. '/sobjects/Task/Ext__c/a%2Fb'."""
        allowed = []
        for route_method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            if route_method == method:
                return self._run(handler, Call(query, body), [unquote(group) for group in match.groups()])
            allowed.append(route_method)
        if allowed:
            return ApiError(405, "METHOD_NOT_ALLOWED",
                            f"HTTP Method '{method}' not allowed. Allowed are {','.join(allowed)}").reply()
        return not_found().reply()

    def _run(self, handler: Callable[..., Reply], call: Call, arguments: list[str]) -> Reply:
        try:
            return handler(call, *arguments)
        except AmbiguousExternalId as ambiguous:
            # Salesforce answers 300 Multiple Choices with the matching records' URLs.
            return Reply(300, [self._record_url(ambiguous.sobject, record_id) for record_id in ambiguous.record_ids])
        except ApiError as error:
            return error.reply()

    def _record_url(self, sobject: str, record_id: str) -> str:
        return f"{self.prefix}/sobjects/{sobject}/{record_id}"

    def _attributes(self, sobject: str, record_id: str) -> dict[str, str]:
        return {"type": sobject, "url": self._record_url(sobject, record_id)}

    def _with_attributes(self, sobject: str, record: dict[str, Any]) -> dict[str, Any]:
        return {"attributes": self._attributes(sobject, record.get("Id", "")), **record}

    def _type_name(self, sobject: str) -> str:
        """The canonical spelling: object names are case-insensitive in URLs."""
        found = self.org.schema.get(sobject)
        if found is None:
            raise not_found()
        return found.name

    # --- handlers ----------------------------------------------------------------------

    def _resources(self, call: Call) -> Reply:
        names = ("sobjects", "query", "composite", "limits")
        return Reply(200, {name: f"{self.prefix}/{name}" for name in names})

    def _limits(self, call: Call) -> Reply:
        budget = {"Max": self.org.daily_api_limit, "Remaining": self.org.api_calls_remaining}
        return Reply(200, {"DailyApiRequests": budget})

    def _global_describe(self, call: Call) -> Reply:
        summaries = [self._summary(sobject.name) for sobject in self.org.schema.all()]
        return Reply(200, {"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": summaries})

    def _basic_info(self, call: Call, sobject: str) -> Reply:
        return Reply(200, {"objectDescribe": self._summary(sobject), "recentItems": []})

    def _summary(self, sobject: str) -> dict[str, Any]:
        """describe without the fields, as the global describe and basic info answer."""
        return {key: value for key, value in self._described(sobject).items() if key != "fields"}

    def _describe(self, call: Call, sobject: str) -> Reply:
        return Reply(200, self._described(sobject))

    def _described(self, sobject: str) -> dict[str, Any]:
        found = self.org.schema.get(sobject)
        if found is None:
            raise not_found()
        return found.describe(self.prefix)

    def _create(self, call: Call, sobject: str) -> Reply:
        sobject = self._type_name(sobject)
        record_id = self.org.insert(sobject, call.body)
        return Reply(201, {"id": record_id, "success": True, "errors": []}, {"Location": self._record_url(sobject, record_id)})

    def _get(self, call: Call, sobject: str, record_id: str) -> Reply:
        sobject = self._type_name(sobject)
        record = self.org.get(sobject, record_id, _field_list(call))
        return Reply(200, {"attributes": self._attributes(sobject, ids.normalize(record_id)), **record})

    def _update(self, call: Call, sobject: str, record_id: str) -> Reply:
        self.org.update(self._type_name(sobject), record_id, call.body)
        return Reply(204)

    def _delete(self, call: Call, sobject: str, record_id: str) -> Reply:
        self.org.delete(self._type_name(sobject), record_id)
        return Reply(204)

    def _get_by_external_id(self, call: Call, sobject: str, field_name: str, value: str) -> Reply:
        sobject = self._type_name(sobject)
        record = self.org.get_by_external_id(sobject, field_name, value, _field_list(call))
        return Reply(200, self._with_attributes(sobject, record))

    def _upsert(self, call: Call, sobject: str, field_name: str, value: str) -> Reply:
        sobject = self._type_name(sobject)
        record_id, created = self.org.upsert(sobject, field_name, value, call.body)
        body = {"id": record_id, "success": True, "errors": [], "created": created}
        return Reply(201, body, {"Location": self._record_url(sobject, record_id)}) if created else Reply(200, body)

    def _query(self, call: Call) -> Reply:
        sobject, rows = self.org.query(call.query.get("q", ""))
        records = [{"attributes": self._attributes(sobject.name, record_id), **row} for record_id, row in rows]
        return self._query_page(ids.make_id("01g", next(self._cursor_serials)), records, 0)

    def _query_more(self, call: Call, cursor: str) -> Reply:
        """The next page of a query, at the nextRecordsUrl the previous page gave: /query/<locator>-<offset>."""
        locator, _, offset = cursor.rpartition("-")
        records = self._cursors.get(locator)
        if records is None or not offset.isdigit():
            raise ApiError(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        return self._query_page(locator, records, int(offset))

    def _query_page(self, locator: str, records: list[dict[str, Any]], offset: int) -> Reply:
        end = offset + QUERY_BATCH_SIZE
        page = {"totalSize": len(records), "done": end >= len(records), "records": records[offset:end]}
        if page["done"]:
            self._cursors.pop(locator, None)
        else:
            self._cursors[locator] = records
            page["nextRecordsUrl"] = f"{self.prefix}/query/{locator}-{end}"
        return Reply(200, page)

    def _composite(self, call: Call) -> Reply:
        return composite.run_composite(self.org, call.body, self._subrequest)

    def _create_collection(self, call: Call) -> Reply:
        return composite.create_records(self.org, call.body)

    def _update_collection(self, call: Call) -> Reply:
        return composite.update_records(self.org, call.body)

    def _upsert_collection(self, call: Call, sobject: str, field_name: str) -> Reply:
        return composite.upsert_records(self.org, self._type_name(sobject), field_name, call.body)

    def _subrequest(self, method: str, url: str, body: Any) -> Reply:
        """One composite subrequest; its URL is a full /services/data/vXX.X/... path."""
        path, _, query_string = url.partition("?")
        versioned = split_version(path)
        if versioned is None:
            return not_found().reply()
        if versioned[1] == "/composite":
            return ApiError(400, "INVALID_API_INPUT", "A composite request cannot contain another composite request").reply()
        return self.dispatch(method.upper(), versioned[1], dict(parse_qsl(query_string)), body)


def _field_list(call: Call) -> list[str] | None:
    names = call.query.get("fields")
    return [name.strip() for name in names.split(",") if name.strip()] if names else None
