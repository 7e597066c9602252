"""OAuth access tokens for the org, fetched from the token endpoint with httpx and shared by
every worker through the Django cache, so a fleet of workers logs in about once an hour
rather than once per task."""

from __future__ import annotations

import functools
import logging
import ssl
import time
from dataclasses import asdict, dataclass
from typing import Any, Callable

import certifi
import httpx
from django.core.cache import cache as default_cache

from . import errors
from .config import SalesforceConfig
from .errors import ErrorKind, SalesforceError

logger = logging.getLogger(__name__)

# Renew a little before the configured lifetime, so that no task starts with a token that
# expires halfway through it.
_RENEWAL_MARGIN_SECONDS = 60.0


@dataclass(frozen=True)
class AccessToken:
    access_token: str
    instance_url: str
    issued_at: float  # epoch seconds, by this machine's clock

    def __repr__(self) -> str:  # the token itself never reaches a log
        return f"AccessToken(instance_url={self.instance_url!r}, issued_at={self.issued_at})"


@functools.lru_cache(maxsize=8)
def tls_context(ca_bundle: str) -> ssl.SSLContext:
    """Verification against ca_bundle, or certifi's public CAs.  Built explicitly so that
    SSL_CERT_FILE and friends in the environment cannot change whom we trust."""
    return ssl.create_default_context(cafile=ca_bundle or certifi.where())


def trusted_ca_file(ca_bundle: str) -> str:
    return ca_bundle or certifi.where()


class TokenProvider:
    def __init__(self, config: SalesforceConfig, cache: Any = default_cache, *, clock: Callable[[], float] = time.time):
        self.config = config
        self._cache = cache
        self._clock = clock
        self._key = f"callsync:salesforce:token:{config.identity}"
        self._renew_after = max(0.0, config.token_ttl_seconds - min(_RENEWAL_MARGIN_SECONDS, config.token_ttl_seconds / 10))

    def get(self) -> AccessToken:
        """The shared token while it is fresh, else a new one."""
        cached = self._cached()
        return cached if cached is not None and self.is_fresh(cached) else self._fetch()

    def refresh(self, stale: AccessToken | None) -> AccessToken:
        """A token to replace one Salesforce just refused.  When another worker has already
        replaced it in the cache, that replacement is used rather than logging in again."""
        cached = self._cached()
        if cached is not None and self.is_fresh(cached) and (stale is None or cached.access_token != stale.access_token):
            return cached
        return self._fetch()

    def invalidate(self) -> None:
        self._cache.delete(self._key)

    def is_fresh(self, token: AccessToken) -> bool:
        """Young enough to use: not yet due for renewal."""
        return self._clock() - token.issued_at < self._renew_after

    def cached(self) -> AccessToken | None:
        """The token in the cache, if any, without ever logging in (pages that only link to Salesforce)."""
        return self._cached()

    def _cached(self) -> AccessToken | None:
        stored = self._cache.get(self._key)
        return AccessToken(**stored) if isinstance(stored, dict) else None

    def _fetch(self) -> AccessToken:
        token = self._request_token()
        self._cache.set(self._key, asdict(token), max(1, int(self._renew_after)))
        logger.info("Fetched a Salesforce access token (%s grant) from %s", self.config.grant_type, self.config.login_url)
        return token

    def _request_token(self) -> AccessToken:
        url = self.config.token_url
        try:
            # trust_env stays on for proxies; an explicit SSLContext is used as is.
            with httpx.Client(verify=tls_context(self.config.ca_bundle), timeout=self.config.timeout_seconds) as http:
                response = http.post(url, data=self._grant_form(), headers={"Accept": "application/json"})
        except httpx.HTTPError as error:
            raise errors.from_transport_error(error, url) from error
        body = _json_or_text(response)
        if response.status_code != 200:
            raise errors.from_token_response(response.status_code, body, response.headers)
        return self._token_from(body)

    def _grant_form(self) -> dict[str, str]:
        form = {"grant_type": self.config.grant_type, "client_id": self.config.client_id,
                "client_secret": self.config.client_secret}
        if self.config.grant_type == "password":
            form.update(username=self.config.username, password=self.config.password)
        return form

    def _token_from(self, body: Any) -> AccessToken:
        if not (isinstance(body, dict) and body.get("access_token") and body.get("instance_url")):
            # A 200 without a token is a proxy or portal page, not Salesforce's answer.
            raise SalesforceError(ErrorKind.TRANSIENT, "The Salesforce token endpoint answered 200 without "
                                  "an access_token and instance_url", status=200, code="MALFORMED_TOKEN_RESPONSE")
        return AccessToken(str(body["access_token"]), str(body["instance_url"]).rstrip("/"), self._clock())


def _json_or_text(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text
