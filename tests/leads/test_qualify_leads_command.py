"""`manage.py qualify_leads`: a batch of qualification calls, against the Vapi stand-in."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from calls.models import Call
from leads.management import pacing
from leads.management.pacing import Pacer, seconds_between
from tests.factories import LeadFactory
from tests.support.vapi_api import queued_outbound_call, vapi_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def vapi(vapi_api, settings):
    vapi_api.body = queued_outbound_call
    settings.CALLSYNC_OUTBOUND_CONSENT = "required"
    settings.CALLSYNC_OUTBOUND_MIN_HOURS_BETWEEN_CALLS = 24.0
    return vapi_api


class FakeTime:
    """A monotonic clock that moves only when the pacer sleeps: the waits are exact."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(pacing, "monotonic", fake.monotonic)
    monkeypatch.setattr(pacing, "sleep", fake.sleep)
    return fake


def lead(number: int, **fields):
    defaults = {"first_name": f"Lead{number}", "phone_e164": f"+1415555{number:04d}", "consent": Call.Consent.GIVEN,
                "status": "Open - Not Contacted"}
    return LeadFactory(**{**defaults, **fields})


def qualify(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("qualify_leads", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def called_numbers(vapi) -> list[str]:
    return [request["json"]["customer"]["number"] for request in vapi.requests if request["method"] == "POST"]


def test_a_campaign_calls_the_matching_leads_up_to_the_limit(vapi, fake_time):
    first, second, third = lead(1), lead(2, status="open - contacted"), lead(3)
    lead(4, status="Closed - Converted")
    lead(5, status="")

    out, err = qualify("--status", "Open", "--limit", "2", "--rate", "1/s")

    assert called_numbers(vapi) == [first.phone_e164, second.phone_e164]
    assert set(Call.objects.values_list("lead", flat=True)) == {first.pk, second.pk}
    assert out.strip() == "Started 2 call(s)."
    assert "Qualification calls" in err and "2/2" in err  # the progress bar
    assert third.calls.count() == 0


def test_leads_that_may_not_be_called_are_skipped_and_counted_by_reason(vapi, fake_time):
    ready = lead(1)
    lead(2, do_not_call=True)
    lead(3, consent=Call.Consent.UNKNOWN)
    lead(4, consent=Call.Consent.REFUSED)
    lead(5, phone_e164="")
    again = lead(6)
    Call.objects.create(lead=again, customer_number=again.phone_e164, direction=Call.Direction.INBOUND)

    out, err = qualify("--rate", "2/s", "-v", "2")

    assert called_numbers(vapi) == [ready.phone_e164]
    assert out.strip() == ("Started 1 call(s). Skipped 5: called_recently 1, consent_refused 1, consent_unknown 1, "
                           "do_not_call 1, no_valid_phone 1.")
    assert f"Skipped lead {again.pk} {again.salesforce_id} Lead6 Whitfield: The lead was on a call" in err
    assert fake_time.sleeps == []  # skips cost no wait


def test_vapi_failures_are_counted_and_the_campaign_goes_on(vapi, fake_time):
    leads = [lead(1), lead(2)]
    vapi.status, vapi.body = 400, vapi_error(400, "Bad Request", "customer.number must be a valid phone number")

    out, err = qualify("--rate", "10/s")

    assert len(called_numbers(vapi)) == 2
    assert out.strip() == "Started 0 call(s). Failed 2: vapi_error 2."
    for failed in leads:
        assert f"Failed lead {failed.pk} {failed.salesforce_id}" in err
    assert "customer.number must be a valid phone number" in err
    assert not Call.objects.exists()


def test_two_leads_with_one_number_get_one_call(vapi, fake_time):
    lead(1, first_name="Ana")
    lead(1, first_name="Ana's colleague")
    out, _ = qualify()
    assert len(called_numbers(vapi)) == 1
    assert out.strip() == "Started 1 call(s). Skipped 1: called_recently 1."


def test_calls_are_paced_by_the_rate_and_skips_are_not(vapi, fake_time):
    for number in range(1, 5):
        lead(number, do_not_call=number == 2)
    qualify("--rate", "30/m")
    assert len(called_numbers(vapi)) == 3
    assert fake_time.sleeps == [2.0, 2.0]


def test_a_dry_run_lists_who_would_be_called_and_why_not_the_others(vapi):
    blocked = lead(1, do_not_call=True)
    ready = lead(2)
    later = lead(3)

    out, _ = qualify("--dry-run", "--limit", "1")

    assert vapi.requests == []
    assert not Call.objects.exists()
    assert out.splitlines() == [
        f"Would skip lead {blocked.pk} {blocked.salesforce_id} Lead1 Whitfield: "
        "The lead is marked Do Not Call in Salesforce.",
        f"Would call lead {ready.pk} {ready.salesforce_id} Lead2 Whitfield",
        "Would start 1 call(s). Skipped 1: do_not_call 1.",
    ]
    assert later.salesforce_id not in out  # past the limit


def test_a_dry_run_warns_when_vapi_is_not_configured(vapi, settings):
    settings.VAPI_API_KEY = ""
    lead(1)
    out, err = qualify("--dry-run")
    assert "Would start 1 call(s)." in out
    assert "VAPI_API_KEY" in err


def test_without_vapi_settings_the_command_stops_before_calling(vapi, settings):
    settings.VAPI_PHONE_NUMBER_ID = ""
    lead(1)
    with pytest.raises(CommandError, match="set VAPI_PHONE_NUMBER_ID"):
        qualify()
    assert vapi.requests == []


@pytest.mark.parametrize("args, complaint", [
    (("--rate", "fast"), "'fast' is not a rate: write N/s, N/m or N/h"),
    (("--rate", "5/d"), "'5/d' is not a rate"),
    (("--rate", "0/s"), "must be above zero"),
    (("--rate=-1/s",), "'-1/s' is not a rate"),
    (("--limit", "0"), "'0' is not a whole number above zero"),
    (("--limit", "ten"), "'ten' is not a whole number above zero"),
])
def test_bad_options_are_refused_clearly(vapi, args, complaint):
    lead(1)
    with pytest.raises(CommandError, match=complaint):
        qualify(*args)
    assert vapi.requests == []


# --- the pace itself ------------------------------------------------------------------------

@pytest.mark.parametrize("rate, seconds", [("1/s", 1.0), ("4/s", 0.25), ("30/m", 2.0), ("100/h", 36.0),
                                           ("0.5/s", 2.0), (" 2 / m ", 30.0)])
def test_rates_become_intervals(rate, seconds):
    assert seconds_between(rate) == pytest.approx(seconds)


def test_the_pacer_sleeps_only_for_what_is_left_of_the_interval():
    fake = FakeTime()
    pacer = Pacer(1.0, clock=fake.monotonic, sleeper=fake.sleep)
    pacer.wait()  # the first start never waits
    fake.now += 0.25  # the call took a quarter second
    pacer.wait()
    fake.now += 3.0  # a slow call: the next may start at once
    pacer.wait()
    pacer.wait()
    assert fake.sleeps == [0.75, 1.0]
