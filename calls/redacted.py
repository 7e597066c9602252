"""What a person is shown of what callers said: the redaction kept when it was stored
(calls/services/transcripts.py), or, for users with the "view raw transcript" permission who
ask for it, the raw words. Every raw view is recorded in the audit log, wherever it happens:
the call page, the admin's call and webhook-event pages, the mapping preview.

Nothing is redacted per request but text stored before redactions were kept (Shown)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from audit.models import AuditEntry
from audit.services import record
from privacy.services import redactor_for_call

RAW_PERMISSION = "calls.view_raw_transcript"
RAW_PARAMETER, RAW_VALUE = "transcript", "raw"  # ?transcript=raw asks for the raw words
REDACTED_FIELDS = ("summary", "structured_data", "success_evaluation", "outcome", "next_steps")


def may_see_raw(user) -> bool:
    return bool(user and user.has_perm(RAW_PERMISSION))


def wants_raw(request) -> bool:
    """The user asked for the raw words and may see them."""
    return request.GET.get(RAW_PARAMETER) == RAW_VALUE and may_see_raw(request.user)


def record_raw_view(request, *, target: str) -> None:
    record(action=AuditEntry.Action.VIEW_RAW_TRANSCRIPT, request=request, target=target)


def raw_if_asked(request, *, target: str) -> bool:
    """True, and audited, when this request shows the raw words."""
    raw = wants_raw(request)
    if raw:
        record_raw_view(request, target=target)
    return raw


class Shown:
    """What one viewer sees of one call's words: raw, or the redactions kept when they were stored.

    Text stored before redactions were kept (until `manage.py reredact` has run) is redacted
    here as a last resort, so it never shows raw; webhooks never store such text."""

    def __init__(self, call=None, *, raw: bool, load_call=None):
        """`load_call` instead of `call` (an admin inline's row): the call is read only if needed."""
        self._call, self._load_call, self.raw = call, load_call, raw
        self._redactor = None

    @property
    def call(self):
        if self._call is None:
            self._call = self._load_call()
        return self._call

    def _redacted(self, value: Any) -> Any:
        if self._redactor is None:
            self._redactor = redactor_for_call(self.call)
        return self._redactor(value)

    def segment(self, text: str, redacted_text: str | None) -> str:
        if self.raw:
            return text
        return self._redacted(text) if redacted_text is None else redacted_text

    def fields(self) -> dict[str, Any]:
        """The call's summary, structured data, evaluation, outcome and next steps."""
        kept = self.call.redacted if isinstance(self.call.redacted, dict) else {}
        return {name: getattr(self.call, name) if self.raw else
                kept[name] if name in kept else self._redacted(getattr(self.call, name)) for name in REDACTED_FIELDS}

    def tool(self, tool) -> tuple[Any, str]:
        """(arguments, result) of one of the call's tool invocations."""
        if self.raw:
            return tool.arguments, tool.result
        kept = tool.redacted if isinstance(tool.redacted, dict) else {}
        return (kept["arguments"] if "arguments" in kept else self._redacted(tool.arguments),
                kept["result"] if "result" in kept else self._redacted(tool.result))

    def quote(self, quote: str | None) -> str | None:
        """The caller's words quoted as evidence of the call's score."""
        if self.raw or not quote:
            return quote
        kept = self.call.redacted.get("quotes", {}) if isinstance(self.call.redacted, dict) else {}
        return kept[quote] if quote in kept else self._redacted(quote)

    def evidence(self, rows: list) -> list:
        """calls.selectors.detail.evidence rows with their quotes as this viewer sees them."""
        if self.raw:
            return rows
        return [replace(row, quote=self.quote(row.quote),
                        pieces=[{**piece, "quote": self.quote(piece.get("quote"))} for piece in row.pieces])
                for row in rows]
