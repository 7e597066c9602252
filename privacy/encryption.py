"""Encryption at rest for what callers said (transcripts, summaries, raw webhook bodies, quotes).

FIELD_ENCRYPTION_KEY holds one or more Fernet keys, comma-separated: the first encrypts,
all decrypt, so a key is rotated by putting the new one first, running
`manage.py reencrypt`, then dropping the old one.

Stored values are `enc1:` + a Fernet token. Every non-empty value is encrypted, including
text that itself starts with `enc1:`, so what is stored always says what it is. A value
written before encryption was switched on is read as it is; one that starts with the
prefix is plaintext too unless what follows has the shape of a Fernet token.

A token no key opens (written under a key since dropped, or damaged) does not stop
whoever reads the row: the field reads as an `Unreadable` value (privacy/fields.py), and
the applier quarantines an event whose body is one (calls/services/waiting_events.py)."""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1:"
FERNET_VERSION = 0x80  # the first byte of every Fernet token
UNDECRYPTABLE = ("cannot be decrypted with any key in FIELD_ENCRYPTION_KEY (written under a key since dropped, "
                 "or damaged)")


class DecryptionError(ValueError):
    """A stored token that no configured key opens."""


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEY holds a key that is not a Fernet key: {exc}") from None


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    """Empty stays empty: "nothing was said" is not a secret, and it keeps `field=""` queries working."""
    if not text:
        return text
    return PREFIX + cipher().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    """The text; raises DecryptionError for a token no key opens."""
    if not is_token(stored):
        return stored  # empty, or written before encryption was switched on
    try:
        return cipher().decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken:
        raise DecryptionError(f"A stored value {UNDECRYPTABLE}: was a key dropped before `manage.py reencrypt` "
                              "ran?") from None


def is_token(stored: str) -> bool:
    """The stored value is ciphertext (not plaintext from before encryption that starts with the prefix)."""
    if not stored or not stored.startswith(PREFIX):
        return False
    try:
        raw = base64.urlsafe_b64decode(stored[len(PREFIX):].encode())
    except (binascii.Error, ValueError):
        return False
    return len(raw) >= 73 and raw[0] == FERNET_VERSION  # version, time, IV, one block, HMAC


def rotate(stored: str) -> str:
    """The value encrypted with the current (first) key."""
    return encrypt(decrypt(stored))
