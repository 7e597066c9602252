"""Every Salesforce failure as one exception type whose `kind` tells the sync what to do:
retry later (transient, limit, session, auth), or stop and tell a human (permanent, ambiguous).

The sources differ in shape: REST error lists `[{"errorCode", "message", "fields"}]`, Composite
subresponse bodies (the same lists, or a list of record URLs for a 300), sObject Collections
results (`statusCode` instead of `errorCode`), the OAuth token endpoint (`{"error",
"error_description"}`), HTML pages from Salesforce's edge, and network failures."""

from __future__ import annotations

import email.utils
import enum
import ssl
import time
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import requests


class ErrorKind(enum.StrEnum):
    TRANSIENT = "transient"
    LIMIT_EXCEEDED = "limit_exceeded"
    SESSION_EXPIRED = "session_expired"
    AUTH_FAILED = "auth_failed"
    PERMANENT = "permanent"
    AMBIGUOUS = "ambiguous"
    NOT_CONFIGURED = "not_configured"


_RETRYABLE = frozenset({ErrorKind.TRANSIENT, ErrorKind.LIMIT_EXCEEDED, ErrorKind.SESSION_EXPIRED, ErrorKind.AUTH_FAILED})
_PERMANENT = frozenset({ErrorKind.PERMANENT, ErrorKind.AMBIGUOUS})


class SalesforceError(Exception):
    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        status: int | None = None,
        code: str = "",
        fields: tuple[str, ...] = (),
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        self.code = code
        self.fields = tuple(fields)
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.kind in _RETRYABLE

    @property
    def permanent(self) -> bool:
        return self.kind in _PERMANENT

    def __str__(self) -> str:
        label = self.code + (f" ({', '.join(self.fields)})" if self.fields else "")
        return f"{label}: {self.message}" if label else self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.kind.value}, {str(self)!r}, status={self.status})"

    def __reduce__(self):
        # Celery pickles exceptions (task retries, result backends); keyword-only
        # arguments would otherwise be lost on the way back.
        return _restore, (type(self), self.__dict__.copy())


def _restore(cls: type[SalesforceError], state: dict[str, Any]) -> SalesforceError:
    error = cls.__new__(cls)
    Exception.__init__(error, state["message"])
    error.__dict__.update(state)
    return error


class NotConfigured(SalesforceError):
    def __init__(self, missing: list[str]):
        names = ", ".join(missing) or "the SALESFORCE_* settings"
        super().__init__(ErrorKind.NOT_CONFIGURED, f"Salesforce is not configured: set {names}", code="NOT_CONFIGURED")
        self.missing = list(missing)


# --- Salesforce error codes ----------------------------------------------------------

_KIND_OF_CODE = {
    "UNABLE_TO_LOCK_ROW": ErrorKind.TRANSIENT,
    "SERVER_UNAVAILABLE": ErrorKind.TRANSIENT,
    "UNKNOWN_EXCEPTION": ErrorKind.TRANSIENT,
    "REQUEST_RUNNING_TOO_LONG": ErrorKind.TRANSIENT,
    "QUERY_TIMEOUT": ErrorKind.TRANSIENT,
    # Collateral damage: this record or subrequest was fine but rolled back because another
    # one in the same all-or-none request failed; that other one carries the real error.
    "ALL_OR_NONE_OPERATION_ROLLED_BACK": ErrorKind.TRANSIENT,
    "PROCESSING_HALTED": ErrorKind.TRANSIENT,
    "REQUEST_LIMIT_EXCEEDED": ErrorKind.LIMIT_EXCEEDED,
    "INVALID_SESSION_ID": ErrorKind.SESSION_EXPIRED,
    "MULTIPLE_CHOICES": ErrorKind.AMBIGUOUS,
}
# When one answer carries several errors, the one a retry cannot fix decides.
_PRECEDENCE = (
    ErrorKind.PERMANENT, ErrorKind.AMBIGUOUS, ErrorKind.AUTH_FAILED, ErrorKind.SESSION_EXPIRED,
    ErrorKind.LIMIT_EXCEEDED, ErrorKind.TRANSIENT,
)


def _kind_of_status(status: int | None) -> ErrorKind:
    if status == 300:
        return ErrorKind.AMBIGUOUS
    if status == 401:
        return ErrorKind.SESSION_EXPIRED
    if status is not None and (status == 429 or status >= 500):
        return ErrorKind.TRANSIENT
    return ErrorKind.PERMANENT


def _kind_of(code: str, status: int | None) -> ErrorKind:
    return _KIND_OF_CODE.get(code) or _kind_of_status(status)


def from_error_list(errors: list[Any], status: int | None = None, *, retry_after: float | None = None) -> SalesforceError:
    """One error for a Salesforce error list: a REST or Composite subresponse body
    (`errorCode`), the `errors` of a failed sObject Collections result (`statusCode`), or
    the list of matching record URLs a 300 answers with."""
    if status == 300 or any(isinstance(error, str) for error in errors):
        return _ambiguous([str(error) for error in errors], status)
    details = [error for error in errors if isinstance(error, Mapping)]
    if not details:
        return SalesforceError(_kind_of_status(status), f"Salesforce answered HTTP {status} without error details",
                               status=status, retry_after=retry_after)
    kinds = [_kind_of(_code_of(error), status) for error in details]
    kind = min(kinds, key=_PRECEDENCE.index)
    primary = details[kinds.index(kind)]
    return SalesforceError(
        kind,
        "; ".join(str(error.get("message") or "") for error in details if error.get("message")) or "no message",
        status=status,
        code=_code_of(primary),
        fields=tuple(dict.fromkeys(name for error in details for name in error.get("fields") or ())),
        retry_after=retry_after,
    )


def _code_of(error: Mapping[str, Any]) -> str:
    return str(error.get("errorCode") or error.get("statusCode") or "")


def _ambiguous(record_urls: list[str], status: int | None) -> SalesforceError:
    return SalesforceError(ErrorKind.AMBIGUOUS, f"More than one record matches the external id: {', '.join(record_urls)}",
                           status=status, code="MULTIPLE_CHOICES")


def from_response(status: int, body: Any, headers: Mapping[str, str] | None = None) -> SalesforceError:
    """An API answer of 300 or more, whatever its body: an error list, or an HTML page from the edge."""
    retry_after = parse_retry_after((headers or {}).get("Retry-After"))
    if isinstance(body, list):
        return from_error_list(body, status, retry_after=retry_after)
    return SalesforceError(_kind_of_status(status), f"Salesforce answered HTTP {status}: {_excerpt(body)}",
                           status=status, retry_after=retry_after)


def from_token_response(status: int, body: Any, headers: Mapping[str, str] | None = None) -> SalesforceError:
    """A refusal from the OAuth token endpoint.  Bad credentials are AUTH_FAILED, which the sync
    retries later: someone fixes the connected app or password, and no call is lost meanwhile."""
    retry_after = parse_retry_after((headers or {}).get("Retry-After"))
    if status == 429 or status >= 500:
        return SalesforceError(ErrorKind.TRANSIENT, f"The Salesforce token endpoint answered HTTP {status}: {_excerpt(body)}",
                               status=status, retry_after=retry_after)
    details = body if isinstance(body, Mapping) else {}
    code = str(details.get("error") or "")
    description = str(details.get("error_description") or _excerpt(body))
    return SalesforceError(ErrorKind.AUTH_FAILED, f"Salesforce refused the login: {description}", status=status, code=code)


def _excerpt(body: Any, limit: int = 200) -> str:
    text = body if isinstance(body, str) else repr(body)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- network failures ------------------------------------------------------------------


def from_transport_error(error: BaseException, url: str) -> SalesforceError:
    """A request that got no HTTP answer: refused or dropped connection, timeout, TLS failure.

    The URL's query string is left out: SOQL there may hold phone numbers or names."""
    where = url.split("?", 1)[0]
    if _is_timeout(error):
        return SalesforceError(ErrorKind.TRANSIENT, f"No answer from {where} in time ({_reason(error)})", code="TIMEOUT")
    if _is_tls_failure(error):
        return SalesforceError(
            ErrorKind.TRANSIENT,
            f"TLS verification failed for {where}: {_reason(error)}. Check SALESFORCE_CA_BUNDLE "
            "(the CA file for a private or sandbox org; empty means the public CAs).",
            code="TLS_VERIFICATION_FAILED",
        )
    return SalesforceError(ErrorKind.TRANSIENT, f"Could not reach {where}: {_reason(error)}", code="CONNECTION_FAILED")


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, what it wraps (requests keeps urllib3's errors in args), and what caused it."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
        pending.extend(link for link in (current.__cause__, current.__context__, getattr(current, "reason", None))
                       if isinstance(link, BaseException))


def _is_timeout(error: BaseException) -> bool:
    return any(isinstance(cause, (requests.Timeout, httpx.TimeoutException, TimeoutError)) for cause in _causes(error))


def _is_tls_failure(error: BaseException) -> bool:
    return any(isinstance(cause, (ssl.SSLError, requests.exceptions.SSLError)) for cause in _causes(error))


def _reason(error: BaseException) -> str:
    """The innermost error's words, which name the actual problem (refused, reset, certificate...)."""
    innermost = list(_causes(error))[-1]
    return f"{type(innermost).__name__}: {innermost}" if str(innermost) else type(innermost).__name__


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait, from a Retry-After header in either of its forms (seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
