"""The Salesforce REST client callsync uses: simple-salesforce on a requests session that owns
TLS trust, timeouts, the shared rate limit, API-budget bookkeeping and error translation, so
that every failure leaves here as a SalesforceError whose kind says what to do next."""

from __future__ import annotations

import logging
import re
import threading
from functools import partial
from typing import Any, Callable, TypeVar
from urllib.parse import quote

import requests
from django.core.cache import cache
from simple_salesforce import Salesforce
from simple_salesforce import exceptions as simple_salesforce_errors

from . import errors
from .budget import api_budget
from .config import SalesforceConfig
from .errors import ErrorKind, NotConfigured, SalesforceError
from .ratelimit import RateLimiter, limiter_for
from .tokens import AccessToken, TokenProvider, trusted_ca_file

logger = logging.getLogger(__name__)

MAX_COLLECTION_RECORDS = 200
MAX_COMPOSITE_SUBREQUESTS = 25
DESCRIBE_CACHE_SECONDS = 24 * 60 * 60
_API_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")  # object and field API names, which end up in URL paths
_RECORD_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")

T = TypeVar("T")

# Told of every request sent: method=, status= (None: no answer). The metrics register here at start
# (observability/apps.py), so that the protocol layer imports no app.
request_observers: list[Callable[..., None]] = []


def _request_sent(method: str, status: int | None) -> None:
    for observe in request_observers:
        observe(method=method, status=status)


class _SalesforceSession(requests.Session):
    """The session under simple-salesforce.  Every request it sends trusts exactly the
    configured CAs, has a timeout, waits for a rate-limit slot, is counted, and reports the
    org's API usage; every failure comes out as a SalesforceError."""

    def __init__(self, ca_file: str, timeout_seconds: float, limiter: RateLimiter):
        super().__init__()
        self.verify = ca_file
        self.requests_made = 0
        self._timeout = (timeout_seconds, timeout_seconds)  # (connect, read)
        self._limiter = limiter
        self._count_lock = threading.Lock()

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self._timeout)
        self._limiter.acquire()
        with self._count_lock:
            self.requests_made += 1
        try:
            response = super().request(method, url, *args, **kwargs)
        except requests.RequestException as error:
            _request_sent(method, None)
            raise errors.from_transport_error(error, url) from error
        _request_sent(method, response.status_code)
        if limit_info := response.headers.get("Sforce-Limit-Info"):
            api_budget.record(limit_info)
        if response.status_code >= 300:  # where simple-salesforce would raise, with the headers still at hand
            raise errors.from_response(response.status_code, _json_or_text(response), response.headers)
        return response

    def merge_environment_settings(
        self, url: str, proxies: dict[str, str] | None, stream: bool | None, verify: Any, cert: Any
    ) -> dict[str, Any]:
        # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE replace self.verify; proxies from the
        # environment still apply.
        return super().merge_environment_settings(url, proxies, stream, self.verify, cert)


def _json_or_text(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


class SalesforceClient:
    def __init__(self, config: SalesforceConfig, tokens: TokenProvider | None = None):
        self.config = config
        self.tokens = tokens or TokenProvider(config)
        self._session = _SalesforceSession(trusted_ca_file(config.ca_bundle), config.timeout_seconds, limiter_for(config))
        self._token: AccessToken | None = None
        self._salesforce: Salesforce | None = None

    # --- plumbing ----------------------------------------------------------------------

    @property
    def requests_made(self) -> int:
        """API requests this client sent (OAuth token requests not included)."""
        return self._session.requests_made

    @property
    def salesforce(self) -> Salesforce:
        if self._salesforce is None or self._token is None or not self.tokens.is_fresh(self._token):
            self._connect(self.tokens.get())
        return self._salesforce

    def _connect(self, token: AccessToken) -> None:
        salesforce = Salesforce(
            session_id=token.access_token, instance_url=token.instance_url, version=self.config.api_version,
            session=self._session, object_pairs_hook=dict,
        )
        salesforce.headers.pop("X-PrettyPrint", None)  # indented JSON is bytes and parse time for nobody
        self._token, self._salesforce = token, salesforce

    def _call(self, operation: Callable[[Salesforce], T]) -> T:
        """operation, retried once with a new token when Salesforce says the session expired."""
        try:
            return self._attempt(operation)
        except SalesforceError as error:
            if error.kind is not ErrorKind.SESSION_EXPIRED:
                raise
        logger.info("Salesforce refused the session; retrying once with a new token")
        self._connect(self.tokens.refresh(self._token))
        return self._attempt(operation)

    def _attempt(self, operation: Callable[[Salesforce], T]) -> T:
        try:
            return operation(self.salesforce)
        except requests.exceptions.JSONDecodeError as error:
            raise SalesforceError(ErrorKind.TRANSIENT, "Salesforce answered with a body that is not JSON",
                                  code="MALFORMED_RESPONSE") from error
        except simple_salesforce_errors.SalesforceError as error:  # raised on paths that skip our session's checks
            raise errors.from_response(error.status, error.content) from error

    def request(self, method: str, rest: str, *, params: dict[str, Any] | None = None, json: Any = None) -> Any:
        """Any REST resource under /services/data/vXX.X/ (e.g. "sobjects/Lead/00Q..."): the decoded
        answer, or None for 204 No Content."""
        return self._call(lambda salesforce: salesforce.restful(rest.lstrip("/"), params=params, method=method, json=json))

    def api_path(self, rest: str) -> str:
        """The server-relative URL Composite subrequests need."""
        return f"/services/data/v{self.config.api_version}/{rest.lstrip('/')}"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> SalesforceClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- resources ---------------------------------------------------------------------

    def query(self, soql: str) -> list[dict[str, Any]]:
        """Every record the query matches, following nextRecordsUrl page by page (one API call each)."""
        page = self._call(lambda salesforce: salesforce.query(soql))
        records = list(page["records"])
        while not page.get("done", True):
            page = self._call(partial(_next_page, next_records_url=page["nextRecordsUrl"]))
            records.extend(page["records"])
        return records

    def composite(self, subrequests: list[dict[str, Any]], all_or_none: bool = True) -> list[dict[str, Any]]:
        """The compositeResponse items, one per subrequest; failed subrequests are in there, not raised."""
        _check_batch_size(subrequests, MAX_COMPOSITE_SUBREQUESTS, "subrequests")
        if not subrequests:
            return []
        body = self.request("POST", "composite", json={"allOrNone": all_or_none, "compositeRequest": subrequests})
        return _expect_list(body.get("compositeResponse") if isinstance(body, dict) else None, "composite")

    def create_many(self, records: list[dict[str, Any]], all_or_none: bool = False) -> list[dict[str, Any]]:
        """Insert up to 200 records in one call; each carries attributes: {"type": ...}."""
        return self._collection("POST", "composite/sobjects", records, all_or_none)

    def update_many(self, records: list[dict[str, Any]], all_or_none: bool = False) -> list[dict[str, Any]]:
        """Update up to 200 records in one call; each carries its Id."""
        return self._collection("PATCH", "composite/sobjects", records, all_or_none)

    def upsert_many(
        self, sobject: str, external_id_field: str, records: list[dict[str, Any]], all_or_none: bool = False
    ) -> list[dict[str, Any]]:
        """Upsert up to 200 records of one type by an external id field in one call."""
        path = f"composite/sobjects/{_api_name(sobject)}/{_api_name(external_id_field)}"
        typed = [record if "attributes" in record else {"attributes": {"type": sobject}, **record} for record in records]
        return self._collection("PATCH", path, typed, all_or_none)

    def _collection(self, method: str, path: str, records: list[dict[str, Any]], all_or_none: bool) -> list[dict[str, Any]]:
        """One result per record, in order; failed records are in there ({"success": false, "errors": [...]}), not raised."""
        _check_batch_size(records, MAX_COLLECTION_RECORDS, "records")
        if not records:
            return []
        return _expect_list(self.request(method, path, json={"allOrNone": all_or_none, "records": records}), path)

    def describe(self, sobject: str, *, refresh: bool = False) -> dict[str, Any]:
        """The object's describe, kept for a day in the shared cache (schemas change rarely, calls cost)."""
        key = f"callsync:salesforce:describe:{self.config.identity}:{self.config.api_version}:{sobject.lower()}"
        if not refresh and isinstance(cached := cache.get(key), dict):
            return cached
        described = self.request("GET", f"sobjects/{_api_name(sobject)}/describe")
        cache.set(key, described, DESCRIBE_CACHE_SECONDS)
        return described

    def limits(self) -> dict[str, Any]:
        return self._call(lambda salesforce: salesforce.limits())


def _next_page(salesforce: Salesforce, next_records_url: str) -> dict[str, Any]:
    return salesforce.query_more(next_records_url, identifier_is_url=True)


def _check_batch_size(items: list[Any], limit: int, what: str) -> None:
    if len(items) > limit:
        raise ValueError(f"Salesforce takes at most {limit} {what} in one request, not {len(items)}: split the batch")


def _api_name(name: str) -> str:
    if not isinstance(name, str) or not _API_NAME.match(name):
        raise ValueError(f"{name!r:.80} is not a Salesforce API name")
    return name


def record_path(sobject: str, record_id: str) -> str:
    """"sobjects/{Obj}/{Id}". Ids come from answers and webhooks: anything but a 15/18-character
    Salesforce id is refused before it can name another resource."""
    if not isinstance(record_id, str) or not _RECORD_ID.match(record_id):
        raise ValueError(f"{record_id!r:.80} is not a Salesforce record id")
    return f"sobjects/{_api_name(sobject)}/{record_id}"


def external_id_path(sobject: str, field: str, value: str) -> str:
    """"sobjects/{Obj}/{ExtField}/{value}", the upsert by external id. The value can be anything
    (a Vapi call id, a key with a colon), so it is quoted into exactly one path segment."""
    if not isinstance(value, str) or not value:
        raise ValueError("an external id value is needed to upsert by it")
    return f"sobjects/{_api_name(sobject)}/{_api_name(field)}/{quote(value, safe='')}"


def _expect_list(value: Any, resource: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise SalesforceError(ErrorKind.TRANSIENT, f"Salesforce's answer to {resource} is not a list of results",
                              code="MALFORMED_RESPONSE")
    return value


def get_client() -> SalesforceClient:
    """A client for the current settings.  Cheap: the token comes from the shared cache."""
    config = SalesforceConfig.from_settings()
    if not config.configured:
        raise NotConfigured(config.missing)
    return SalesforceClient(config)
