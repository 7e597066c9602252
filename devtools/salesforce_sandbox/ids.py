"""Salesforce-style record ids: a 3-character key prefix, 12 more characters, and a
3-character case checksum that turns the case-sensitive 15-character id into the
18-character one the API returns (and which survives case-insensitive tools)."""

from __future__ import annotations

import re

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CHECKSUM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_SHAPE = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
_POD = "5g0"  # real ids carry an instance marker here; any fixed value keeps them realistic


def _base62(number: int) -> str:
    digits = ""
    while number:
        number, remainder = divmod(number, 62)
        digits = _BASE62[remainder] + digits
    return digits or "0"


def _checksum(id15: str) -> str:
    """One character per 5-character chunk: a bit for each uppercase letter in it."""
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << offset for offset, char in enumerate(id15[start : start + 5]) if "A" <= char <= "Z")
        suffix += _CHECKSUM_ALPHABET[bits]
    return suffix


def make_id(key_prefix: str, serial: int) -> str:
    id15 = key_prefix + _POD + _base62(serial).rjust(9, "0")
    return id15 + _checksum(id15)


def normalize(value: object) -> str | None:
    """The 18-character form of a 15- or 18-character id, or None when it is not id-shaped.

    The suffix is recomputed because callers may have upper-cased an 18-character id."""
    if not isinstance(value, str) or not _SHAPE.match(value):
        return None
    return value[:15] + _checksum(value[:15])


ORG_ID = make_id("00D", 1)
USER_ID = make_id("005", 1)  # the integration user every record is owned by
