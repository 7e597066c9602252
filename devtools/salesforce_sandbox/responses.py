"""Replies and errors in the shapes Salesforce's REST API uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSON = "application/json;charset=UTF-8"


@dataclass
class Reply:
    status: int
    body: Any = None  # JSON-serialisable; None sends no body (204). A str is sent as-is.
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = JSON


class ApiError(Exception):
    """A failure Salesforce reports as `[{"errorCode", "message", "fields"}]`.

    `fields` is None where Salesforce leaves the key out of the error."""

    def __init__(self, status: int, code: str, message: str, fields: list[str] | None = None):
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields

    def as_error(self) -> dict[str, Any]:
        error: dict[str, Any] = {"errorCode": self.code, "message": self.message}
        if self.fields is not None:
            error["fields"] = self.fields
        return error

    def as_record_error(self) -> dict[str, Any]:
        """The per-record shape used inside sObject Collections results."""
        return {"statusCode": self.code, "message": self.message, "fields": self.fields or []}

    def reply(self) -> Reply:
        return Reply(self.status, [self.as_error()])


class AmbiguousExternalId(ApiError):
    """More than one record carries the external id value; REST answers 300 with their URLs."""

    def __init__(self, sobject: str, field_name: str, record_ids: list[str]):
        super().__init__(
            300, "MULTIPLE_CHOICES", f"More than one record found for external id field {field_name}: {record_ids}", [field_name]
        )
        self.sobject = sobject
        self.record_ids = record_ids


def not_found() -> ApiError:
    return ApiError(404, "NOT_FOUND", "The requested resource does not exist")


def json_parser_error(message: str) -> ApiError:
    return ApiError(400, "JSON_PARSER_ERROR", message)


def invalid_field(message: str, field_name: str) -> ApiError:
    return ApiError(400, "INVALID_FIELD", message, [field_name])


def invalid_type(sobject: str) -> ApiError:
    return ApiError(400, "INVALID_TYPE", f"sObject type '{sobject}' is not supported.")


def invalid_session() -> ApiError:
    return ApiError(401, "INVALID_SESSION_ID", "Session expired or invalid")


def request_limit_exceeded() -> ApiError:
    return ApiError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
