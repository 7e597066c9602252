"""The address a request came from, as the audit log records it; the login lockout (accounts/,
through AXES_CLIENT_IP_CALLABLE) and the webhooks' rejection log use the same one, so a lockout
and its audit entry name the same address. It lives in audit, below accounts, so that the
lockout can write the audit log without audit importing accounts back.

Behind reverse proxies, REMOTE_ADDR is the nearest proxy's: one attacker's failures would lock
out everyone. Each proxy appends the address it saw to X-Forwarded-For, so with
CALLSYNC_TRUSTED_PROXY_COUNT proxies the client is that many entries from the right; whatever
stands further left was written by the client and proves nothing."""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    count = settings.CALLSYNC_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:  # the request did not come through every proxy: trust only the socket
        return remote
    return _valid(forwarded[-count]) or remote


def _valid(text: str) -> str | None:
    try:
        return str(ip_address(text))
    except ValueError:
        return None
