"""What fuzzing found in the parsers: inputs the database cannot hold become a clear
PayloadError (a 400 with the request on record) or are dropped, never a 5xx."""

import json

import pytest

from integrations.errors import PayloadError
from integrations.twilio import messages as twilio
from integrations.vapi import messages as vapi


def test_json_nested_deeper_than_the_parser_goes_is_no_vapi_message():
    with pytest.raises(PayloadError, match="nests too deeply"):
        vapi.parse_json(b"[" * 100_000)


@pytest.mark.parametrize("key", ["id", "phoneCallProviderId"])
def test_a_call_id_longer_than_its_column_is_no_vapi_message(key):
    call = {"id": "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f", key: "9" * 65}
    with pytest.raises(PayloadError, match=f'"message.call.{key}" is longer than 64 characters'):
        vapi.parse_json(json.dumps({"message": {"type": "status-update", "call": call}}))
    call[key] = "9" * 64
    assert vapi.parse_json(json.dumps({"message": {"type": "status-update", "call": call}})).call.id


def test_twilio_values_lose_their_nul_characters():
    event = twilio.parse_form(twilio.CALL_STATUS, "CallSid=CA1%00&CallStatus=comp%00leted")
    assert (event.call_sid, event.call_status) == ("CA1", "completed")
    with pytest.raises(PayloadError, match="missing CallSid"):
        twilio.parse_form(twilio.CALL_STATUS, "CallSid=%00")


@pytest.mark.parametrize(("value", "read"), [("254", 254), ("0", 0), ("-5", None), ("9" * 40, None), ("1e9", None),
                                             (str(2 ** 31 - 1), 2 ** 31 - 1), (str(2 ** 31), None)])
def test_twilio_counts_outside_what_a_count_holds_are_unknown(value, read):
    event = twilio.parse_form(twilio.CALL_STATUS, f"CallSid=CA1&SequenceNumber={value}&CallDuration={value}")
    assert event.sequence_number == event.duration_seconds == read


def test_a_twilio_sid_longer_than_its_column_is_no_callback():
    with pytest.raises(PayloadError, match="RecordingSid longer than 64 characters"):
        twilio.parse_form(twilio.RECORDING_STATUS, "CallSid=CA1&RecordingSid=" + "R" * 65)


def test_a_twilio_status_longer_than_any_status_is_unknown():
    recording = twilio.parse_form(twilio.RECORDING_STATUS, "CallSid=CA1&RecordingSid=RE1&RecordingStatus=" + "9" * 30)
    call = twilio.parse_form(twilio.CALL_STATUS, "CallSid=CA1&CallStatus=" + "x" * 17)
    assert recording.recording_status == call.call_status == ""
    assert twilio.parse_form(twilio.CALL_STATUS, "CallSid=CA1&CallStatus=in-progress").call_status == "in-progress"
