"""Lenient readers for the JSON Vapi sends: a value of another type reads as empty, never as an error.

What the database and the pages cannot hold is made safe here, once, for every field read:
- NUL characters (PostgreSQL refuses them) are dropped, and lone UTF-16 surrogates (a JSON
  `"\\ud800"` escape, which UTF-8 cannot encode) become U+FFFD;
- non-finite numbers (`NaN`, `Infinity`, `"nan"`, `"inf"`) are refused: the field reads as
  absent and a warning is logged, because a NaN duration once made every manager page fail;
- values nested deeper than MAX_DEPTH are cut off (`pruned`): deep enough for any real message,
  shallow enough that nothing recursive (ours, json, jsonb) runs out of stack on them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from datetime import UTC, datetime
from typing import Any

logger = logging.getLogger("integrations.vapi")

# Real messages nest about 15 levels (an assistant's tool schemas); structured data a few more.
MAX_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")  # json.loads joins valid pairs: what is left is lone


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def storable(value: Any) -> Any:
    """A JSON value PostgreSQL can store as text or jsonb, and UTF-8 can encode."""
    if isinstance(value, str):
        value = value.replace("\x00", "")
        return value if value.isascii() else _SURROGATE.sub("\ufffd", value)
    if isinstance(value, float) and not math.isfinite(value):
        logger.warning("ignored a non-finite number (%s) in a Vapi message", value)
        return None
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [storable(item) for item in value]
    return value


def text(value: Any) -> str:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "" if number(value) is None else str(value)
    return ""


def number(value: Any, name: str = "") -> float | None:
    """A finite number, from a JSON number or a numeric string; None otherwise."""
    if isinstance(value, bool):
        return None
    if not isinstance(value, (int, float, str)):
        return None
    try:
        result = float(value)
    except ValueError:  # not a numeric string
        return None
    except OverflowError:  # an integer beyond any float
        result = math.inf
    if not math.isfinite(result):
        logger.warning("ignored %s: %r is not a finite number", name or "a number in a Vapi message", value)
        return None
    return result


def timestamp_ms(value: Any, name: str = "") -> float | None:
    """Epoch milliseconds from epoch milliseconds (a number or a numeric string) or an ISO 8601
    string, as Vapi sent timestamps before mid-2024; a time without a zone is UTC."""
    if isinstance(value, str) and value and not _is_numeric(value):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        return parsed.timestamp() * 1000
    return number(value, name)


def moment(value: Any, name: str = "") -> datetime | None:
    return from_millis(timestamp_ms(value, name))


def from_millis(millis: float | None) -> datetime | None:
    if millis is None:
        return None
    try:
        return datetime.fromtimestamp(millis / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _is_numeric(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when containers nest deeper than `limit`; iterative, so any depth can be measured."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def pruned(value: Any, depth: int = 0) -> Any:
    """The value with every container deeper than MAX_DEPTH replaced by null."""
    if isinstance(value, (dict, list)) and depth >= MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return {key: pruned(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [pruned(item, depth + 1) for item in value]
    return value


def digest(value: Any) -> str:
    encoded = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(encoded.encode("utf-8", errors="surrogatepass")).hexdigest()[:32]
