from django.urls import path

from calls.webhooks.twilio import TwilioRecordingView, TwilioStatusView, TwilioVoiceView
from calls.webhooks.vapi import VapiWebhookView

urlpatterns = [
    path("vapi/", VapiWebhookView.as_view(), name="vapi-webhook"),
    path("twilio/voice/", TwilioVoiceView.as_view(), name="twilio-voice"),
    path("twilio/status/", TwilioStatusView.as_view(), name="twilio-status"),
    path("twilio/recording/", TwilioRecordingView.as_view(), name="twilio-recording"),
]
