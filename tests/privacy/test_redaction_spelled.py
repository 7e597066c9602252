"""Issue 14's patterns one by one, on sentences that are in none of the tables: a cue after its value, letters
spelled in an identifier, UK national numbers, spelled e-mail local parts, licence shapes, dates bound to their
nearest cue, spelled IBANs, and the look-alike of each that must stay."""

from __future__ import annotations

import pytest

from privacy.redaction import redact
from privacy.spelled import compact, spelled_from

CALLER = "+14155550123"


def redacted(text: str, **keep) -> str:
    return redact(text, keep_phones=keep.get("phones", (CALLER,)), keep_emails=keep.get("emails", ())).text


@pytest.mark.parametrize("text, expected", [
    # the cue after the value
    ("Caller: 5 2 9 is the CVV", "Caller: [CVV] is the CVV"),
    ("Caller: 011000015 is our routing number", "Caller: [BANK] is our routing number"),
    ("Caller: X1234567, that's my passport", "Caller: [PASSPORT], that's my passport"),
    ("Caller: card 4242 4242 4242 4242, and 7 1 5 is the code", "Caller: card [CARD], and [CVV] is the code"),
    # ... and what it must not take
    ("Caller: 94107, that's the zip on my license", "Caller: 94107, that's the zip on my license"),
    ("Caller: 1299 is the code for the door", "Caller: 1299 is the code for the door"),
    ("Caller: expiry oh nine twenty-nine, CVC 321", "Caller: expiry oh nine twenty-nine, CVC [CVV]"),
])
def test_a_cue_after_the_value_names_it(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Caller: passport number, K as in kilo, two four six eight one three five",
     "Caller: passport number, [PASSPORT]"),
    ("Caller: Oregon license, uh, Q R, 5 5 1 2 3 4", "Caller: Oregon license, uh, [LICENSE]"),
    ("Caller: it's J K L, um, M N O P 7 8 9 Q R, my Washington license", "Caller: it's [LICENSE], my Washington license"),
    ("Caller: Florida DL, W425-163-81-912-0", "Caller: Florida DL, [LICENSE]"),
    # a plate and the software's licence are not a driving licence
    ("Caller: my license plate is 4 8 2 1 7 3 9", "Caller: my license plate is 4 8 2 1 7 3 9"),
    ("Caller: the license covers 250000 users", "Caller: the license covers 250000 users"),
])
def test_letters_spelled_or_written_beside_the_digits_belong_to_the_id(text, expected):
    assert redacted(text) == expected


def test_spelled_pieces_read_letters_numbers_and_repeats():
    text = "IBAN N L nine one, A B N A, oh four one seven, double six, treble four"
    assert compact(spelled_from(text, 4)) == "NL91ABNA041766444"


def test_a_spelled_iban_is_redacted_when_its_check_digits_hold():
    text = "Caller: IBAN N L nine one, A B N A, oh four one seven, one six four three, oh oh. Thanks"
    assert redacted(text) == "Caller: IBAN [IBAN]. Thanks"
    wrong = "Caller: IBAN N L nine two, A B N A, oh four one seven, one six four three, oh oh. Thanks"
    assert "[IBAN]" not in redacted(wrong)


def test_uk_national_numbers_are_phones_and_the_callers_own_is_kept():
    spoken = "Caller: ring me on oh two oh, seven nine four six, oh treble four"
    assert redacted(spoken) == "Caller: ring me on [PHONE]"
    assert redacted(spoken, phones=("+442079460444",)) == spoken  # the caller's own, in E.164
    assert redacted("Caller: my mobile is 07700 900462") == "Caller: my mobile is [PHONE]"
    assert redacted("Caller: order 02079460444 please") == "Caller: order 02079460444 please"


def test_a_spelled_email_local_part_is_redacted_whole_and_the_callers_own_kept():
    text = "Caller: it's sam, S A M, underscore lee 42 at example dot org"
    assert redacted(text) == "Caller: it's [EMAIL]"
    assert redacted(text, emails=("sam_lee42@example.org",)) == text
    assert redacted("Caller: write to r okafor, that's O K A F O R, at example dot net") == "Caller: write to [EMAIL]"
    # the sentence around it stays
    assert redacted("Agent: my email is, uh, at example dot com") == "Agent: my email is, uh, at example dot com"


def test_a_date_answers_its_nearest_cue():
    text = "Caller: my passport was issued 05/06/2019, and my birthday's 07/08/1990"
    assert redacted(text) == "Caller: my passport was issued 05/06/2019, and my birthday's [DOB]"
    assert redacted("Caller: 07/08/1990 is my birthday") == "Caller: [DOB] is my birthday"
