"""Model fields whose values are encrypted in the database (see privacy/encryption.py)."""

from __future__ import annotations

import json

from django.core.exceptions import FieldError
from django.db import migrations, models

from privacy.encryption import UNDECRYPTABLE, DecryptionError, decrypt, encrypt

# Ciphertext differs on every write: only whole-value comparisons with "" or NULL mean anything.
ALLOWED_LOOKUPS = {"exact", "isnull"}


def store_uncompressed(table: str, *columns: str) -> migrations.RunPython:
    """A migration step for encrypted columns: PostgreSQL stores them as they are.

    Ciphertext does not compress, yet PostgreSQL tries to compress every value over 2 KB:
    for a 66 KB end-of-call report that attempt cost 1.0 ms of the database's CPU per
    INSERT, against 0.3 ms stored as is (docs/benchmarks.md). Other databases: nothing to do."""

    def forwards(apps, schema_editor):
        _set_storage(schema_editor, table, columns, "EXTERNAL")

    def backwards(apps, schema_editor):
        _set_storage(schema_editor, table, columns, "EXTENDED")

    return migrations.RunPython(forwards, backwards)


def _set_storage(schema_editor, table: str, columns: tuple[str, ...], storage: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for column in columns:
        schema_editor.execute(f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} SET STORAGE {storage}")


class Unreadable(str):
    """What an encrypted field reads when no key opens its value: empty text that remembers the
    stored token, so one bad row never stops a page or the applier, and saving the row again
    writes the token back as it was (a key put back later still opens it)."""

    reason = UNDECRYPTABLE

    def __new__(cls, stored: str):
        value = super().__new__(cls, "")
        value.stored = stored
        return value


def is_unreadable(value) -> bool:
    return isinstance(value, Unreadable)


def _decrypted(stored: str) -> str:
    try:
        return decrypt(stored)
    except DecryptionError:
        return Unreadable(stored)


class _EncryptedMixin:
    def get_lookup(self, lookup_name):
        if lookup_name not in ALLOWED_LOOKUPS:
            raise FieldError(f"{self.__class__.__name__} {self.name!r} is encrypted: it cannot be searched with "
                             f"'{lookup_name}'.")
        return super().get_lookup(lookup_name)


class EncryptedTextField(_EncryptedMixin, models.TextField):
    def from_db_value(self, value, expression, connection):
        return _decrypted(value) if value is not None else value

    def get_prep_value(self, value):
        if isinstance(value, Unreadable):
            return value.stored
        value = super().get_prep_value(value)
        return encrypt(value) if isinstance(value, str) else value


class EncryptedJSONField(_EncryptedMixin, models.TextField):
    """JSON kept as encrypted text: read and written as Python values, never queried inside.

    A field that cannot be NULL stores an empty dict or list as "", like EncryptedTextField's
    empty text, so `field={}` still finds the rows that hold nothing."""

    def __init__(self, *args, encoder=None, **kwargs):
        self.encoder = encoder
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.encoder is not None:
            kwargs["encoder"] = self.encoder
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        if not value:
            return None if self.null else self.get_default()
        text = _decrypted(value)
        return text if isinstance(text, Unreadable) else json.loads(text)

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def get_prep_value(self, value):
        if isinstance(value, Unreadable):
            return value.stored
        if value is None:
            return None
        if not self.null and isinstance(value, (dict, list)) and not value:
            return ""
        return encrypt(json.dumps(value, cls=self.encoder, sort_keys=True))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), cls=self.encoder)


def rewrite_values(model, names: list[str], batch: int = 500) -> int:
    """Write these fields of every row again: encrypts values stored in the clear, and re-encrypts
    with the current key after a rotation. Used by migrations and `manage.py reencrypt`."""
    done, last_pk = 0, 0
    while rows := list(model.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", *names)[:batch]):
        for pk, *values in rows:
            model.objects.filter(pk=pk).update(**dict(zip(names, values)))
        done += len(rows)
        last_pk = rows[-1][0]
    return done
