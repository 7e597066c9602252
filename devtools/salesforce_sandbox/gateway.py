"""What happens to every request, in Salesforce's order: injected faults first, then the
token endpoint or the API, where authentication comes before the API budget, which
comes before the resource itself.  Every API answer carries Sforce-Limit-Info."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Mapping

from .auth import TOKEN_PATH, TokenEndpoint, TokenStore, bearer_token
from .faults import API_PATH, Faults
from .org import Org
from .responses import Reply, invalid_session, json_parser_error, not_found, request_limit_exceeded
from .routes import Router, is_supported, split_version, versions

_UNCOUNTED = {"/limits"}  # besides the version list, which is outside any version


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # without the query string, still percent-encoded
    query: dict[str, str]
    headers: Mapping[str, str]  # case-insensitive, as http.server gives them
    body: bytes


class Gateway:
    def __init__(self, org: Org, tokens: TokenStore, faults: Faults, token_endpoint: TokenEndpoint, api_version: str):
        self.org = org
        self.tokens = tokens
        self.faults = faults
        self.token_endpoint = token_endpoint
        self.api_version = api_version
        self.router = Router(org, api_version)

    def handle(self, request: Request) -> Reply | None:
        """The reply, or None when a fault says to drop the connection unanswered."""
        delay = self.faults.latency_for(request.path)
        if delay:
            time.sleep(delay)
        fault = self.faults.take(request.path)
        if fault and fault.drops_connection:
            return None
        reply = fault.reply() if fault else self._route(request)
        if request.path.startswith(API_PATH):
            reply.headers["Sforce-Limit-Info"] = self.org.limit_info()
        return reply

    def _route(self, request: Request) -> Reply:
        if request.path == TOKEN_PATH and request.method == "POST":
            return self.token_endpoint.handle(request.body, request.headers.get("Authorization"))
        if request.path.rstrip("/") == "/services/data" and request.method == "GET":
            return Reply(200, versions(self.api_version))
        versioned = split_version(request.path)
        if versioned is None or not is_supported(versioned[0], self.api_version):
            return not_found().reply()
        return self._api(request, versioned[1])

    def _api(self, request: Request, path: str) -> Reply:
        if not self.tokens.is_valid(bearer_token(request.headers.get("Authorization"))):
            return invalid_session().reply()
        if path not in _UNCOUNTED and not self.org.consume_api_call():
            return request_limit_exceeded().reply()
        try:
            body = _json(request.body)
        except ValueError:
            return json_parser_error("Unexpected character in the request body: it is not valid JSON").reply()
        return self.router.dispatch(request.method, path, request.query, body)


def _json(body: bytes) -> Any:
    return json.loads(body.decode("utf-8")) if body.strip() else None
