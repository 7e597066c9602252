"""Handing a call that rings at Twilio to Vapi, with a human fallback.

Twilio waits 15 s for TwiML.  Vapi gets VAPI_BYPASS_TIMEOUT_SECONDS; after that,
or on any error, the caller hears a short message and is dialled through to
FALLBACK_PHONE_NUMBER (or leaves a voicemail), so no caller meets silence.

The hand-off happens once per CallSid. The first answer, Vapi's TwiML or the fallback, is
stored (TwilioHandoff) and every later delivery of the same CallSid gets it again: a replayed
or retried request never creates a second Vapi call. A fallback is answered again too, rather
than asking Vapi once more: Twilio runs only the first TwiML of a live call, so a Vapi call made
for a replay would wait for a caller who never comes, and a replayer could not make us hammer
a Vapi that is already failing.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db import IntegrityError, transaction

from calls.models import TwilioHandoff
from calls.services.call_records import call_for_vapi
from integrations.twilio import twiml
from integrations.twilio.messages import CallEvent
from integrations.vapi.client import VapiApiError, bypass_twiml, get_client

logger = logging.getLogger(__name__)

# A hard deadline: httpx's timeouts bound each read, not the whole exchange.
_executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="vapi-bypass")

REQUIRED_SETTINGS = ("VAPI_API_KEY", "VAPI_ASSISTANT_ID", "VAPI_PHONE_NUMBER_ID")


def twiml_for_inbound_call(record: CallEvent, recording_callback_url: str) -> str:
    """The TwiML that answers this CallSid: the stored one, or a new hand-off, stored before it is answered."""
    with transaction.atomic():
        # The row is inserted before Vapi is asked and commits with the answer: a concurrent duplicate
        # waits on its unique CallSid (at most the Vapi deadline), then reads the first answer.
        handoff, first = _claim(record.call_sid)
        if not first:
            return handoff.twiml
        _hand_off(handoff, record, recording_callback_url)
        handoff.save(update_fields=["twiml", "vapi_call_id", "fell_back"])
    if handoff.vapi_call_id:
        _link(handoff.vapi_call_id, record.call_sid)
    return handoff.twiml


def _claim(call_sid: str) -> tuple[TwilioHandoff, bool]:
    """The CallSid's row and whether this request inserted it (and so answers first), or the stored answer."""
    try:
        with transaction.atomic():  # a savepoint: losing the race is not an error
            return TwilioHandoff.objects.create(call_sid=call_sid, twiml=""), True
    except IntegrityError:
        return TwilioHandoff.objects.get(call_sid=call_sid), False


def _hand_off(handoff: TwilioHandoff, record: CallEvent, recording_callback_url: str) -> None:
    """Fill the handoff with Vapi's TwiML, or with the fallback when Vapi cannot take the call."""
    handoff.fell_back, handoff.twiml = True, _fallback(recording_callback_url)
    missing = [name for name in REQUIRED_SETTINGS if not getattr(settings, name)]
    if missing:
        logger.error("call %s sent to the fallback: set %s to let Vapi answer", record.call_sid, ", ".join(missing))
        return
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
        return
    except VapiApiError as exc:
        logger.warning("call %s sent to the fallback: %s", record.call_sid, exc)
        return
    vapi_call_id = vapi_call.get("id")
    handoff.fell_back, handoff.twiml = False, connect
    handoff.vapi_call_id = vapi_call_id[:64] if isinstance(vapi_call_id, str) else ""


def _link(vapi_call_id: str, call_sid: str) -> None:
    """Join the Vapi call to its Twilio leg now, before Vapi's first event arrives."""
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
