"""One view owns the order every provider's webhook follows:

size check → authenticate → parse → store → answer, then apply in a worker; or, when
the answer depends on it: size check → authenticate → parse → process → store → commit → answer.

A provider view declares how to authenticate, parse, apply and answer, and which records
can be applied after the answer; it never changes the order. A record applied later is
one INSERT in the request (calls/services/waiting_events.py). A record applied at once
commits in one transaction with the work it caused; when processing fails, that
transaction rolls back and the row is stored alone, with the error on it, for the retry
task (calls/services/webhook_events.py).
A request that cannot be parsed is stored as rejected.  Every request is counted and
timed for /metrics, and everything logged while it is handled names its call.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from audit.addresses import client_address
from calls.models import WebhookEvent
from calls.services.waiting_events import store_to_apply_later
from calls.services.webhook_events import new_event, receive_event, record_event
from integrations.errors import PayloadError
from observability.logs import call_context
from observability.metrics import webhook_handled

logger = logging.getLogger("calls.webhooks")


class WebhookError(APIException):
    outcome = "failed"  # as /metrics counts it


class Unauthorized(WebhookError):
    status_code = status.HTTP_401_UNAUTHORIZED
    outcome = "unauthorized"


class NotConfigured(WebhookError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    outcome = "unavailable"


class PayloadTooLarge(WebhookError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    outcome = "too_large"


class BadPayload(WebhookError):
    status_code = status.HTTP_400_BAD_REQUEST
    outcome = "rejected"


class StorageUnavailable(WebhookError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    outcome = "unavailable"
    default_detail = "The event could not be stored; please retry."


def public_url(request, path: str) -> str:
    """The URL the provider called: what it signed. Behind a proxy only PUBLIC_BASE_URL knows it."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL + path
    if settings.DEBUG:
        logger.warning("PUBLIC_BASE_URL is not set: checking signatures against the URL this server sees.")
        return request.build_absolute_uri(path)
    raise NotConfigured("Signed webhook URLs need PUBLIC_BASE_URL, the public URL the provider calls.")


class ProviderWebhookView(APIView):
    provider: str = ""
    # Credentials are the provider's, checked in `authenticate_sender`, not Django users.
    authentication_classes = ()
    permission_classes = ()
    parser_classes = ()  # the raw body is read as it is: signatures cover its exact bytes
    renderer_classes = (JSONRenderer,)

    # --- what a provider view declares -------------------------------------------------

    def authenticate_sender(self, request, body: bytes) -> None:
        raise NotImplementedError

    def parse(self, request, body: bytes) -> Any:
        """A normalised record, or raise PayloadError."""
        raise NotImplementedError

    def describe(self, record: Any) -> dict[str, str]:
        """event_type, provider_call_id and dedupe_key of a parsed record."""
        raise NotImplementedError

    def apply(self, event: WebhookEvent, record: Any) -> str:
        raise NotImplementedError

    def applies_later(self, record: Any) -> bool:
        """True when the answer does not depend on applying the record: it is stored, answered,
        and applied by a worker (calls/services/waiting_events.py)."""
        return False

    def catch_up(self, provider_call_id: str) -> None:
        """Before a record is applied at once: apply its call's records still waiting."""

    def respond(self, request, event: WebhookEvent, record: Any):
        raise NotImplementedError

    # --- the fixed order ------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        started = time.perf_counter()
        self.event_type, outcome = "", "failed"
        try:
            response, outcome = self._receive(request)
            return response
        except WebhookError as exc:
            outcome = exc.outcome
            raise
        finally:
            webhook_handled(provider=self.provider, event_type=self.event_type, outcome=outcome,
                            seconds=time.perf_counter() - started)

    def _receive(self, request):
        body = self._read_body(request)
        self.authenticate_sender(request, body)
        try:
            record = self.parse(request, body)
        except PayloadError as exc:
            self._store(request, body, rejection=str(exc))
            raise BadPayload(str(exc)) from None
        described = self.describe(record)
        self.event_type = described["event_type"]
        with call_context(described["provider_call_id"]):
            event = new_event(**self._arrival(request, body), **described)
            try:
                if self.applies_later(record):
                    store_to_apply_later(event)
                else:
                    self.catch_up(event.provider_call_id)
                    receive_event(event, lambda unsaved: self.apply(unsaved, record))
            except DatabaseError:  # not even the failed row could be stored
                logger.exception("could not store a %s webhook", self.provider)
                raise StorageUnavailable() from None
            return self.respond(request, event, record), event.status

    def _read_body(self, request) -> bytes:
        limit = settings.WEBHOOK_MAX_BODY_BYTES
        too_large = PayloadTooLarge(f"The body is larger than {limit} bytes.")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise BadPayload("Content-Length is not a number.") from None
        if declared > limit:
            raise too_large
        if not declared and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            # Django reads a body by its Content-Length, so a chunked one would look empty: read
            # what the server decoded from the chunks instead, never more than the limit.
            body = request.META["wsgi.input"].read(limit + 1)
            if len(body) > limit:
                raise too_large
            return body
        try:
            body = request.body
        except RequestDataTooBig:
            raise too_large from None
        if len(body) > limit:
            raise too_large
        return body

    def _store(self, request, body: bytes, **fields) -> WebhookEvent:
        try:
            return record_event(**self._arrival(request, body), **fields)
        except DatabaseError:
            logger.exception("could not store a %s webhook", self.provider)
            raise StorageUnavailable() from None

    def _arrival(self, request, body: bytes) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "path": request.path,
            "headers": request.headers,
            # PostgreSQL text cannot hold NUL; nothing valid contains one.
            "body": body.decode("utf-8", errors="replace").replace("\x00", "\ufffd"),
            "remote_addr": client_address(request),
        }

    # --- helpers for provider views -------------------------------------------------

    def reject(self, request, reason: str) -> Unauthorized:
        logger.warning(
            "rejected %s webhook: %s (from %s, path %s)", self.provider, reason, client_address(request), request.path
        )
        # The reason goes to the log only: the answer must not tell a prober which credentials
        # are configured or which URL was expected.
        return Unauthorized("Authentication failed.")

    def allow_unauthenticated(self, settings_names: str) -> None:
        """With no credential configured: refuse (503), except in DEBUG, where a loud warning is logged."""
        if settings.DEBUG:
            logger.warning(
                "!!! %s webhooks are NOT AUTHENTICATED: set %s. Accepted only because DJANGO_DEBUG is true.",
                self.provider,
                settings_names,
            )
            return
        logger.error("refused %s webhook: set %s", self.provider, settings_names)
        raise NotConfigured(f"{self.provider} webhooks are not configured: set {settings_names}.")
