"""What the OpenAPI schema says about the webhooks: request and answer shapes, and how each
provider authenticates. Descriptions only: the views parse leniently and never use these."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers

# Security scheme names, declared in SPECTACULAR_SETTINGS["APPEND_COMPONENTS"].
VAPI_AUTH = [{"vapiSignature": []}, {"vapiSecret": []}, {"vapiBearer": []}]
TWILIO_AUTH = [{"twilioSignature": []}]

SECURITY_SCHEMES = {
    "vapiSignature": {
        "type": "apiKey", "in": "header", "name": "x-signature",
        "description": "A Vapi HMAC credential: at its defaults, hex HMAC-SHA256 of `<x-timestamp>.<body>` with "
                       "VAPI_WEBHOOK_HMAC_SECRET, inside a replay window (every option is a VAPI_WEBHOOK_HMAC_* "
                       "setting). The older X-Vapi-Signature (of the body, or of `<X-Vapi-Timestamp>.<body>`) "
                       "is accepted too.",
    },
    "vapiSecret": {"type": "apiKey", "in": "header", "name": "X-Vapi-Secret",
                   "description": "The shared secret VAPI_WEBHOOK_SECRET, sent as it is."},
    "vapiBearer": {"type": "http", "scheme": "bearer", "description": "VAPI_WEBHOOK_BEARER_TOKEN."},
    "twilioSignature": {
        "type": "apiKey", "in": "header", "name": "X-Twilio-Signature",
        "description": "Twilio's signature of PUBLIC_BASE_URL + path and the form parameters with TWILIO_AUTH_TOKEN.",
    },
}

_ERROR = inline_serializer("WebhookError", {"detail": serializers.CharField()})
_ERRORS = {
    400: OpenApiResponse(_ERROR, description="Malformed: stored as rejected, with the reason."),
    401: OpenApiResponse(_ERROR, description="The signature or credential is wrong or missing."),
    413: OpenApiResponse(_ERROR, description="The body is larger than 1 MiB."),
    503: OpenApiResponse(_ERROR, description="Credentials are not configured, or the event could not be stored."),
}

_VAPI_CALL = inline_serializer("VapiCall", {
    "id": serializers.CharField(help_text="Vapi's call id: the key every message of one call shares."),
    "type": serializers.CharField(required=False, help_text="inboundPhoneCall, outboundPhoneCall, webCall"),
    "status": serializers.CharField(required=False),
    "customer": inline_serializer("VapiCustomer", {"number": serializers.CharField(required=False)}, required=False),
    "phoneCallProviderId": serializers.CharField(required=False, help_text="The Twilio CallSid."),
})
_VAPI_MESSAGE = inline_serializer("VapiServerMessage", {
    "type": serializers.CharField(help_text=(
        "status-update, transcript (or transcript[transcriptType=\"final\"]), conversation-update, speech-update, "
        "tool-calls, function-call, assistant-request, transfer-destination-request, hang, end-of-call-report, "
        "user-interrupted; other types are stored and acknowledged.")),
    "call": _VAPI_CALL,
    "timestamp": serializers.FloatField(required=False, help_text="Epoch milliseconds."),
    "status": serializers.CharField(required=False, help_text="status-update"),
    "endedReason": serializers.CharField(required=False, help_text="status-update (ended), end-of-call-report"),
    "role": serializers.CharField(required=False, help_text="transcript"),
    "transcriptType": serializers.ChoiceField(["partial", "final"], required=False, help_text="transcript"),
    "transcript": serializers.CharField(required=False, help_text="transcript"),
    "toolCallList": serializers.ListField(child=serializers.DictField(), required=False, help_text="tool-calls"),
    "artifact": serializers.DictField(required=False, help_text="end-of-call-report: transcript, messages, recording"),
    "analysis": serializers.DictField(required=False, help_text="end-of-call-report: summary, structuredData"),
})
VAPI_ENVELOPE = inline_serializer("VapiEnvelope", {"message": _VAPI_MESSAGE})

VAPI_ANSWER = inline_serializer("VapiAnswer", {
    "ok": serializers.BooleanField(required=False, help_text="Messages that need no answer."),
    "results": serializers.ListField(
        child=inline_serializer("VapiToolResult", {
            "toolCallId": serializers.CharField(), "name": serializers.CharField(), "result": serializers.CharField(),
        }), required=False, help_text="tool-calls: one result per call; errors are results, never a 4xx/5xx."),
    "result": serializers.CharField(required=False, help_text="Legacy function-call."),
    "assistantId": serializers.CharField(required=False, help_text="assistant-request"),
    "destination": serializers.DictField(required=False, help_text="transfer-destination-request"),
    "error": serializers.CharField(required=False, help_text="assistant-request that cannot be served"),
})

vapi_webhook_schema = extend_schema(
    operation_id="vapi_webhook",
    summary="Vapi server messages",
    description="Every Vapi server message for every call. The raw request is stored before anything else; "
                "duplicates are acknowledged and applied once. Answers in-call requests (tool calls, "
                "assistant and transfer-destination requests) from the local mirror.",
    tags=["webhooks"],
    request={"application/json": VAPI_ENVELOPE},  # the view reads the raw body: no parser to infer it from
    responses={200: VAPI_ANSWER, **_ERRORS},
    auth=VAPI_AUTH,
    examples=[OpenApiExample("status-update", request_only=True, value={
        "message": {"type": "status-update", "status": "ringing", "timestamp": 1763564645123,
                    "call": {"id": "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f", "customer": {"number": "+14155550123"}}}}),
    ],
)

_TWILIO_CALL = inline_serializer("TwilioCallCallback", {
    "CallSid": serializers.CharField(), "AccountSid": serializers.CharField(),
    "CallStatus": serializers.CharField(help_text="queued, ringing, in-progress, completed, busy, failed, no-answer, "
                                                   "canceled"),
    "From": serializers.CharField(required=False), "To": serializers.CharField(required=False),
    "Direction": serializers.CharField(required=False), "SequenceNumber": serializers.IntegerField(required=False),
    "CallDuration": serializers.IntegerField(required=False),
})
_TWILIO_RECORDING = inline_serializer("TwilioRecordingCallback", {
    "CallSid": serializers.CharField(), "AccountSid": serializers.CharField(), "RecordingSid": serializers.CharField(),
    "RecordingUrl": serializers.URLField(), "RecordingStatus": serializers.CharField(),
    "RecordingDuration": serializers.IntegerField(required=False),
})
_FORM = "application/x-www-form-urlencoded"


def twilio_webhook_schema(*, operation_id: str, summary: str, request, answer: str):
    return extend_schema(
        operation_id=operation_id, summary=summary, tags=["webhooks"], request={_FORM: request},
        responses={(200, "text/xml"): OpenApiResponse(OpenApiTypes.STR, description=answer), **_ERRORS},
        auth=TWILIO_AUTH,
    )


twilio_voice_schema = twilio_webhook_schema(
    operation_id="twilio_voice", summary="A call arrives", request=_TWILIO_CALL,
    answer="TwiML that hands the call to Vapi, or to a human (or voicemail) when Vapi cannot take it.")
twilio_status_schema = twilio_webhook_schema(
    operation_id="twilio_status", summary="Call status callback", request=_TWILIO_CALL, answer="Empty TwiML.")
twilio_recording_schema = twilio_webhook_schema(
    operation_id="twilio_recording", summary="Recording status callback", request=_TWILIO_RECORDING,
    answer="Empty TwiML.")


def add_security_schemes(result: dict, generator, request, public: bool) -> dict:
    """Postprocessing hook: the providers' schemes, which no DRF authenticator declares."""
    result.setdefault("components", {}).setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
    return result
