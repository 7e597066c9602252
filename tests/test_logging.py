"""Log lines as production writes them (settings.LOGGING): one JSON object a line, the call id on
every line about a call, phone numbers masked in messages, arguments and tracebacks."""

import io
import json
import logging

import pytest

from observability.logs import JsonFormatter, PlainFormatter, call_context, redact
from tests.support.signing import vapi_fixture

CALL_ID = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"  # the call in the Vapi fixtures


@pytest.fixture
def console(settings):
    """What the console handler configured by settings.LOGGING writes, as a string. The root level is
    the configured one too, whatever an earlier test left it at."""
    root = logging.getLogger()
    [handler] = [h for h in root.handlers if isinstance(h.formatter, (JsonFormatter, PlainFormatter))]
    stream, level = io.StringIO(), root.level
    previous = handler.setStream(stream)
    root.setLevel(settings.LOGGING["root"]["level"])
    yield stream
    root.setLevel(level)
    handler.setStream(previous)


def lines(console) -> list[dict]:
    return [json.loads(line) for line in console.getvalue().splitlines()]


def test_production_writes_one_valid_json_object_per_line(console):
    logging.getLogger("callsync.test").warning("first %s", "line")
    logging.getLogger("callsync.test").error("second line", extra={"job_id": 7})
    first, second = lines(console)
    assert first["message"] == "first line" and first["level"] == "WARNING" and first["logger"] == "callsync.test"
    assert first["time"].endswith("+00:00") and "call_id" not in first
    assert second["job_id"] == 7


def test_lines_logged_inside_a_call_carry_its_id(console):
    with call_context("call-123"):
        logging.getLogger("callsync.test").warning("inside")
    logging.getLogger("callsync.test").warning("outside")
    inside, outside = lines(console)
    assert inside["call_id"] == "call-123" and "call_id" not in outside


def test_a_phone_number_in_the_message_or_its_arguments_is_masked(console):
    logger = logging.getLogger("callsync.test")
    logger.warning("caller +14155550123 hung up")
    logger.warning("caller %s hung up", "+1 (415) 555-0199")
    written = console.getvalue()
    assert "4155550123" not in written and "555-0199" not in written
    assert [line["message"] for line in lines(console)] == ["caller +*******0123 hung up", "caller +*******0199 hung up"]


def test_extra_fields_are_masked_too(console, rf):
    request = rf.get("/calls/", {"q": "+14155550123"})
    logging.getLogger("django.request").warning("Not Found: /calls/", extra={"status_code": 404, "request": request})
    [line] = lines(console)
    assert line["status_code"] == 404 and "0123" in line["request"] and "4155550123" not in console.getvalue()


def test_a_traceback_is_masked_too(console):
    try:
        raise ValueError("no lead for +14155550123")
    except ValueError:
        logging.getLogger("callsync.test").exception("lookup failed")
    [line] = lines(console)
    assert "ValueError: no lead for +*******0123" in line["exc"] and "4155550123" not in console.getvalue()


@pytest.mark.django_db
def test_a_webhook_that_fails_logs_the_call_id_and_no_phone_number(console, post_vapi, monkeypatch):
    def fail(*args):
        raise RuntimeError("could not match +14155550123")

    monkeypatch.setattr("calls.services.vapi_events.call_for_vapi", fail)
    assert post_vapi(vapi_fixture("status-update-ringing")).status_code == 200
    [line] = [line for line in lines(console) if line["logger"] == "calls.services.webhook_events"]
    assert line["call_id"] == CALL_ID and line["level"] == "ERROR"
    assert "4155550123" not in console.getvalue()


def test_the_plain_format_names_the_call_too():
    record = logging.LogRecord("callsync.test", logging.INFO, __file__, 1, "applied", None, None)
    record.call_id = "call-9"
    assert PlainFormatter().format(record).endswith("INFO callsync.test [call call-9] applied")


@pytest.mark.parametrize("text, masked", [
    ("+14155550123", "+*******0123"),
    ("+44 20 7946 0958", "+********0958"),
    ("called 4155550123 back", "called ******0123 back"),
    ("/calls/?q=%2B14155550123", "/calls/?q=%2B*******0123"),
    ("sent Authorization: Bearer 00Dxx0000001gPL!AQ4AQFh.x", "sent Authorization: Bearer [redacted]"),
    ("POST /token?grant_type=password&password=hunter2secret&x=1", "POST /token?grant_type=password&password=[redacted]&x=1"),
    ("job 12 at 2026-11-21 01:08, 250 ms", "job 12 at 2026-11-21 01:08, 250 ms"),
    ("CallSid CA1f2e3d4c5b6a79880123456789abcdef", "CallSid CA1f2e3d4c5b6a79880123456789abcdef"),
    ("call 9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f", "call 9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"),
])
def test_what_is_masked_and_what_is_not(text, masked):
    assert redact(text) == masked
