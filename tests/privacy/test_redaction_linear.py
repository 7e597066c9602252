"""Redaction work grows linearly with the text, on every adversarial input (tests/privacy/adversarial.py).

Counted, not timed: every Python line run and every call made while redacting a text of n and of 4n
characters. Quadratic work (a scan of everything found so far for each new window, a date search
restarted at each cue) makes the count grow 16-fold; linear work, 4-fold. The allowance covers
sorting (n log n) and fixed costs. bench/redaction.py prints the seconds.
"""

from __future__ import annotations

import sys

import pytest

from privacy.redaction import redact
from privacy.spoken import LONG_RUN, digit_runs, read_digits
from tests.privacy.adversarial import KINDS

SIZE = 3_000
ALLOWED_GROWTH = 5.0  # for 4x the text; quadratic work would be ~16


def work(text: str) -> int:
    """Python lines executed and functions called (C ones too) while redacting `text`."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        return tracer

    def profiler(frame, event, arg):
        nonlocal count
        count += event == "c_call"

    previous_trace, previous_profile = sys.gettrace(), sys.getprofile()
    sys.settrace(tracer)
    sys.setprofile(profiler)
    try:
        redact(text, keep_phones=("+14155550123",))
    finally:
        sys.setprofile(previous_profile)
        sys.settrace(previous_trace)
    return count


@pytest.mark.parametrize("kind", list(KINDS))
def test_redaction_work_grows_linearly(kind):
    make = KINDS[kind]
    # Redacted once untraced first: one-time work (phonenumbers loads a country's metadata the first time a
    # number of that country is parsed) must not land in one measurement only. It did, run on its own: 5.1x.
    redact(make(4 * SIZE), keep_phones=("+14155550123",))
    small, large = work(make(SIZE)), work(make(4 * SIZE))
    assert large <= ALLOWED_GROWTH * small, f"{kind}: {small} -> {large} ({large / small:.1f}x for 4x the text)"


def test_a_long_spoken_turn_is_read_with_linear_work():
    """The measured outage: one caller turn of thousands of spoken digits."""
    turn = " ".join(["four", "one", "one", "one", "two", "three"] * 150)
    small, large = work(f"Caller: {turn}."), work(f"Caller: {' '.join([turn] * 4)}.")
    assert large <= ALLOWED_GROWTH * small, (small, large)


# --- runs longer than any identifier are redacted whole, never split into windows -----------------

@pytest.mark.parametrize("run", [
    "4111111111111111" * 5,  # one written group of 80 digits: no window of whole groups is a card
    " ".join("4111111111111111" * 5),  # spaced: a card hides in many of its windows
    " ".join(["four", "one", "one", "one"] * 20),  # spoken
])
def test_a_run_of_more_than_64_digits_is_redacted_whole_as_a_card(run):
    result = redact(f"Caller: {run}. Thanks", keep_phones=("+14155550123",))
    assert result.text == "Caller: [CARD]. Thanks" and result.counts == {"CARD": 1}


def test_a_run_of_64_digits_or_fewer_is_read_window_by_window_as_before():
    result = redact("Caller: 4111 1111 1111 1111 " + "2" * 48 + ". Thanks")
    assert result.text == "Caller: [CARD] " + "2" * 48 + ". Thanks"


def test_what_overlaps_a_long_run_goes_with_it():
    run = ".".join("1234567890" * 7)  # 70 digits, and the local part of an address reaching into it
    assert redact(f"mail {run}@example.com now").text == "mail [CARD] now"


@pytest.mark.parametrize("text", [
    "oh, oh, " + "one two three " * 30, "double " + "four " * 70, "one hundred and " + "five " * 70,
    "um " + "seven eight " * 40 + "hundred nine", "+1 " + "2 " * 70 + "and 415 555 0123", "Oh well, " + "5-" * 66,
])
def test_reading_long_islands_in_bulk_gives_the_runs_word_by_word_reading_gives(text):
    runs, long = read_digits(text)
    every = digit_runs(text)
    assert runs == [run for run in every if len(run.digits) <= LONG_RUN]
    assert long == [(run.start, run.end) for run in every if len(run.digits) > LONG_RUN]


@pytest.mark.parametrize("text", [
    "born 1/1/85, 12/28/1985 and 3:30", "+1 2 3 and +44 20 7946 0958", "oh one, one two three, 7", "it's 12. 345",
    "four, 12, nine nine nine, double oh", "+ 12 345 " * 5,
])
def test_the_shortest_runs_the_redaction_reads_are_the_runs_of_that_many_digits(text):
    """The redaction asks `read_digits` for runs of three digits or more (no detector reads fewer): the same runs,
    "+" signs included, as reading them all and dropping the shorter ones."""
    runs, long = read_digits(text)
    assert read_digits(text, shortest=3) == ([run for run in runs if len(run.digits) >= 3], long)
    assert [run.plus for run in read_digits(text, shortest=3)[0]] == [run.plus for run in runs if len(run.digits) >= 3]
