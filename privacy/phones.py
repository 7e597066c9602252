"""Phone numbers in digit runs: any number phonenumbers' metadata says is in service, and a cued local number
("call my wife at 555-0134"), except the caller's and the company's own (`keep_phones`, compared in E.164).

Split from privacy/detectors.py, whose helpers (the text before a run, money and references) it shares.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from calls.phones import to_e164
from privacy.detectors import (NOT_A_PHONE_BEFORE, PHONE, Context, Doubt, Finding, before, ends_with_reference,
                               inside_a_word, is_money_or_quantity)
from privacy.spoken import DigitRun

_BREAK = re.compile(r"[.?!\n]")
_PHONE_CUE = re.compile(r"\b(phone|number|call|reach|cell|mobile|text|dial|line|fax)\b", re.I)


def find_phones(context: Context) -> tuple[list[Finding], list[Doubt]]:
    """Phone numbers that are not the caller's or the company's own (`keep_phones`)."""
    findings = []
    for run in context.runs:
        if len(run.digits) < 7 or inside_a_word(context, run) or is_money_or_quantity(context, run) \
                or ends_with_reference(NOT_A_PHONE_BEFORE, before(context, run.start, 40)):
            continue
        findings += _phones_in(context, run)
    return findings, []


def _phones_in(context: Context, run: DigitRun) -> list[Finding]:
    """The longest numbers first, none overlapping another. A run that is one number whole (the usual case)
    is read once: its whole is the longest window and overlaps every other."""
    longest = 15 if run.plus else 11
    digits, count = run.digits, len(run.tokens)
    if len(digits) <= longest:
        number = _phone_number(context, run, 0, count, digits)
        if number is not None:
            return [] if number in context.keep_phones else [_phone_finding(context, run, 0, count)]
    # A long run is cut where sentences end: a number is read between two stops, not across one.
    cuts = _natural_breaks(context, run) if len(digits) > longest else None
    findings, taken, bounds = [], bytearray(count), run.bounds
    for first, last in sorted(run.spans(7, longest, cuts),
                              key=lambda span: (bounds[span[0]] - bounds[span[1]], span[0])):
        if taken.find(1, first, last) != -1:
            continue
        number = _phone_number(context, run, first, last, digits[bounds[first]:bounds[last]])
        if number is None:
            continue
        taken[first:last] = b"\x01" * (last - first)
        if number not in context.keep_phones:
            findings.append(_phone_finding(context, run, first, last))
    return findings


def _phone_finding(context: Context, run: DigitRun, first: int, last: int) -> Finding:
    return Finding(PHONE, _with_opening_mark(context, run.tokens[first].start), run.tokens[last - 1].end)


def spells_kept_phone(context: Context, run: DigitRun) -> bool:
    """Whether the run is the caller's or the company's own number, in full or its last seven digits."""
    digits = run.digits
    if len(digits) == 7:
        return any(phone.endswith(digits) for phone in context.keep_phones)
    return _e164("+" + digits if run.plus else digits, context.region) in context.keep_phones


def _phone_number(context: Context, run: DigitRun, first: int, last: int, digits: str) -> str | None:
    """The E.164 number run.tokens[first:last] spells, "local:<7 digits>" for a cued local number, or None."""
    if len(digits) == 7:
        return _local_number(context, run.sub(first, last), whole_run=last - first == len(run.tokens))
    plus = run.plus and first == 0
    e164 = _valid_e164("+" + digits if plus else digits, context.region)
    if not e164:
        return _national_number(digits) if not plus and first == 0 and last == len(run.tokens) else None
    if not plus and len(digits) > 10 and not (digits.startswith("1") and len(digits) == 11):
        return None  # national numbers longer than ten digits need their "+"
    return e164


def _national_number(digits: str) -> str | None:
    """A whole run of eleven digits that starts with one zero, a trunk prefix ("oh two oh, seven nine four six,
    double oh double one"): a national number of the UK (and of other 0 + 10 digit plans), where callers from
    abroad call from, even when the default region says otherwise. No identifier we keep has that shape (order
    and account numbers are excluded by their cues before this), so it is redacted whether or not it is in
    service: Ofcom's drama range 07700 900xxx is not, and is still a phone number. The E.164 form, when the UK
    plan reads it, lets the caller's own number be kept."""
    if len(digits) != 11 or digits[0] != "0" or digits[1] == "0":
        return None
    return _valid_e164(digits, "GB") or f"national:{digits}"


@lru_cache(maxsize=65536)
def _e164(raw: str, region: str) -> str:
    """to_e164, remembered: a transcript says the same numbers again and again, and parsing costs ~10 us."""
    return to_e164(raw, region)


@lru_cache(maxsize=65536)
def _valid_e164(raw: str, region: str) -> str:
    """The E.164 form of `raw` when it is a number in service (phonenumbers' metadata), else "": one parse."""
    if region == "US" and len(raw) == 10 and raw.isascii() and raw.isdigit() and raw[0] not in "01":
        # Ten digits from 2-9 in the US: parse would give country code 1 and these digits (no international or
        # national prefix to strip), so it is skipped; it costs twice the validity check.
        number = phonenumbers.PhoneNumber(country_code=1, national_number=int(raw))
        return "+1" + raw if phonenumbers.is_valid_number(number) else ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _local_number(context: Context, window: DigitRun, *, whole_run: bool) -> str | None:
    """"555-0123" or "five five five oh one two three" after "number"/"call": a local number."""
    grouped = [len(token.digits) for token in window.tokens] == [3, 4]
    if not whole_run or not (grouped or window.spoken) or not _PHONE_CUE.search(before(context, window.start)):
        return None
    kept = next((phone for phone in context.keep_phones if phone.endswith(window.digits)), None)
    return kept or f"local:{window.digits}"


def _with_opening_mark(context: Context, start: int) -> int:
    """Include a "+" or "(" written right before the digits, so "(415) 555-0123" goes whole."""
    return start - 1 if start > 0 and context.text[start - 1] in "+(" else start


def _natural_breaks(context: Context, run: DigitRun) -> list[int]:
    """Token indexes a run may be split before (where a sentence or a line ends between two tokens),
    with its first and its end: the cuts a window of a long run must start and end on."""
    tokens, text = run.tokens, context.text
    if not _BREAK.search(text, run.start, run.end):
        return [0, len(tokens)]  # no stop anywhere in the run (the usual case): none between two tokens either
    inner = [index for index in range(1, len(tokens))
             if _BREAK.search(text, tokens[index - 1].end, tokens[index].start)]
    return [0, *inner, len(tokens)]
