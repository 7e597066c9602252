"""One detector per kind of personal data; each returns what it found and what made it doubt.

A `Finding` is a span to replace; a `Doubt` is a near miss the redaction's confidence
accounts for (privacy/redaction.py explains the formula). Detectors look at the text,
its digit runs (privacy/spoken.py) and the words just before a run: "order 8 8 1 2 3 4"
and "$1,299" are not personal data, "my card number is ..." makes a near miss a doubt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

from calls.phones import to_e164
from privacy import checks
from privacy.dates import day_month_year_from_digits, find_dates
from privacy.spoken import DigitRun

CARD, SSN, EMAIL, PHONE, IBAN, DOB = "CARD", "SSN", "EMAIL", "PHONE", "IBAN", "DOB"
KINDS = (CARD, SSN, EMAIL, PHONE, IBAN, DOB)
# When two findings overlap, the more specific one wins: an IBAN holds digit runs, an email address may too.
PRIORITY = {IBAN: 0, EMAIL: 1, CARD: 2, SSN: 3, DOB: 4, PHONE: 5}

# How much each kind of near miss lowers the confidence (see privacy/redaction.py).
DOUBT_CARD_CHECK_FAILED = 0.3  # 13-19 digits after "card", failing Luhn: a misheard digit leaks the rest
DOUBT_SSN_INVALID = 0.2  # nine digits after "social", in a range the SSA never issues
DOUBT_IBAN_CHECK_FAILED = 0.2  # country code, check digits and the right length, failing mod 97
DOUBT_UNEXPLAINED_SPOKEN_DIGITS = 0.15  # seven or more spoken digits that are none of the kinds
DOUBT_DOB_CUE_WITHOUT_DATE = 0.1  # "date of birth" with no date we could read after it

CUE_WINDOW = 60  # characters before a run in which a cue ("card", "social") counts
_CARD_CUE = re.compile(r"\b(card|credit|debit|visa|master\s?card|amex|american express|discover)\b", re.I)
_SSN_CUE = re.compile(r"\b(social|ssn|s\.s\.n\.?)\b", re.I)
_PHONE_CUE = re.compile(r"\b(phone|number|call|reach|cell|mobile|text|dial|line|fax)\b", re.I)
_DOB_CUE = re.compile(r"\b(born|birth\s?date|birthday|date of birth|d[.-]?o[.-]?b)\b", re.I)
# Words that move a sentence on to another date: "born on ... and the meeting is on ...".
_OTHER_DATE_CUE = re.compile(r"\b(and|meet|meeting|call|demo|launch|deadline|start|renew|renewal|appointment|due|"
                             r"contract|ends?|until|by|next|then|but|visit|deliver|ship)\b", re.I)
_REFERENCE = (r"order|ticket|invoice|confirmation|reference|ref|tracking|case|claim|policy|po|sku|model|serial|"
              r"part|item|booking|reservation|flight|receipt|shipment|parcel|package|quote|contract")
# A reference just before the digits: "order 88 1234", "ticket #55512", "tracking number is 1Z...".
_NOT_A_CARD_BEFORE = re.compile(rf"\b({_REFERENCE})\b(\W+(number|no|num|id|code|is|was|it's|its))*\W*$", re.I)
NOT_A_PHONE_BEFORE = re.compile(
    rf"\b({_REFERENCE}|account|acct|customer|member|membership|zip|postal|postcode|pin|id|extension|ext|"
    r"room|suite|unit|seat|serial)\b(\W+(number|no|num|id|code|is|was|it's|its))*\W*$", re.I)
_MONEY_BEFORE = re.compile(r"[$€£¥]\s*$")
_MONEY_AFTER = re.compile(r"^\s*(%|percent|dollars|bucks|euros|pounds|usd|k\b|grand|cents)", re.I)

_EMAIL_WRITTEN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_TLDS = r"com|net|org|io|co|us|uk|ca|edu|gov|biz|info|ai|me|de|fr|es|it|nl|au|dev|app|ie|in"
_SPOKEN_SEPARATOR = r"(?:\s+(?:dot|period|underscore|dash|hyphen)\s+|[._-])"
_LABEL = r"[a-z0-9]+(?:(?:\s+(?:dash|hyphen)\s+|-)[a-z0-9]+)*"  # a domain label: "lagos hyphen freight"
_EMAIL_SPOKEN = re.compile(
    rf"\b[a-z0-9]+(?:{_SPOKEN_SEPARATOR}[a-z0-9]+)*(?:\s+at\s+|\s*@\s*)"
    rf"{_LABEL}(?:(?:\s+dot\s+|\.){_LABEL})*(?:\s+dot\s+|\.)(?:{_TLDS})\b", re.I)
_SPOKEN_MARKS = {"at": "@", "dot": ".", "period": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b", re.I)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Doubt:
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


# --- helpers ---------------------------------------------------------------------------

def before(context: Context, start: int, window: int = CUE_WINDOW) -> str:
    """The text just before `start`, stopping at the line before the previous one (a question and its answer)."""
    preceding = context.text[max(0, start - window):start]
    lines = preceding.split("\n")
    return "\n".join(lines[-2:])


def is_money_or_quantity(context: Context, run: DigitRun) -> bool:
    """"$1,299", "1,500 seats", "20%": written thousands separators or a currency around the digits."""
    text = context.text
    if _MONEY_BEFORE.search(text[max(0, run.start - 3):run.start]) or _MONEY_AFTER.match(text[run.end:run.end + 10]):
        return True
    written = [token for token in run.tokens if not token.spoken]
    return any(text[left.end:right.start] == "," and len(right.digits) == 3
               for left, right in zip(written, written[1:]))


def _with_opening_mark(context: Context, start: int) -> int:
    """Include a "+" or "(" written right before the digits, so "(415) 555-0123" goes whole."""
    return start - 1 if start > 0 and context.text[start - 1] in "+(" else start


def _natural_breaks(context: Context, run: DigitRun) -> set[int]:
    """Token indexes a run may be split before: where a sentence or a line ends between two tokens."""
    return {index for index in range(1, len(run.tokens))
            if re.search(r"[.?!\n]", context.text[run.tokens[index - 1].end:run.tokens[index].start])}


# --- detectors -------------------------------------------------------------------------

def find_cards(context: Context) -> tuple[list[Finding], list[Doubt]]:
    findings, doubts = [], []
    for run in context.runs:
        if len(run.digits) < 13 or is_money_or_quantity(context, run) or _NOT_A_CARD_BEFORE.search(
                before(context, run.start, 40)):
            continue
        taken: list[DigitRun] = []
        for window in run.windows(13, 19):
            if any(window.start < other.end and other.start < window.end for other in taken):
                continue
            if checks.is_card_number(window.digits):
                taken.append(window)
                findings.append(Finding(CARD, window.start, window.end))
        if not taken and len(run.digits) <= 19 and _CARD_CUE.search(before(context, run.start)):
            doubts.append(Doubt("digits after a card cue fail the Luhn check", DOUBT_CARD_CHECK_FAILED,
                                run.start, run.end))
    return findings, doubts


def find_ssns(context: Context) -> tuple[list[Finding], list[Doubt]]:
    """Nine digits written 3-2-4, or nine digits in any form after "social" / "SSN"."""
    findings, doubts = [], []
    for run in context.runs:
        cued = bool(_SSN_CUE.search(before(context, run.start)))
        for window in run.windows(9, 9):
            grouped = [len(token.digits) for token in window.tokens] == [3, 2, 4] and not window.spoken
            if not (grouped or cued):
                continue
            if checks.ssn_valid(window.digits):
                findings.append(Finding(SSN, window.start, window.end))
                break
            if cued:
                doubts.append(Doubt("nine digits after an SSN cue in a range never issued", DOUBT_SSN_INVALID,
                                    window.start, window.end))
                break
    return findings, doubts


def find_phones(context: Context) -> tuple[list[Finding], list[Doubt]]:
    """Phone numbers that are not the caller's or the company's own (`keep_phones`)."""
    findings = []
    for run in context.runs:
        if len(run.digits) < 7 or is_money_or_quantity(context, run) or NOT_A_PHONE_BEFORE.search(
                before(context, run.start, 40)):
            continue
        longest = 15 if run.plus else 11
        breaks = _natural_breaks(context, run) if len(run.digits) > longest else set()
        taken: list[DigitRun] = []
        for window in run.windows(7, longest):
            if any(window.start < other.end and other.start < window.end for other in taken):
                continue
            if len(run.digits) > longest and not _on_breaks(run, window, breaks):
                continue
            number = _phone_number(context, window, whole_run=window.tokens == run.tokens)
            if number is None:
                continue
            taken.append(window)
            if number not in context.keep_phones:
                findings.append(Finding(PHONE, _with_opening_mark(context, window.start), window.end))
    return findings, []


def spells_kept_phone(context: Context, run: DigitRun) -> bool:
    """Whether the run is the caller's or the company's own number, in full or its last seven digits."""
    digits = run.digits
    if len(digits) == 7:
        return any(phone.endswith(digits) for phone in context.keep_phones)
    return to_e164("+" + digits if run.plus else digits, context.region) in context.keep_phones


def _on_breaks(run: DigitRun, window: DigitRun, breaks: set[int]) -> bool:
    first = run.tokens.index(window.tokens[0])
    last = first + len(window.tokens)
    return (first == 0 or first in breaks) and (last == len(run.tokens) or last in breaks)


def _phone_number(context: Context, window: DigitRun, *, whole_run: bool) -> str | None:
    """The E.164 number the window spells, "local:<7 digits>" for a cued local number, or None."""
    digits = window.digits
    if len(digits) == 7:
        return _local_number(context, window, whole_run=whole_run)
    raw = "+" + digits if window.plus else digits
    e164 = to_e164(raw, context.region)
    if not e164:
        return None
    if not phonenumbers.is_valid_number(phonenumbers.parse(e164, None)):
        return None
    if not window.plus and len(digits) > 10 and not (digits.startswith("1") and len(digits) == 11):
        return None  # national numbers longer than ten digits need their "+"
    return e164


def _local_number(context: Context, window: DigitRun, *, whole_run: bool) -> str | None:
    """"555-0123" or "five five five oh one two three" after "number"/"call": a local number."""
    grouped = [len(token.digits) for token in window.tokens] == [3, 4]
    if not whole_run or not (grouped or window.spoken) or not _PHONE_CUE.search(before(context, window.start)):
        return None
    kept = next((phone for phone in context.keep_phones if phone.endswith(window.digits)), None)
    return kept or f"local:{window.digits}"


def find_emails(context: Context) -> tuple[list[Finding], list[Doubt]]:
    """Written and spoken addresses, except the caller's own (`keep_emails`)."""
    matches = [match for pattern in (_EMAIL_WRITTEN, _EMAIL_SPOKEN) for match in pattern.finditer(context.text)]
    return [Finding(EMAIL, *match.span()) for match in matches
            if email_address(match.group()) not in context.keep_emails], []


def email_address(spoken: str) -> str:
    """"Jane dot Doe at example dot com" as an address: jane.doe@example.com."""
    address = spoken.lower()
    for word, mark in _SPOKEN_MARKS.items():
        address = re.sub(rf"\s+{word}\s+", mark, address)
    return re.sub(r"\s+", "", address)


def find_ibans(context: Context) -> tuple[list[Finding], list[Doubt]]:
    findings, doubts = [], []
    for match in _IBAN.finditer(context.text):
        candidate = match.group()
        compact = candidate.replace(" ", "").upper()
        length = checks.IBAN_LENGTHS.get(compact[:2])
        if length is None or len(compact) < length:
            continue
        end = _end_of_compact(candidate, length) + match.start()
        if checks.iban_valid(compact[:length]):
            findings.append(Finding(IBAN, match.start(), end))
        else:
            doubts.append(Doubt("an IBAN-shaped number fails the mod-97 check", DOUBT_IBAN_CHECK_FAILED,
                                match.start(), end))
    return findings, doubts


def _end_of_compact(candidate: str, length: int) -> int:
    """Where the first `length` non-space characters of `candidate` end."""
    seen = 0
    for index, char in enumerate(candidate):
        seen += char != " "
        if seen == length:
            return index + 1
    return len(candidate)


def find_dates_of_birth(context: Context) -> tuple[list[Finding], list[Doubt]]:
    """The first date after a birth cue (within a question and its answer), or a date the cue follows on its line.

    Other dates, meetings and deadlines, are kept, even in the same sentence.
    """
    text = context.text
    spans = [(mention.start, mention.end) for mention in find_dates(text)]
    spans += [(window.start, window.end) for run in context.runs for window in run.windows(6, 8)
              if window.tokens == run.tokens and day_month_year_from_digits(window.digits)]
    spans.sort()
    findings, doubts = [], []
    for cue in _DOB_CUE.finditer(text):
        answer = next((span for span in spans if _answers(text, cue.end(), span[0])), None)
        stated = next((span for span in reversed(spans) if _stated_before(text, span[1], cue.start())), None)
        for start, end in filter(None, (answer, stated)):
            findings.append(Finding(DOB, start, end))
        if answer is not None:
            findings += [Finding(DOB, start, end) for start, end in _restated(text, answer, spans)]
        if answer is None and stated is None and _digits_follow(text, cue.end()):
            doubts.append(Doubt("a birth cue with no readable date after it", DOUBT_DOB_CUE_WITHOUT_DATE,
                                cue.start(), cue.end()))
    return list(dict.fromkeys(findings)), doubts


def _answers(text: str, cue_end: int, date_start: int) -> bool:
    """The date follows the cue closely: within the window, at most one line break (a question, then its answer)."""
    between = text[cue_end:date_start]
    return 0 <= date_start - cue_end <= 2 * CUE_WINDOW and between.count("\n") <= 1


def _restated(text: str, answer: tuple[int, int], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Dates that repeat the answer ("12/04/72... I mean the fourth of December"): each one close to the
    previous, on the same line, with no word between them that starts talking about another date."""
    restated, previous_end = [], answer[1]
    for start, end in spans:
        if start < previous_end:
            continue
        between = text[previous_end:start]
        if start - previous_end > CUE_WINDOW or "\n" in between or _OTHER_DATE_CUE.search(between):
            break
        restated.append((start, end))
        previous_end = end
    return restated


def _stated_before(text: str, date_end: int, cue_start: int) -> bool:
    """"03/03/1985, that's my date of birth": the cue comes shortly after the date, on the same line."""
    between = text[date_end:cue_start]
    return 0 <= cue_start - date_end <= 40 and "\n" not in between


def _digits_follow(text: str, position: int) -> bool:
    """Whether something number-like follows the cue on its line or the next (the answer)."""
    following = "\n".join(text[position:position + 2 * CUE_WINDOW].split("\n")[:2])
    return bool(re.search(r"\d", following))


DETECTORS = (find_ibans, find_emails, find_cards, find_ssns, find_dates_of_birth, find_phones)


def resolve(findings: Iterable[Finding]) -> list[Finding]:
    """Non-overlapping findings: the more specific kind first, then the longer span."""
    chosen: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (PRIORITY[f.kind], -(f.end - f.start), f.start)):
        if not any(finding.start < other.end and other.start < finding.end for other in chosen):
            chosen.append(finding)
    return sorted(chosen, key=lambda f: f.start)
