"""What the assistant records about a call while it is on the line: an outcome, a callback.

Both reach Salesforce with the call. The sync waits for the end-of-call report (which
usually follows within seconds) but not forever: if the call drops and no report
comes, what the assistant recorded is still written after the grace period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from django.conf import settings
from django.utils import timezone
from phonenumbers import timezone as number_zones

from calls.models import Call
from crm.services.outbox import request_sync
from leads.models import Lead

# A callback must be in the future; a few minutes of clock skew between the
# assistant's model and this server are forgiven.
CLOCK_SKEW = timedelta(minutes=5)
FURTHEST_CALLBACK = timedelta(days=365)


class CallbackTimeError(ValueError):
    """The time cannot be booked; the message says why, for the assistant to fix."""


@dataclass(frozen=True)
class CallbackTime:
    at: datetime  # aware
    zone: ZoneInfo

    @property
    def local(self) -> datetime:
        return self.at.astimezone(self.zone)

    def spoken(self) -> str:
        """"Tuesday 24 November at 3:00 PM (America/Chicago)", for the assistant to confirm."""
        local = self.local
        hour = local.strftime("%I:%M %p").lstrip("0")
        return f"{local:%A} {local.day} {local:%B} at {hour} ({self.zone.key})"


def record_outcome(*, call: Call, outcome: str, next_steps: str) -> None:
    call.outcome = outcome[:255]
    call.next_steps = next_steps
    call.save(update_fields=["outcome", "next_steps", "updated_at"])
    _sync_soon(call)


def book_callback(*, call: Call, callback: CallbackTime) -> None:
    call.callback_at = callback.at
    call.callback_timezone = callback.zone.key
    call.save(update_fields=["callback_at", "callback_timezone", "updated_at"])
    _sync_soon(call)


def record_consent(*, call: Call, consent: str) -> None:
    """The caller's answer, on the call and on the mirror's Leads for their number, which
    outbound calls consult before dialling (a refusal there means never called again)."""
    call.consent = consent
    call.save(update_fields=["consent", "updated_at"])
    mirror_consent(call)
    _sync_soon(call)


def mirror_consent(call: Call) -> None:
    """A caller's yes or no also holds for the mirror's Leads of their number (outbound calls read it)."""
    if call.customer_number and call.consent != Call.Consent.UNKNOWN:
        Lead.objects.filter(phone_e164=call.customer_number).exclude(consent=call.consent).update(consent=call.consent)


def _sync_soon(call: Call) -> None:
    ended = call.status == Call.Status.ENDED
    request_sync(call=call, delay_seconds=0.0 if ended else settings.CALLSYNC_REPORT_GRACE_SECONDS)


def caller_zone(*, phone: str, zone_name: str = "") -> ZoneInfo:
    """The zone the caller named, else the one their number belongs to, else the default.

    A number spanning several zones (a toll-free or +1 number with no single
    area) says nothing, so the default applies."""
    if zone_name:
        try:
            return ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise CallbackTimeError(
                f"'{zone_name}' is not a time zone; use an IANA name such as America/Chicago.") from None
    if phone:
        try:
            zones = number_zones.time_zones_for_number(phonenumbers.parse(phone))
        except phonenumbers.NumberParseException:
            zones = ()
        if len(zones) == 1:
            return ZoneInfo(zones[0])
    return ZoneInfo(settings.CALLSYNC_DEFAULT_CALLER_TIMEZONE)


def parse_callback_time(*, when: str, zone: ZoneInfo, now: datetime | None = None) -> CallbackTime:
    """An ISO 8601 date and time; without an offset it is read in the caller's zone."""
    now = now or timezone.now()
    example = (now + timedelta(days=1)).astimezone(zone).replace(hour=15, minute=0, second=0, microsecond=0)
    hint = (f"Give a date and time in ISO 8601, such as {example:%Y-%m-%dT%H:%M}. "
            f"It is now {now.astimezone(zone):%Y-%m-%dT%H:%M} in {zone.key}.")
    text = when.strip().replace(" ", "T", 1) if len(when.strip()) > 10 else when.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise CallbackTimeError(f"'{when}' is not a date and time. {hint}") from None
    if len(text) <= 10:
        raise CallbackTimeError(f"'{when}' has no time of day. {hint}")
    at = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    if at < now - CLOCK_SKEW:
        raise CallbackTimeError(f"{at.astimezone(zone):%Y-%m-%dT%H:%M} is in the past. {hint}")
    if at > now + FURTHEST_CALLBACK:
        raise CallbackTimeError(f"{at.astimezone(zone):%Y-%m-%d} is more than a year away. {hint}")
    return CallbackTime(at=at, zone=zone)
