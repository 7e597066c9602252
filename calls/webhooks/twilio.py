import logging

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from drf_spectacular.utils import extend_schema_view

from calls.models import Provider
from calls.services import twilio_events
from calls.services.inbound_calls import twiml_for_inbound_call
from calls.webhooks.base import ProviderWebhookView, public_url
from calls.webhooks.openapi import twilio_recording_schema, twilio_status_schema, twilio_voice_schema
from integrations.twilio import messages as twilio
from integrations.twilio import twiml
from integrations.twilio.auth import SIGNATURE_HEADER, TwilioAuthError, verify_request

logger = logging.getLogger("calls.webhooks")


class TwilioWebhookView(ProviderWebhookView):
    provider = Provider.TWILIO
    kind = ""

    def authenticate_sender(self, request, body):
        if not settings.TWILIO_AUTH_TOKEN:
            self.allow_unauthenticated("TWILIO_AUTH_TOKEN")
            return
        url = public_url(request, request.get_full_path())
        try:
            # Every value of a repeated parameter is signed, so validate against the multi-valued form.
            params = QueryDict(body.decode("utf-8", errors="replace"))
            verify_request(settings.TWILIO_AUTH_TOKEN, url, params, request.headers.get(SIGNATURE_HEADER))
        except TwilioAuthError as exc:
            raise self.reject(request, exc.reason) from None

    def parse(self, request, body):
        return twilio.parse_form(self.kind, body)

    def describe(self, record):
        return {"event_type": self.kind, "provider_call_id": record.call_sid, "dedupe_key": record.dedupe_key}

    def apply(self, event, record):
        return twilio_events.apply_twilio_record(event=event, record=record)

    def respond(self, request, event, record):
        return HttpResponse(twiml.empty(), content_type="text/xml")


@extend_schema_view(post=twilio_voice_schema)
class TwilioVoiceView(TwilioWebhookView):
    """POST /webhooks/twilio/voice/: a call arrives; hand it to Vapi, or to a human if Vapi cannot take it."""

    kind = twilio.VOICE

    def respond(self, request, event, record):
        recording_callback = public_url(request, reverse("twilio-recording"))
        return HttpResponse(twiml_for_inbound_call(record, recording_callback), content_type="text/xml")


@extend_schema_view(post=twilio_status_schema)
class TwilioStatusView(TwilioWebhookView):
    """POST /webhooks/twilio/status/: call status callbacks."""

    kind = twilio.CALL_STATUS


@extend_schema_view(post=twilio_recording_schema)
class TwilioRecordingView(TwilioWebhookView):
    """POST /webhooks/twilio/recording/: recording status callbacks."""

    kind = twilio.RECORDING_STATUS
