"""Encryption at rest for what callers said (transcripts, raw webhook bodies, quotes).

FIELD_ENCRYPTION_KEY holds one or more Fernet keys, comma-separated: the first encrypts,
all decrypt, so a key is rotated by putting the new one first, running
`manage.py reencrypt`, then dropping the old one. Stored values carry a prefix, so a
value written before encryption was switched on still reads (and is encrypted when
written again or re-encrypted)."""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1:"


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
    if not text or text.startswith(PREFIX):
        return text
    return PREFIX + cipher().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored or not stored.startswith(PREFIX):
        return stored  # empty, or written before encryption was switched on
    try:
        return cipher().decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with any key in FIELD_ENCRYPTION_KEY: was a key dropped "
            "before `manage.py reencrypt` ran?") from None


def rotate(stored: str) -> str:
    """The value encrypted with the current (first) key."""
    return encrypt(decrypt(stored))
