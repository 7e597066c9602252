"""Strict reading of settings from the environment.

django-environ reads `.env` and parses database URLs; this module adds what it
lacks: a value that is present but malformed (``DJANGO_DEBUG=maybe``, a URL with
no scheme, a phone number that is not E.164) stops the start with a message
naming the variable, instead of silently falling back to a default.  All
problems are collected and reported together.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
E164 = re.compile(r"^\+[1-9]\d{6,14}$")

# Every variable in these namespaces must be one callsync knows: a typo such as
# VAPI_WEBHOOK_SECERT would otherwise leave the endpoint without its secret.
OWNED_PREFIXES = ("VAPI_", "TWILIO_", "SALESFORCE_", "CALLSYNC_")
SUPPORTED_DATABASES = ("django.db.backends.postgresql", "django.db.backends.sqlite3")


class EnvReader:
    def __init__(self, environ_map: os._Environ | dict | None = None):
        self.environ = os.environ if environ_map is None else environ_map
        self.errors: list[str] = []
        self.known: set[str] = set()
        self._env = environ.Env()

    def _raw(self, name: str) -> str | None:
        self.known.add(name)
        value = self.environ.get(name)
        return None if value is None else value.strip()

    def _parse(self, name: str, default, parse: Callable[[str], object], expected: str):
        raw = self._raw(name)
        if raw is None or (raw == "" and default is not None):
            return default
        try:
            return parse(raw)
        except ValueError:
            self.errors.append(f"{name}={raw!r} is not {expected}.")
            return default

    def str(self, name: str, default: str = "") -> str:
        raw = self._raw(name)
        return default if raw is None else raw

    def bool(self, name: str, default: bool = False) -> bool:
        def parse(raw: str) -> bool:
            word = raw.lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ValueError

        return self._parse(name, default, parse, "a boolean (true/false, yes/no, 1/0)")

    def _number(self, name: str, default, minimum, cast, kind: str):
        def parse(raw: str):
            value = cast(raw)
            if value < minimum:
                raise ValueError
            return value

        return self._parse(name, default, parse, f"{kind} of at least {minimum}")

    def int(self, name: str, default: int, minimum: int = 0) -> int:
        return self._number(name, default, minimum, int, "a whole number")

    def float(self, name: str, default: float, minimum: float = 0.0) -> float:
        return self._number(name, default, minimum, float, "a number")

    def list(self, name: str, default: Iterable[str] = ()) -> list[str]:
        raw = self._raw(name)
        if raw is None:
            return list(default)
        return [item.strip() for item in raw.split(",") if item.strip()]

    def url(self, name: str, default: str = "", schemes: tuple[str, ...] = ("http", "https")) -> str:
        def parse(raw: str) -> str:
            parts = urlsplit(raw)
            if parts.scheme not in schemes or not parts.netloc:
                raise ValueError
            return raw.rstrip("/")

        return self._parse(name, default, parse, f"a URL starting with {' or '.join(s + '://' for s in schemes)}")

    def phone(self, name: str, default: str = "") -> str:
        def parse(raw: str) -> str:
            if not E164.match(raw):
                raise ValueError
            return raw

        return self._parse(name, default, parse, "a phone number in E.164 form, like +14155550100")

    def choice(self, name: str, default: str, choices: Iterable[str]) -> str:
        allowed = tuple(choices)

        def parse(raw: str) -> str:
            if raw not in allowed:
                raise ValueError
            return raw

        return self._parse(name, default, parse, "one of " + ", ".join(allowed))

    def database(self, name: str, default: str) -> dict:
        """PostgreSQL or SQLite, the two databases callsync is tested on."""
        raw = self._raw(name) or default
        try:
            config = self._env.db_url_config(raw)
        except Exception:  # django-environ raises several types for a bad URL
            config = {}
        if config.get("ENGINE") not in SUPPORTED_DATABASES:
            self.errors.append(f"{name}={raw!r} is not a PostgreSQL (postgres://…) or SQLite (sqlite:///…) URL.")
            config = self._env.db_url_config(default)
        return config

    def require(self, name: str, value: str, why: str) -> None:
        if not value:
            self.errors.append(f"{name} must be set {why}.")

    def check_unknown(self) -> None:
        for name in sorted(self.environ):
            if name.startswith(OWNED_PREFIXES) and name not in self.known:
                guess = difflib.get_close_matches(name, sorted(self.known), n=1)
                hint = f" Did you mean {guess[0]}?" if guess else ""
                self.errors.append(f"{name} is not a callsync setting.{hint}")

    def raise_if_invalid(self) -> None:
        self.check_unknown()
        if self.errors:
            lines = "\n  - ".join(self.errors)
            raise ImproperlyConfigured(f"Invalid configuration:\n  - {lines}\nSee .env.example and the README.")


def read_dotenv(path) -> None:
    """Load `.env` (if present) without overriding the real environment."""
    if os.path.exists(path):
        environ.Env.read_env(str(path), overwrite=False)
