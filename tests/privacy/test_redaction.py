"""The redaction engine: the table's precision and recall, and the tricky parts one by one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from privacy import checks
from privacy.evaluation import score
from privacy.redaction import Redactor, redact, redact_value
from privacy.spoken import digit_runs
from tests.privacy.cases import CASES
from tests.privacy.cases_fresh import FRESH_CASES
from tests.privacy.cases_public import PUBLIC_CASES

MINIMUM = 0.95
CALLER = "+14155550123"


# --- the table -------------------------------------------------------------------------------

def test_the_table_is_large_and_its_expected_spans_are_in_their_texts():
    assert len(CASES) >= 120
    assert sum(1 for case in CASES if not case.expected) >= 40  # look-alikes that must stay
    for case in CASES:
        for _, substring in case.expected:
            assert substring in case.text, (substring, case.text)


def scored_and_reported(cases, name: str, report_to_terminal, *, bar: bool = True):
    result = score(case.scored() for case in cases)
    overall = result.overall
    figures = f"{name}: precision {overall.precision:.3f}, recall {overall.recall:.3f} over {len(cases)} cases"
    report_to_terminal(figures)
    report_to_terminal(result.table())
    print(figures)
    if bar:
        assert overall.precision >= MINIMUM and overall.recall >= MINIMUM, (
            f"{figures}\n{result.table()}\n" + "\n".join(result.misses))
    return result


def test_precision_and_recall_over_the_table(report_to_terminal):
    result = scored_and_reported(CASES, "the engine's table", report_to_terminal)
    for kind, tally in result.by_kind.items():
        assert tally.expected >= 9, f"too few {kind} rows to measure"


def test_precision_and_recall_over_the_held_out_public_table(report_to_terminal):
    result = scored_and_reported(PUBLIC_CASES, "held out, from public call examples", report_to_terminal)
    for kind in ("CARD", "CVV", "BANK", "PASSPORT", "LICENSE", "SSN"):
        assert result.by_kind[kind].expected >= 3, f"too few {kind} rows to measure"
    assert sum(1 for case in PUBLIC_CASES if not case.expected) >= 15  # look-alikes that must stay


def test_the_fresh_table_is_printed_and_never_held_to_a_bar(report_to_terminal):
    # Written before the issue 14 fix as a check on it: its figures are reported (and in the commit), not asserted.
    scored_and_reported(FRESH_CASES, "fresh, written before the issue 14 fix (no bar)", report_to_terminal, bar=False)
    assert len(FRESH_CASES) >= 30 and sum(1 for case in FRESH_CASES if not case.expected) >= 8
    for case in FRESH_CASES:
        for _, substring in case.expected:
            assert case.text.count(substring) == 1, (substring, case.text)


# --- check digits and ranges -----------------------------------------------------------------

@pytest.mark.parametrize("number", ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117",
                                    "30569309025904", "4222222222222", "2223003122003222"])
def test_published_test_card_numbers_pass_luhn(number):
    assert checks.luhn_valid(number) and checks.is_card_number(number)


@pytest.mark.parametrize("number", ["4111111111111112", "4412556788901235", "8812334455667788", "41111111111"])
def test_one_wrong_digit_or_a_wrong_length_is_not_a_card(number):
    assert not checks.is_card_number(number)


def test_a_luhn_valid_number_outside_the_issuer_ranges_is_not_a_card():
    assert checks.luhn_valid("1000000000000008") and not checks.is_card_number("1000000000000008")


def test_iban_mod_97_and_country_length():
    assert checks.iban_valid("GB82WEST12345698765432")
    assert checks.iban_valid("gb82west12345698765432")
    assert not checks.iban_valid("GB82WEST12345698765433")  # one digit off
    assert not checks.iban_valid("GB82WEST1234569876543")  # one short for GB
    assert not checks.iban_valid("XX82WEST12345698765432")  # no such country


@pytest.mark.parametrize("ssn, valid", [
    ("123456789", True), ("078051120", True), ("899999999", True),
    ("000123456", False), ("666123456", False), ("900123456", False), ("999999999", False),
    ("123006789", False), ("123450000", False),
])
def test_ssn_ranges_the_ssa_never_issues(ssn, valid):
    assert checks.ssn_valid(ssn) is valid
    text = f"my social is {ssn[:3]}-{ssn[3:5]}-{ssn[5:]}"
    assert ("[SSN]" in redact(text).text) is valid


# --- spoken digits ---------------------------------------------------------------------------

def test_spoken_digits_keep_their_place_in_the_text():
    text = "ok, it's four oh double one, triple two one, um, forty-one, nineteen. thanks"
    [run] = digit_runs(text)
    assert run.digits == "4011222141" + "19"
    assert text[run.start:run.end] == "four oh double one, triple two one, um, forty-one, nineteen"
    assert [text[token.start:token.end] for token in run.tokens][:3] == ["four", "oh", "double one"]


def test_a_spoken_card_is_replaced_exactly_and_nothing_around_it():
    text = "Caller: Sure. Four one one one, one one one one, uh, one one one one, one one one one. Expiry oh nine."
    assert redact(text).text == "Caller: Sure. [CARD]. Expiry oh nine."


def test_oh_is_zero_only_beside_digits():
    assert digit_runs("Oh, I see. Oh well.") == []
    assert digit_runs("five oh five")[0].digits == "505"


def test_one_eight_hundred_numbers_are_read_as_digits():
    [run] = digit_runs("call one eight hundred five five five oh one nine nine")
    assert run.digits == "18005550199"


# --- phones, emails, dates -------------------------------------------------------------------

def test_the_callers_own_number_is_kept_in_any_spelling_and_others_are_not():
    spellings = ("415-555-0123", "(415) 555-0123", "+1 415 555 0123", "four one five five five five oh one two three")
    for spelling in spellings:
        assert redact(f"call me on {spelling}", keep_phones=[CALLER]).text == f"call me on {spelling}"
    assert redact("or my wife on 415-555-0177", keep_phones=[CALLER]).text == "or my wife on [PHONE]"


@pytest.mark.parametrize("text, redacted", [
    ("the code on the back is 123", "the code on the back is [CVV]"),
    ("routing 021000021, checking account 4435990211", "routing [BANK], checking account [BANK]"),
    ("my passport number is C03005988", "my passport number is [PASSPORT]"),
    ("driver's license D1234567", "driver's license [LICENSE]"),
    ("the last four of my social are six seven eight nine", "the last four of my social are [SSN]"),
    ("the promo code is 123, my account number is 88217, routing 123456789",
     "the promo code is 123, my account number is 88217, routing 123456789"),
])
def test_cued_identifiers_are_redacted_and_their_look_alikes_stay(text, redacted):
    assert redact(text).text == redacted


def test_prices_years_quantities_times_zips_and_references_stay():
    text = ("It's $1,299 a seat in 2024 for 200 seats, at 3:30 pm, zip 94107, order 8 8 1 2 3 4, "
            "ticket #55512 and order number 4412 5567 8890 1235.")
    result = redact(text)
    assert result.text == text and result.counts == {} and result.confidence == 1.0


def test_the_callers_own_email_can_be_kept_written_or_spoken():
    text = "Dana dot Whitfield at example dot com, or ops@northwind.com"
    kept = redact(text, keep_emails=["dana.whitfield@example.com"])
    assert kept.text == "Dana dot Whitfield at example dot com, or [EMAIL]"


def test_only_the_date_after_a_birth_cue_is_a_date_of_birth():
    text = "I was born on March 3rd, 1985 and the meeting is on March 12th, 2026."
    assert redact(text).text == "I was born on [DOB] and the meeting is on March 12th, 2026."


# --- confidence ------------------------------------------------------------------------------

def test_confidence_is_one_when_nothing_is_ambiguous_even_with_findings():
    result = redact("card 4111 1111 1111 1111, born 03/03/1985")
    assert result.counts == {"CARD": 1, "DOB": 1} and result.confidence == 1.0


def test_a_card_cue_with_digits_failing_luhn_lowers_confidence():
    result = redact("my card number is 4111 1111 1111 1112")
    assert result.counts == {} and result.confidence == 0.7
    assert [doubt.reason for doubt in result.doubts] == ["digits after a card cue fail the Luhn check"]


def test_unexplained_spoken_digit_runs_lower_confidence_and_doubts_multiply():
    result = redact("it's four four one two five five six seven eight nine one two and my card is 4111 1111 1111 1112")
    assert result.confidence == round(0.85 * 0.7, 4)


# --- structured values -----------------------------------------------------------------------

def test_structured_data_is_walked_and_keys_are_read_as_cues():
    data = {"name": "Dana", "dateOfBirth": "1985-03-03", "meetingDate": "2026-12-01", "seats": 200,
            "card": 4111111111111111, "notes": ["call my assistant on 212-555-0147", 12.5, True, None]}
    result = redact_value(data, keep_phones=[CALLER])
    assert result.value == {"name": "Dana", "dateOfBirth": "[DOB]", "meetingDate": "2026-12-01", "seats": 200,
                            "card": "[CARD]", "notes": ["call my assistant on [PHONE]", 12.5, True, None]}
    assert result.counts == {"CARD": 1, "PHONE": 1, "DOB": 1} and result.confidence == 1.0


def test_a_redactor_redacts_each_text_once_and_totals_what_it_is_asked_about():
    redactor = Redactor(keep_phones=[CALLER])
    transcript = "Caller: my card is 4111 1111 1111 1111"
    assert redactor(transcript) == "Caller: my card is [CARD]"
    assert redactor.text(transcript) is redactor.text(transcript)
    assert redactor.totals([transcript, {"summary": "born 03/03/1985"}, None]) == ({"CARD": 1, "DOB": 1}, 1.0)


# --- the report script -----------------------------------------------------------------------

def test_the_report_script_prints_precision_and_recall_per_kind_and_overall():
    script = Path(__file__).resolve().parents[2] / "scripts" / "redaction_report.py"
    finished = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    tables = finished.stdout.split("\n\n")
    assert len(tables) == 3 and "held out" in tables[1] and "fresh" in tables[2]
    for index, table in enumerate(tables):
        lines = table.strip().splitlines()
        assert lines[1].split() == ["kind", "precision", "recall", "redacted", "expected"]
        assert [line.split()[0] for line in lines[2:]] == [
            "CARD", "CVV", "SSN", "EMAIL", "PHONE", "IBAN", "BANK", "PASSPORT", "LICENSE", "DOB", "overall"]
        precision, recall = map(float, lines[-1].split()[1:3])
        assert index == 2 or (precision >= MINIMUM and recall >= MINIMUM)  # the fresh table has no bar


def test_ids_written_with_letters_are_no_phone_or_card_numbers():
    """Call ids are hex UUIDs: 1.7% of them used to lose a "phone number" and 0.1% a "card" from their
    digits (the mapping preview showed a call's own Vapi_Call_Id__c mangled)."""
    import random
    import uuid

    generator = random.Random(20261204)
    ids = [str(uuid.UUID(int=generator.getrandbits(128))) for _ in range(5000)]
    assert [value for value in ids if redact(f"call {value}").text != f"call {value}"] == []
    # The same digits standing apart are still found.
    assert redact("call me on 415 555 0134").text == "call me on [PHONE]"
    assert redact("it's 4111 1111 1111 1111").text == "it's [CARD]"
