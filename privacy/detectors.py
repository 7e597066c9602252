"""One detector per kind of personal data; each returns what it found and what made it doubt.

A `Finding` is a span to replace; a `Doubt` is a near miss the redaction's confidence
accounts for (privacy/redaction.py explains the formula). Detectors look at the text,
its digit runs (privacy/spoken.py) and the words just before a run: "order 8 8 1 2 3 4"
and "$1,299" are not personal data, "my card number is ..." makes a near miss a doubt.
Phone numbers are found in privacy/phones.py, cued identifiers and IBANs in privacy/identifiers.py, e-mail
addresses in privacy/emails.py.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from privacy import checks
from privacy.dates import day_month_year_from_digits, find_dates
from privacy.spoken import DigitRun

CARD, SSN, EMAIL, PHONE, IBAN, DOB = "CARD", "SSN", "EMAIL", "PHONE", "IBAN", "DOB"
CVV, BANK, PASSPORT, LICENSE = "CVV", "BANK", "PASSPORT", "LICENSE"  # found after their cues (privacy/identifiers.py)
KINDS = (CARD, CVV, SSN, EMAIL, PHONE, IBAN, BANK, PASSPORT, LICENSE, DOB)
# When two findings overlap, the more specific one wins: an IBAN holds digit runs, an email address may too;
# a cued identifier beats a phone number of the same digits.
PRIORITY = {IBAN: 0, EMAIL: 1, CARD: 2, CVV: 3, SSN: 4, BANK: 5, PASSPORT: 6, LICENSE: 7, DOB: 8, PHONE: 9}

# How much each kind of near miss lowers the confidence (see privacy/redaction.py).
DOUBT_CARD_CHECK_FAILED = 0.3  # 13-19 digits after "card", failing Luhn: a misheard digit leaks the rest
DOUBT_SSN_INVALID = 0.2  # nine digits after "social", in a range the SSA never issues
DOUBT_IBAN_CHECK_FAILED = 0.2  # (privacy/identifiers.py) country code, check digits and the right length, failing mod 97
DOUBT_UNEXPLAINED_SPOKEN_DIGITS = 0.15  # seven or more spoken digits that are none of the kinds
DOUBT_DOB_CUE_WITHOUT_DATE = 0.1  # "date of birth" with no date we could read after it

_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # a digit's Luhn value when doubled
# An ASCII digit's value, and its Luhn value when doubled, as bytes: whole runs translated at once.
_VALUES = bytes.maketrans(b"0123456789", bytes(range(10)))
_DOUBLED_VALUES = bytes.maketrans(b"0123456789", bytes(_DOUBLED))

CUE_WINDOW = 60  # characters before a run in which a cue ("card", "social") counts
_THROUGH_LAST_DIGIT = re.compile(r".*[0-9]", re.S)
FEWEST_DIGITS = 3  # no detector reads a run of fewer digits (a CVV has 3): shorter ones are not even built
_CARD_CUE = re.compile(r"\b(card|credit|debit|visa|master\s?card|amex|american express|discover)\b", re.I)
_SSN_CUE = re.compile(r"\b(social|ssn|s\.s\.n\.?)\b", re.I)
_DOB_CUE = re.compile(r"\b(born|birth\s?date|birthday|date of birth|d[.-]?o[.-]?b)\b", re.I)
# Words that move a sentence on to another date: "born on ... and the meeting is on ...".
_OTHER_DATE_CUE = re.compile(r"\b(and|meet|meeting|call|demo|launch|deadline|start|renew|renewal|appointment|due|"
                             r"contract|ends?|until|by|next|then|but|visit|deliver|ship)\b", re.I)
# Words a date right after them answers instead ("issued 10/12/2021 ... on my birthday"): the date is bound to the
# nearest cue, and these are nearer than a birth cue that comes after the date.
_NON_BIRTH_CUE = re.compile(r"\b(?:issued|issue\s+date|expir\w*|dated|renew\w*|due|appointment|effective|signed|"
                            r"start\w*|joined|moved|paid|ordered|delivered|shipped|scheduled|booked)\W*(?:on\W+|in\W+)?"
                            r"\Z", re.I)
_NON_BIRTH_WORDS = ("issue", "expir", "dated", "renew", "due", "appointment", "effective", "signed", "start",
                    "joined", "moved", "paid", "ordered", "delivered", "shipped", "scheduled", "booked")
_REFERENCE = (r"order|ticket|invoice|confirmation|reference|ref|tracking|case|claim|policy|po|sku|model|serial|"
              r"part|item|booking|reservation|flight|receipt|shipment|parcel|package|quote|contract")
# A reference just before the digits: "order 88 1234", "ticket #55512", "tracking number is 1Z...".
_NOT_A_CARD_BEFORE = re.compile(rf"\b({_REFERENCE})\b(\W+(number|no|num|id|code|is|was|it's|its))*\W*$", re.I)
NOT_A_PHONE_BEFORE = re.compile(
    rf"\b({_REFERENCE}|account|acct|customer|member|membership|zip|postal|postcode|pin|id|extension|ext|"
    r"room|suite|unit|seat|serial)\b(\W+(number|no|num|id|code|is|was|it's|its))*\W*$", re.I)
_MONEY_BEFORE = re.compile(r"[$€£¥]\s*$")
_MONEY_AFTER = re.compile(r"^\s*(%|percent|dollars|bucks|euros|pounds|usd|k\b|grand|cents)", re.I)



# Named tuples, not dataclasses: a long text makes tens of thousands of them, and a frozen dataclass costs
# several times more to build.
class Finding(NamedTuple):
    kind: str
    start: int
    end: int


class Doubt(NamedTuple):
    reason: str
    weight: float
    start: int
    end: int


@dataclass(frozen=True)
class Context:
    """What every detector needs besides the text."""

    text: str
    runs: tuple[DigitRun, ...]
    keep_phones: frozenset[str]  # E.164
    region: str
    keep_emails: frozenset[str] = frozenset()  # lower case

    @cached_property
    def lower(self) -> str:
        """The text in lower case, for `mentions`: not for positions (a few letters change length)."""
        return self.text.lower()

    def mentions(self, *words: str) -> bool:
        """Whether any of `words` (lower case) occurs in the text: one C search each, where a pattern of
        alternatives costs ~60 ms per megabyte. Detectors skip the cues of a text that mentions none."""
        lower = self.lower
        return any(word in lower for word in words)


# --- helpers ---------------------------------------------------------------------------

def before(context: Context, start: int, window: int = CUE_WINDOW) -> str:
    """The text just before `start`, stopping at the line before the previous one (a question and its answer)."""
    preceding = context.text[start - window if start > window else 0:start]
    if preceding.count("\n") < 2:
        return preceding  # the common case, without splitting
    lines = preceding.split("\n")
    return "\n".join(lines[-2:])


def ends_with_reference(pattern: re.Pattern, preceding: str) -> bool:
    """`pattern.search(preceding)` for NOT_A_PHONE_BEFORE and _NOT_A_CARD_BEFORE, searched from the last digit on:
    they match words and separators up to the end, never a digit, so no match starts before it (a regular
    expression searched from a position sees the text before it, for its \\b): a few characters, not 40."""
    return pattern.search(preceding, after_last_digit(preceding)) is not None


def after_last_digit(text: str) -> int:
    """Where the text after its last ASCII digit starts (0 without one): ".*" runs to the end and gives back
    characters until a digit, so a digit near the end (the usual case) costs a few steps."""
    through = _THROUGH_LAST_DIGIT.match(text)
    return through.end() if through else 0


def is_money_or_quantity(context: Context, run: DigitRun) -> bool:
    """"$1,299", "1,500 seats", "20%": written thousands separators or a currency around the digits."""
    text = context.text
    if _MONEY_BEFORE.search(text[max(0, run.start - 3):run.start]) or _MONEY_AFTER.match(text[run.end:run.end + 10]):
        return True
    if "," not in text[run.start:run.end]:
        return False  # no thousands separator to look for
    written = [token for token in run.tokens if not token.spoken]
    return any(text[left.end:right.start] == "," and len(right.digits) == 3
               for left, right in zip(written, written[1:]))


def _greedy(run: DigitRun, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (first, last) token slices to take, longest in digits first, then by start, none overlapping
    one already taken: a mask of taken tokens keeps each test as short as the slice."""
    spans = list(spans)
    if len(spans) < 2:
        return spans  # none, or one to take (most runs): nothing to sort or to mask
    bounds = run.bounds
    taken, mask = [], bytearray(len(run.tokens))
    for first, last in sorted(spans, key=lambda span: (bounds[span[0]] - bounds[span[1]], span[0])):
        if mask.find(1, first, last) == -1:
            mask[first:last] = b"\x01" * (last - first)
            taken.append((first, last))
    return taken


def _card_spans(run: DigitRun) -> Iterable[tuple[int, int]]:
    """Token slices of 13-19 digits that pass Luhn and start in an issuer range.

    The run's digit values and doubled values are translated once, as bytes; each slice's Luhn sum is then two
    sums over every other byte of it, from its end (the last digit as it is, the one before doubled): C work,
    at most 19 bytes a slice."""
    digits, bounds = run.digits, run.bounds
    ascii_digits = digits.encode("ascii")  # the redaction reads ASCII digits (spoken.ascii_digits)
    values, doubled = ascii_digits.translate(_VALUES), ascii_digits.translate(_DOUBLED_VALUES)
    for first, last in run.spans(13, 19):
        start, end = bounds[first], bounds[last]
        if digits[start] not in "23456":
            continue  # no issuer range starts otherwise
        total = sum(values[end - 1:start - 1 if start else None:-2]) + \
            sum(doubled[end - 2:start - 1 if start else None:-2])
        if total % 10 == 0 and checks.card_prefix_plausible(digits[start:start + 4]):
            yield first, last


# --- detectors -------------------------------------------------------------------------

def inside_a_word(context: Context, run: DigitRun) -> bool:
    """Digits written against a letter ("c8638239-550a", a call id in hex) belong to an identifier, not to a
    card or a phone number: a number said or typed for a person stands apart from the words around it."""
    text = context.text
    return (run.start > 0 and text[run.start - 1].isalpha()) or (run.end < len(text) and text[run.end].isalpha())


def find_cards(context: Context) -> tuple[list[Finding], list[Doubt]]:
    findings, doubts = [], []
    for run in context.runs:
        if len(run.digits) < 13 or inside_a_word(context, run) or is_money_or_quantity(context, run) \
                or ends_with_reference(_NOT_A_CARD_BEFORE, before(context, run.start, 40)):
            continue
        taken = _greedy(run, _card_spans(run))
        findings += [Finding(CARD, run.tokens[first].start, run.tokens[last - 1].end) for first, last in taken]
        if not taken and len(run.digits) <= 19 and _CARD_CUE.search(before(context, run.start)):
            doubts.append(Doubt("digits after a card cue fail the Luhn check", DOUBT_CARD_CHECK_FAILED,
                                run.start, run.end))
    return findings, doubts


def find_ssns(context: Context) -> tuple[list[Finding], list[Doubt]]:
    """Nine digits written 3-2-4, or nine digits in any form after "social" / "SSN"."""
    findings, doubts = [], []
    for run in context.runs:
        if len(run.digits) < 9:
            continue  # no window of nine digits: nothing to find, no need to read the cue
        cued = None  # read the cue only for a run that has a window of nine digits (most have none)
        bounds = run.bounds
        for first, last in run.spans(9, 9):
            if cued is None:
                cued = bool(_SSN_CUE.search(before(context, run.start)))
            grouped = last - first == 3 and bounds[first + 1] - bounds[first] == 3 \
                and bounds[first + 2] - bounds[first + 1] == 2 and not run.sub(first, last).spoken
            if not (grouped or cued):
                continue
            window = run.sub(first, last)
            if checks.ssn_valid(window.digits):
                findings.append(Finding(SSN, window.start, window.end))
                break
            if cued:
                doubts.append(Doubt("nine digits after an SSN cue in a range never issued", DOUBT_SSN_INVALID,
                                    window.start, window.end))
                break
    return findings, doubts


def find_dates_of_birth(context: Context) -> tuple[list[Finding], list[Doubt]]:
    """The first date after a birth cue (within a question and its answer), or a date the cue follows on its line.

    Other dates, meetings and deadlines, are kept, even in the same sentence.
    """
    text = context.text
    if not _DOB_CUE.search(text):
        return [], []  # every finding and doubt hangs on a cue: no need to read the dates
    spans = [(mention.start, mention.end) for mention in find_dates(text)]
    spans += [(run.start, run.end) for run in context.runs
              if 6 <= len(run.digits) <= 8 and day_month_year_from_digits(run.digits)]
    spans = sorted(set(spans))
    starts = [start for start, _ in spans]
    longest = max((end - start for start, end in spans), default=0)
    restates = _restatements(text, spans, starts)
    other_cues = context.mentions(*_NON_BIRTH_WORDS)  # most texts have none: no date is bound elsewhere
    # Dates found, by index: a date many cues point at (as the answer to one, stated before the next) is one finding.
    found = bytearray(len(spans))
    emitted = bytearray(len(spans))  # spans already given as restated: a later cue need not walk them again
    doubts = []
    for cue in _DOB_CUE.finditer(text):
        cue_start, cue_end = cue.span()
        following = bisect_left(starts, cue_end)
        answer = following if following < len(spans) and _answers(text, cue_end, starts[following]) else None
        stated = _stated_index(text, spans, starts, cue_start, longest)
        if stated is not None and other_cues and _NON_BIRTH_CUE.search(text, max(0, starts[stated] - 40),
                                                                       starts[stated]):
            stated = None  # "issued 10/12/2021 and it expires on my birthday": the date answers "issued"
        if answer is not None:
            found[answer] = 1
            index = restates[answer]
            while index is not None and not emitted[index]:
                emitted[index] = found[index] = 1
                index = restates[index]
        if stated is not None:
            found[stated] = 1
        elif answer is None and _digits_follow(text, cue_end):
            doubts.append(Doubt("a birth cue with no readable date after it", DOUBT_DOB_CUE_WITHOUT_DATE,
                                cue_start, cue_end))
    return [Finding(DOB, *spans[index]) for index in _set_indexes(found)], doubts


def _set_indexes(flags: bytearray) -> Iterable[int]:
    """The indexes of the bytes set in `flags`, in order (found in C, one `find` each)."""
    index = flags.find(1)
    while index != -1:
        yield index
        index = flags.find(1, index + 1)


def _answers(text: str, cue_end: int, date_start: int) -> bool:
    """The date follows the cue closely: within the window, at most one line break (a question, then its answer)."""
    between = text[cue_end:date_start]
    return 0 <= date_start - cue_end <= 2 * CUE_WINDOW and between.count("\n") <= 1


def _restatements(text: str, spans: list[tuple[int, int]], starts: list[int]) -> list[int | None]:
    """For each date, the one that repeats it, if any ("12/04/72... I mean the fourth of December"): the
    next date after it, close, on the same line, with no word between that starts talking about another date.
    Computed once for all dates, so a chain of them is walked once however many cues point into it."""
    restates: list[int | None] = []
    for _, end in spans:
        index = bisect_left(starts, end)
        if index < len(spans):
            between = text[end:starts[index]]
            if len(between) <= CUE_WINDOW and "\n" not in between and not _OTHER_DATE_CUE.search(between):
                restates.append(index)
                continue
        restates.append(None)
    return restates


def _stated_index(text: str, spans: list[tuple[int, int]], starts: list[int], cue_start: int,
                  longest: int) -> int | None:
    """"03/03/1985, that's my date of birth": the last date (by start) that ends shortly before the cue, on
    the same line. Only dates starting within `longest` + 40 characters before the cue can."""
    index = bisect_right(starts, cue_start) - 1
    while index >= 0 and starts[index] >= cue_start - 40 - longest:
        end = spans[index][1]
        if 0 <= cue_start - end <= 40 and "\n" not in text[end:cue_start]:
            return index
        index -= 1
    return None


def _digits_follow(text: str, position: int) -> bool:
    """Whether something number-like follows the cue on its line or the next (the answer)."""
    following = "\n".join(text[position:position + 2 * CUE_WINDOW].split("\n")[:2])
    return bool(re.search(r"\d", following))


def resolve(findings: Iterable[Finding]) -> list[Finding]:
    """Non-overlapping findings: the more specific kind first, then the longer span."""
    findings = sorted(findings, key=lambda f: (PRIORITY[f.kind], -(f.end - f.start), f.start))
    chosen: list[Finding] = []
    mask = bytearray(max((finding.end for finding in findings), default=0))  # characters already replaced
    for finding in findings:
        if mask.find(1, finding.start, finding.end) == -1:
            mask[finding.start:finding.end] = b"\x01" * (finding.end - finding.start)
            chosen.append(finding)
    return sorted(chosen, key=lambda f: f.start)
