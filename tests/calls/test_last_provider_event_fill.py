"""Calls stored before Call.last_provider_event_at existed get their provider's last word from the
events applied to them (calls/migrations/0013)."""

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps

from calls.models import Call, WebhookEvent

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("calls.migrations.0013_fill_last_provider_event_at")
T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def _event(call: Call, minutes: int, *, provider="vapi", event_type="status-update", status="processed"):
    return WebhookEvent.objects.create(call=call, provider=provider, event_type=event_type, status=status,
                                       path="/webhooks/", body="{}", received_at=T0 + timedelta(minutes=minutes))


def test_existing_calls_take_their_newest_applied_event_or_else_updated_at(monkeypatch):
    vapi, twilio, unheard = (Call.objects.create(vapi_call_id=name) for name in ("vapi", "twilio", "unheard"))
    _event(vapi, 1), _event(vapi, 5, event_type="transcript"), _event(vapi, 9, status="failed")
    _event(twilio, 2, provider="twilio", event_type="call-status")
    _event(twilio, 7, provider="twilio", event_type="recording-status")  # about the recording, not the call
    Call.objects.filter(pk=unheard.pk).update(updated_at=T0 + timedelta(minutes=3))
    Call.objects.update(last_provider_event_at=T0 + timedelta(days=1))  # as 0012 left them: all alike
    monkeypatch.setattr(MIGRATION, "BATCH", 2)  # more than one batch

    MIGRATION.fill(apps, None)

    filled = dict(Call.objects.values_list("vapi_call_id", "last_provider_event_at"))
    assert filled == {"vapi": T0 + timedelta(minutes=5), "twilio": T0 + timedelta(minutes=2),
                      "unheard": T0 + timedelta(minutes=3)}
