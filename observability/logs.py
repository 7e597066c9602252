"""Log records that carry the call they concern and never a phone number or a credential, as JSON or text.

`call_context(call_id)` marks everything logged while a call's webhook or task runs;
`CallIdFilter` copies that id onto each record; `RedactingFilter` masks phone numbers and credentials (quoted,
or under a credential's name as a webhook body or a dict carries them) in the message, its arguments and the
traceback; `JsonFormatter` writes one JSON object a line.

A small formatter of our own rather than python-json-logger: a dozen lines, no dependency,
and the field names (time, level, logger, message, call_id, exc) are ours to keep stable.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from integrations.vapi.secrets import MASK, is_secret_key

_call_id: contextvars.ContextVar[str] = contextvars.ContextVar("callsync_call_id", default="")

# "+14155550123", "+1 (415) 555-0123", "+44 20 7946 0958": a plus (or "%2B", as in a query string) and
# 8 to 15 digits, which may be grouped; and bare runs of 10 to 15 digits (a number written without
# its plus). Short ids and dates do not match; a long digit run that is not a phone number is masked
# too, which is harmless.
_PHONE = re.compile(r"(?:\+|%2[Bb])\d(?:[\s().-]{0,2}\d){7,14}(?!\d)|(?<![\w.+-])\d{10,15}(?![\w])")
KEPT_DIGITS = 4
# A credential quoted in an error message (an Authorization header, an OAuth token in a query string).
_CREDENTIAL = re.compile(r"(?i)\b(bearer\s+|access_token=|client_secret=|password=)[^\s&'\"]{4,}")
# A quoted value under a credential's name, as a body, a dict or a dataclass is written out:
# "secret": "...", 'apiKey': '...', token='...'. Which names: integrations/vapi/secrets.py.
_KEYED_VALUE = re.compile(
    r"""(?P<name>(?P<q>["'])(?P<key>[\w-]{1,64})(?P=q)\s*:\s*|\b(?P<arg>[A-Za-z_]\w{0,63})=)"""
    r"""(?P<value>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')""")

# What every LogRecord has; anything else on a record was passed in `extra` and is written out.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


@contextmanager
def call_context(call_id: str) -> Iterator[None]:
    """Every line logged inside (in this thread or task) names the call."""
    token = _call_id.set(call_id or "")
    try:
        yield
    finally:
        _call_id.reset(token)


def current_call_id() -> str:
    return _call_id.get()


def redact(text: str) -> str:
    """Phone numbers with all but their last digits masked ("+14155550123" -> "+*******0123"), and
    credentials quoted in the text replaced ("Bearer abc123..." -> "Bearer [redacted]", '"secret": "abc"'
    -> '"secret": "[secret]"')."""
    return _KEYED_VALUE.sub(_mask_keyed, _CREDENTIAL.sub(r"\1[redacted]", _PHONE.sub(_mask, text)))


def _mask_keyed(match: re.Match) -> str:
    if not is_secret_key(match.group("key") or match.group("arg")) or match.group("value")[1:-1] in ("", MASK):
        return match.group(0)
    quote = match.group("value")[0]
    return f"{match.group('name')}{quote}{MASK}{quote}"


def _mask(match: re.Match) -> str:
    text = match.group(0)
    prefix = text[:3] if text[:1] == "%" else text[:1] if text[:1] == "+" else ""
    digits = [c for c in text[len(prefix):] if c.isdigit()]
    kept = "".join(digits[-KEPT_DIGITS:])
    return f"{prefix}{'*' * (len(digits) - len(kept))}{kept}"


class CallIdFilter(logging.Filter):
    """Adds `call_id` (empty outside a call) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "call_id", ""):
            record.call_id = _call_id.get()
        return True


class RedactingFilter(logging.Filter):
    """Masks phone numbers in the rendered message and the traceback of every record.

    The message is rendered once here (arguments merged in), so a number passed as an argument
    is masked as well as one written into the format string."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, call_id, exc, and any `extra`
    (written as text, phone numbers masked: Django's own extras carry the request, query string included)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "call_id", ""):
            entry["call_id"] = record.call_id
        for name, value in vars(record).items():
            if name not in _STANDARD_ATTRIBUTES and name not in ("call_id", "call_label") and not name.startswith("_"):
                entry[name] = value if isinstance(value, (bool, int, float, type(None))) else redact(str(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """Text lines; the call, when there is one, right after the logger's name."""

    def __init__(self, fmt: str = "%(asctime)s %(levelname)s %(name)s%(call_label)s %(message)s", **kwargs):
        super().__init__(fmt, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        call_id = getattr(record, "call_id", "")
        record.call_label = f" [call {call_id}]" if call_id else ""
        return super().format(record)
