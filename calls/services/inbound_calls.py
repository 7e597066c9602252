"""Handing a call that rings at Twilio to Vapi, with a human fallback.

Twilio waits 15 s for TwiML.  Vapi gets VAPI_BYPASS_TIMEOUT_SECONDS; after that,
or on any error, the caller hears a short message and is dialled through to
FALLBACK_PHONE_NUMBER (or leaves a voicemail), so no caller meets silence.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db import transaction

from calls.services.call_records import call_for_vapi
from integrations.twilio import twiml
from integrations.twilio.messages import CallEvent
from integrations.vapi.client import VapiApiError, bypass_twiml, get_client

logger = logging.getLogger(__name__)

# A hard deadline: httpx's timeouts bound each read, not the whole exchange.
_executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="vapi-bypass")

REQUIRED_SETTINGS = ("VAPI_API_KEY", "VAPI_ASSISTANT_ID", "VAPI_PHONE_NUMBER_ID")


def twiml_for_inbound_call(record: CallEvent, recording_callback_url: str) -> str:
    missing = [name for name in REQUIRED_SETTINGS if not getattr(settings, name)]
    if missing:
        logger.error("call %s sent to the fallback: set %s to let Vapi answer", record.call_sid, ", ".join(missing))
        return _fallback(recording_callback_url)
    timeout = settings.VAPI_BYPASS_TIMEOUT_SECONDS
    client = get_client(settings.VAPI_BASE_URL, settings.VAPI_API_KEY, timeout)
    future = _executor.submit(
        client.create_bypass_call,
        assistant_id=settings.VAPI_ASSISTANT_ID,
        phone_number_id=settings.VAPI_PHONE_NUMBER_ID,
        customer_number=record.from_number,
    )
    try:
        vapi_call = future.result(timeout=timeout)
        connect = bypass_twiml(vapi_call)
    except FutureTimeout:
        logger.warning("call %s sent to the fallback: Vapi did not answer within %.1f s", record.call_sid, timeout)
        return _fallback(recording_callback_url)
    except VapiApiError as exc:
        logger.warning("call %s sent to the fallback: %s", record.call_sid, exc)
        return _fallback(recording_callback_url)
    _link(vapi_call.get("id"), record.call_sid)
    return connect


def _link(vapi_call_id, call_sid: str) -> None:
    """Join the Vapi call to its Twilio leg now, before Vapi's first event arrives."""
    if not isinstance(vapi_call_id, str) or not vapi_call_id:
        return
    try:
        with transaction.atomic():
            call_for_vapi(vapi_call_id, call_sid)
    except Exception:  # the caller is connected either way; Vapi's events will join the two later
        logger.exception("could not link Vapi call %s to %s", vapi_call_id, call_sid)


def _fallback(recording_callback_url: str) -> str:
    return twiml.fallback(
        message=settings.CALLSYNC_FALLBACK_MESSAGE,
        dial_number=settings.FALLBACK_PHONE_NUMBER,
        voicemail_message=settings.CALLSYNC_VOICEMAIL_MESSAGE,
        recording_callback_url=recording_callback_url,
    )
