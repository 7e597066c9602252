"""GET /metrics: for Prometheus, from an allowed network or with the bearer token."""

from __future__ import annotations

import hmac
from functools import lru_cache
from ipaddress import ip_address, ip_network

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from observability.scrape import exposition


@require_GET
def metrics(request):
    if not allowed(request):
        return HttpResponseForbidden(
            "Metrics are served to CALLSYNC_METRICS_ALLOWED_NETWORKS, or with CALLSYNC_METRICS_TOKEN as a bearer token.",
            content_type="text/plain")
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


def allowed(request) -> bool:
    token = settings.CALLSYNC_METRICS_TOKEN
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    try:
        address = ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.CALLSYNC_METRICS_ALLOWED_NETWORKS)))


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]):
    return tuple(ip_network(cidr, strict=False) for cidr in cidrs)
