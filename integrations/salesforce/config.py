"""How callsync reaches the Salesforce org: one immutable value read from Django settings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings

TOKEN_PATH = "/services/oauth2/token"
GrantType = Literal["password", "client_credentials"]


@dataclass(frozen=True)
class SalesforceConfig:
    login_url: str
    client_id: str
    client_secret: str = field(repr=False)  # kept out of repr so a logged config never leaks it
    username: str
    password: str = field(repr=False)
    api_version: str = "62.0"
    ca_bundle: str = ""
    timeout_seconds: float = 10.0
    token_ttl_seconds: int = 3600
    max_requests_per_second: float = 10.0

    @classmethod
    def from_settings(cls) -> SalesforceConfig:
        """The current settings, read at call time so that tests can override them."""
        return cls(
            login_url=(getattr(settings, "SALESFORCE_LOGIN_URL", "") or "").rstrip("/"),
            client_id=getattr(settings, "SALESFORCE_CLIENT_ID", "") or "",
            client_secret=getattr(settings, "SALESFORCE_CLIENT_SECRET", "") or "",
            username=getattr(settings, "SALESFORCE_USERNAME", "") or "",
            password=getattr(settings, "SALESFORCE_PASSWORD", "") or "",
            api_version=getattr(settings, "SALESFORCE_API_VERSION", "62.0") or "62.0",
            ca_bundle=getattr(settings, "SALESFORCE_CA_BUNDLE", "") or "",
            timeout_seconds=float(getattr(settings, "SALESFORCE_TIMEOUT_SECONDS", 10.0)),
            token_ttl_seconds=int(getattr(settings, "SALESFORCE_TOKEN_TTL_SECONDS", 3600)),
            max_requests_per_second=float(getattr(settings, "CALLSYNC_SALESFORCE_MAX_REQUESTS_PER_SECOND", 10.0)),
        )

    @property
    def grant_type(self) -> GrantType:
        return "password" if self.username else "client_credentials"

    @property
    def missing(self) -> list[str]:
        """The settings to set before callsync can log in, in the order a user would fill them in."""
        required = {
            "SALESFORCE_LOGIN_URL": self.login_url,
            "SALESFORCE_CLIENT_ID": self.client_id,
            "SALESFORCE_CLIENT_SECRET": self.client_secret,
        }
        if self.grant_type == "password":
            required["SALESFORCE_PASSWORD"] = self.password
        return [name for name, value in required.items() if not value]

    @property
    def configured(self) -> bool:
        return not self.missing

    @property
    def token_url(self) -> str:
        return self.login_url.rstrip("/") + TOKEN_PATH

    @property
    def identity(self) -> str:
        """A stable, secret-free name for the org and integration user, for shared cache keys."""
        source = "\n".join((self.login_url.rstrip("/"), self.client_id, self.username))
        return hashlib.sha256(source.encode()).hexdigest()[:24]
