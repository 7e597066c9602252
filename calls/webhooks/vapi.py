import logging

from django.conf import settings
from django.db import DatabaseError
from drf_spectacular.utils import extend_schema_view
from rest_framework.response import Response

from calls import in_call
from calls.models import Provider, WebhookEvent
from calls.services.vapi_events import apply_vapi_message
from calls.services.waiting_events import apply_waiting_for_call
from calls.webhooks.base import ProviderWebhookView, public_url
from calls.webhooks.openapi import vapi_webhook_schema
from integrations.vapi import messages as vapi
from integrations.vapi.auth import HmacPlan, VapiAuthError, VapiCredentials, verify_request

logger = logging.getLogger(__name__)

CREDENTIAL_SETTINGS = "VAPI_WEBHOOK_SECRET, VAPI_WEBHOOK_BEARER_TOKEN or VAPI_WEBHOOK_HMAC_SECRET"


def configured_credentials() -> VapiCredentials:
    return VapiCredentials(
        secret=settings.VAPI_WEBHOOK_SECRET,
        bearer_token=settings.VAPI_WEBHOOK_BEARER_TOKEN,
        hmac=HmacPlan(
            secret=settings.VAPI_WEBHOOK_HMAC_SECRET,
            secret_is_base64=settings.VAPI_WEBHOOK_HMAC_SECRET_IS_BASE64,
            algorithm=settings.VAPI_WEBHOOK_HMAC_ALGORITHM,
            signature_header=settings.VAPI_WEBHOOK_HMAC_SIGNATURE_HEADER,
            timestamp_header=settings.VAPI_WEBHOOK_TIMESTAMP_HEADER,
            signature_prefix=settings.VAPI_WEBHOOK_HMAC_SIGNATURE_PREFIX,
            include_timestamp=settings.VAPI_WEBHOOK_HMAC_INCLUDE_TIMESTAMP,
            payload_format=settings.VAPI_WEBHOOK_HMAC_PAYLOAD_FORMAT,
            message_id_header=settings.VAPI_WEBHOOK_HMAC_MESSAGE_ID_HEADER,
            signature_encoding=settings.VAPI_WEBHOOK_HMAC_SIGNATURE_ENCODING,
        ),
        tolerance_seconds=settings.VAPI_WEBHOOK_TOLERANCE_SECONDS,
    )


@extend_schema_view(post=vapi_webhook_schema)
class VapiWebhookView(ProviderWebhookView):
    """POST /webhooks/vapi/: every Vapi server message."""

    provider = Provider.VAPI

    def authenticate_sender(self, request, body):
        credentials = configured_credentials()
        if not credentials.configured:
            self.allow_unauthenticated(CREDENTIAL_SETTINGS)
            return
        try:
            # Only a payload format that signs {url} needs the public URL (and so PUBLIC_BASE_URL).
            url = public_url(request, request.get_full_path()) if "{url}" in credentials.hmac.payload_format else ""
            verify_request(credentials, request.headers, body, method=request.method, url=url)
        except VapiAuthError as exc:
            raise self.reject(request, exc.reason) from None

    def parse(self, request, body):
        return vapi.parse_json(body)

    def describe(self, record):
        return {"event_type": record.type, "provider_call_id": record.call_id, "dedupe_key": record.dedupe_key}

    def apply(self, event, record):
        return apply_vapi_message(event=event, message=record)

    def applies_later(self, record):
        return record.type not in vapi.AWAITING_ANSWER

    def catch_up(self, provider_call_id):
        try:
            apply_waiting_for_call(self.provider, provider_call_id)
        except DatabaseError:  # the answer comes from what is applied already; the worker gets the rest
            logger.exception("could not apply the waiting events of call %s before answering", provider_call_id)

    def respond(self, request, event, record):
        applied = event.status in (WebhookEvent.Status.PROCESSED, WebhookEvent.Status.DUPLICATE)
        answer = in_call.answer(record, event.call if applied else None)
        return Response(answer if answer is not None else {"ok": True})
