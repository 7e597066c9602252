"""Bank and government identifiers: IBANs (their check digits give them away), and those that only
their context gives away: card security codes, bank routing and account numbers, passport and driver's
licence numbers, and the last four digits of an SSN.

"123" is a quantity and "1234567890" may be an order, so each kind is found only beside its cue: before
the digits ("the code on the back is", "routing number", "passport number"), in the text just before
them (the question and its answer, privacy/detectors.py `before`), with no other number in between; or
right after them, linked by a few words ("4 4 7 is the code on the back", "F2559870, that's my
license"), none of which makes it another number ("94107, that's the zip on my license"). Written
forms ("C03005988", "D1234-56789") and spoken ones ("oh two one, oh oh oh, oh two one") both count,
and a passport's or a licence's letters may be spelled around its digits ("A as in apple, four six
...", privacy/spelled.py). After a card number, "the code" and "the back" are its security code. A
routing number must pass the ABA checksum, whatever its cue; a spelled IBAN its mod-97 check.
"""

from __future__ import annotations

import re

from privacy import checks
from privacy.detectors import (BANK, CVV, DOUBT_IBAN_CHECK_FAILED, IBAN, LICENSE, PASSPORT, SSN, Context, Doubt,
                               Finding, after_last_digit, before)
from privacy.spelled import compact, spelled_after, spelled_before, spelled_from
from privacy.spoken import DigitRun

_NUMBER_WORD = r"(?:\W+(?:number|no|num|#|id|code|is|was|it's|its|are|reads|of|on|it|the))*"
_CVV_CUE = re.compile(
    r"\b(?:cvv2?|cvc2?|cvn|cid|csc|security\s+code|(?<!social\s)security\s+number|card\s+code|"
    r"verification\s+(?:code|number|value)|"
    r"(?:three|four|3|4)[\s-]digit\s+(?:security\s+)?(?:code|number)|code\s+on\s+the\s+back|"
    r"back\s+of\s+(?:the|my|your)\s+card|on\s+the\s+back)" + _NUMBER_WORD +
    r"(?:\W+(?:three|four|3|4)\s+digits?\b)?\W*", re.I)  # "the CID is 4 digits: 1234": a count, then the code
# Said just after a card number, "the code" and "the back" are its security code: "..., and the back is 314".
_CARD_CODE_CUE = re.compile(r"\b(?:(?<!area\s)(?<!zip\s)(?<!promo\s)(?<!post\s)(?<!postal\s)(?<!access\s)"
                            r"(?<!pin\s)(?<!door\s)code|back|the\s+(?:three|four|3|4)\s+(?:digits|numbers))"
                            + _NUMBER_WORD + r"\W*", re.I)
_CARD_CONTEXT = re.compile(r"\b(?:card|credit|debit|visa|master\s?card|amex|american express|discover)\b|\d{4}"
                           r"(?:[\s-]\d{4}){3}", re.I)
_ROUTING_CUE = re.compile(r"\b(?:routing|aba|rtn|transit)" + _NUMBER_WORD + r"\W*", re.I)
_ACCOUNT_CUE = re.compile(r"\b(?:account|acct|a/c)" + _NUMBER_WORD + r"\W*", re.I)
# An account number is a bank's only when banking is being talked about: "my account number" alone
# is as likely the customer's number with us.
_BANKING = re.compile(r"\b(?:bank|banking|checking|chequing|savings|routing|aba|deposit|ach|wire|debit|"
                      r"credit\s+union|direct\s+debit|payroll)\b", re.I)
_PASSPORT_CUE = re.compile(r"\bpassport(?:\s+(?:book|card))?" + _NUMBER_WORD + r"\W*", re.I)
_STATES = ("alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|idaho|"
           "illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|"
           "mississippi|missouri|montana|nebraska|nevada|new\\s+hampshire|new\\s+jersey|new\\s+mexico|new\\s+york|"
           "north\\s+carolina|north\\s+dakota|ohio|oklahoma|oregon|pennsylvania|rhode\\s+island|south\\s+carolina|"
           "south\\s+dakota|tennessee|texas|utah|vermont|virginia|washington|west\\s+virginia|wisconsin|wyoming|state")
# A driving licence: "driver's license", "DL number", a state's licence or DL ("Illinois DL", "California
# license"), or "my license" / "the license" (not a plate, not the software's: "the software license").
_LICENSE_CUE = re.compile(r"(?:\b(?:driver'?s?|driving)\s+licen[cs]e|\b(?:dl|licen[cs]e)\s+(?:number|no|num|#)|"
                          rf"\b(?:{_STATES})\s+(?:dl|licen[cs]e)\b)" + _NUMBER_WORD + r"\W*", re.I)
# "the license is 4 0 1 2 ...": a weaker cue, so the value must follow it at once (a filler aside), not a few
# words on ("the license covers 250000 users").
_MY_LICENSE_CUE = re.compile(r"\b(?:my|the|your|his|her)\s+licen[cs]e\b(?!\s+plate)" + _NUMBER_WORD +
                             r"\W*(?:(?:um|uh|er)\W+)?", re.I)
_WEAK_SLACK = 0
_PARTIAL_SSN_CUE = re.compile(
    r"\b(?:last\s+(?:four|4)(?:\s+digits)?\s+(?:of\s+)?(?:my\s+|your\s+|the\s+|his\s+|her\s+)?"
    r"(?:social|ssn|ss\s*#)(?:\s+security)?(?:\s+number)?|(?:social|ssn)(?:\s+security)?(?:\s+number)?\s+"
    r"(?:ending|ends)\s+(?:in|with)|(?:social|ssn)\b[^.\n\d]{0,24}\blast\s+(?:four|4))" + _NUMBER_WORD + r"\W*",
    re.I)
# A written identifier after its cue: letters and digits, maybe dashes, at least one digit.
_WRITTEN_ID = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z]{0,6}\d)[A-Za-z0-9][A-Za-z0-9-]{3,16}[A-Za-z0-9](?![A-Za-z0-9])")

_DIGIT = re.compile(r"\d")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b", re.I)

CUE_WINDOW = 60


def _cue_right_before(preceding: str, cue: re.Pattern, after_digits: int = 0, slack: int = 24) -> bool:
    """Whether the last `cue` in `preceding` (the text before a run) leads up to it with no other number between.

    `after_digits`, where the last digit of `preceding` is passed, for cues that hold no digit: only a cue after
    it counts, and the search starts there (it sees the text before it, for its \\b), not 60 characters back."""
    last = None
    for last in cue.finditer(preceding, after_digits):
        pass
    return last is not None and len(preceding) - last.end() <= slack and not _DIGIT.search(preceding, last.end())


def aba_valid(digits: str) -> bool:
    """A US routing number: nine digits, a Federal Reserve prefix, and the ABA checksum (weights 3 7 1)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    prefix = int(digits[:2])
    if not (prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80):
        return False
    weights = (3, 7, 1) * 3
    return sum(int(digit) * weight for digit, weight in zip(digits, weights)) % 10 == 0


def _run_kind(context: Context, run: DigitRun, preceding: str, tail: _Tail) -> str | None:
    """The kind whose cue leads up to the run (CVV, a partial SSN, BANK); passports and licences, whose letters
    may be spelled around the run, are `_document`'s. `preceding` is the text before the run."""
    digits = len(run.digits)
    if 3 <= digits <= 4 and (_cue_right_before(preceding, _CVV_CUE) or (
            _cue_right_before(preceding, _CARD_CODE_CUE) and _card_context(context, run.start))):
        return CVV
    if digits == 4 and _cue_right_before(before(context, run.start, 90), _PARTIAL_SSN_CUE):
        return SSN
    if digits == 9 and aba_valid(run.digits) and tail.cued(_ROUTING_CUE, _ROUTING_WORDS):
        return BANK
    if 4 <= digits <= 17 and tail.cued(_ACCOUNT_CUE, _ACCOUNT_WORDS) \
            and _BANKING.search(context.text, max(0, run.start - 160), run.start):
        return BANK
    return None


def _card_context(context: Context, start: int) -> bool:
    """A card was named or read shortly before: "the back", "the code" then mean its security code."""
    return _CARD_CONTEXT.search(context.text, max(0, start - 200), start) is not None


# The value, then what it is: "4 4 7 is the code on the back", "F2559870, that's my license", "A B C D 4 5 6 D G,
# the Washington license". Only a few words between, none that makes it another number ("the zip on my license").
_CUE_AFTER = re.compile(
    r"(?:\s*,\s*(?:(?:that's|that\s+is|which\s+is|it's|this\s+is)\s+)?|\s+(?:is|was|are)\s+)"
    r"(?P<words>(?:[a-z']+\s+){0,5}?)(?P<cue>cvv2?|cvc2?|cid|csc|security\s+code|code\s+on\s+the\s+back|code|back|"
    r"routing|aba|transit|passport|licen[cs]e|dl)\b(?!\s+plate)", re.I)
# A cue that its own value follows ("expiry oh nine twenty-seven, CVC 321") names that one, not the one before.
_LEADS_TO_VALUE = re.compile(_NUMBER_WORD + r"[\s:#,-]*(?:\d|(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|"
                             r"double|triple)\b)", re.I)
_AFTER_WORDS = ("cvv", "cvc", "cid", "csc", "code", "back", "routing", "aba", "transit", "passport", "licen", "dl")
_CUE_AFTER_WORD = re.compile("|".join(_AFTER_WORDS), re.I)
_NOT_BETWEEN = re.compile(r"\b(?:zip|postal|post|area|promo|order|phone|expir\w*|date|issued?|plate|class|address|"
                          r"pin|extension|customer|member|policy|case|ticket|claim|not|door|access)\b", re.I)
_AFTER_KIND = {"cvv": CVV, "cvc": CVV, "cvv2": CVV, "cvc2": CVV, "cid": CVV, "csc": CVV, "code": CVV, "back": CVV,
               "routing": BANK, "aba": BANK, "transit": BANK, "passport": PASSPORT, "license": LICENSE,
               "licence": LICENSE, "dl": LICENSE}


def _cued_after(context: Context, end: int) -> tuple[str, str] | None:
    """(the kind, its cue word) when a cue follows the value ending at `end`."""
    match = _CUE_AFTER.match(context.text, end)
    if match is None or _NOT_BETWEEN.search(match.group("words")) or _LEADS_TO_VALUE.match(context.text, match.end()):
        return None
    cue = re.sub(r"\s+", " ", match.group("cue").lower())
    return _AFTER_KIND.get(cue, CVV), cue


def _after_kind(context: Context, run: DigitRun) -> str | None:
    cued = _cued_after(context, run.end)
    if cued is None:
        return None
    kind, cue = cued
    digits = run.digits
    if kind == CVV and 3 <= len(digits) <= 4:
        return CVV if cue not in ("code", "back") or _card_context(context, run.start) else None
    if kind == BANK and len(digits) == 9 and aba_valid(digits):
        return BANK
    return None


# Lengths of passports and licences, letters and digits together (a US passport has 9, Washington's licence 12).
_DOCUMENT_LENGTHS = {PASSPORT: (6, 10), LICENSE: (5, 16)}


def _document(context: Context, run: DigitRun, tail: _Tail, after: bool) -> Finding | None:
    """A passport or licence number around the run, its cue before or after it (`after`: a cue's word follows),
    with the letters spelled or written beside its digits: "C, oh three ...", "A as in apple, four six ...",
    "W D L, uh, A B C D 4 5 6 D G"."""
    text = context.text
    start, end, length = _spelled_edges(text, run)
    for kind, cue, words in ((PASSPORT, _PASSPORT_CUE, _PASSPORT_WORDS), (LICENSE, _LICENSE_CUE, _LICENSE_WORDS)):
        low, high = _DOCUMENT_LENGTHS[kind]
        if not low <= length <= high or (length == len(run.digits) and kind == LICENSE and length > 13):
            continue
        if tail.has(words) and _cued_before(before(context, start, CUE_WINDOW), kind, cue):
            return Finding(kind, start, end)
        if after and (_cued_after(context, end) or (None, ""))[0] == kind:
            return Finding(kind, start, end)
    return None


def _cued_before(preceding: str, kind: str, cue: re.Pattern) -> bool:
    return _cue_right_before(preceding, cue) or (
        kind == LICENSE and _cue_right_before(preceding, _MY_LICENSE_CUE, slack=_WEAK_SLACK))


def _spelled_edges(text: str, run: DigitRun) -> tuple[int, int, int]:
    """(start, end, letters and digits) of the identifier the run is part of: letters written against it
    ("F2559870") or spelled on either side, and other spelled pieces with them."""
    start, end, extra = run.start, run.end, 0
    attached = _ATTACHED_LETTERS.search(text, max(0, start - 4), start)
    if attached:
        start, extra = attached.start(), len(attached.group())
    else:
        pieces = spelled_before(text, start)
        if any(piece.chars.isalpha() for piece in pieces):
            start, extra = pieces[0].start, len(compact(pieces))
    if end < len(text) and text[end].isalpha():
        return start, end, 0  # digits inside a word: no identifier we know
    pieces = spelled_after(text, end)
    if any(piece.chars.isalpha() for piece in pieces):
        end, extra = pieces[-1].end, extra + len(compact(pieces))
    return start, end, len(run.digits) + extra


_ATTACHED_LETTERS = re.compile(r"(?<![A-Za-z0-9'])[A-Za-z]{1,3}\Z")


# Words every match of a cue holds, for `_Tail.cued`.
_ROUTING_WORDS, _ACCOUNT_WORDS = ("routing", "aba", "rtn", "transit"), ("acc", "a/c")
_PASSPORT_WORDS, _LICENSE_WORDS = ("passport",), ("licen", "dl")
_ANY_WORD = re.compile("|".join(map(re.escape, _ROUTING_WORDS + _ACCOUNT_WORDS + _PASSPORT_WORDS + _LICENSE_WORDS)))


class _Tail:
    """The text before a run, for the cues that hold no digit: only a cue after the last digit can lead up to the
    run, and it must hold one of its words. Most runs fail that test of a few `in` ("call 212 555 0123" has no
    "acc" or "passport" before it), and their cues are never searched. Words are looked up in lower case in ASCII
    text only, where re.I means ASCII case and nothing else; in other text every cue is searched."""

    def __init__(self, preceding: str):
        self.preceding = preceding
        self.after_digits = after_last_digit(preceding)
        tail = preceding[self.after_digits:]
        self.lower = tail.lower() if tail.isascii() else None
        self.none = self.lower is not None and not _ANY_WORD.search(self.lower)  # no cue's word: one search

    def has(self, words: tuple[str, ...]) -> bool:
        """Whether one of the cue's words may be in the tail (always, in text that is not ASCII)."""
        return not self.none and (self.lower is None or any(word in self.lower for word in words))

    def cued(self, cue: re.Pattern, words: tuple[str, ...]) -> bool:
        return self.has(words) and _cue_right_before(self.preceding, cue, self.after_digits)


def find_identifiers(context: Context) -> tuple[list[Finding], list[Doubt]]:
    """Cued identifiers: digit runs (written or spoken, letters spelled beside them) and written letter-and-digit
    ids, with their cue before or after them."""
    findings = []
    cues_after = context.mentions(*_AFTER_WORDS)  # most texts have none: no run need look after itself
    for run in context.runs:
        if not 3 <= len(run.digits) <= 17:
            continue  # no kind found here has that many digits
        preceding = before(context, run.start, CUE_WINDOW)  # read once for every cue
        tail = _Tail(preceding)
        after = cues_after and _CUE_AFTER_WORD.search(context.text, run.end, run.end + CUE_WINDOW) is not None
        kind = _run_kind(context, run, preceding, tail) or (_after_kind(context, run) if after else None)
        if kind is not None:
            findings.append(Finding(kind, run.start, run.end))
        elif not tail.none or after:  # a passport's or a licence's cue may be near
            document = _document(context, run, tail, after)
            if document is not None:
                findings.append(document)
    findings += _written_ids(context)
    return findings, []


def _written_ids(context: Context) -> list[Finding]:
    """Letter-and-digit passports and licences ("C03005988", "D1234-5678-9012") right after their cue."""
    findings = []
    for cue, kind, lengths in ((_PASSPORT_CUE, PASSPORT, (6, 10)), (_LICENSE_CUE, LICENSE, (5, 16)),
                               (_MY_LICENSE_CUE, LICENSE, (5, 16))):
        if not context.mentions(*(_PASSPORT_WORDS if kind == PASSPORT else _LICENSE_WORDS)):
            continue  # no cue's word in the text: the cue is not searched
        for match in cue.finditer(context.text):
            written = _WRITTEN_ID.match(context.text, match.end())
            if written is None or not re.search(r"[A-Za-z]", written.group()):
                continue  # digits only: a digit run, found above
            compact = written.group().replace("-", "")
            if lengths[0] <= len(compact) <= lengths[1]:
                findings.append(Finding(kind, *written.span()))
    return findings


_IBAN_CUE = re.compile(r"\b(?:iban|international\s+bank\s+account\s+number)" + _NUMBER_WORD + r"\W*", re.I)


def _spelled_ibans(context: Context) -> list[Finding]:
    """An IBAN read out piece by piece after its cue: "G B two nine, N W B K, six oh one six, ...". Its country
    length and mod-97 check decide, as for a written one; it ends with the piece that completes it."""
    findings, text = [], context.text
    if not context.mentions("iban", "international bank"):
        return findings
    for cue in _IBAN_CUE.finditer(text):
        pieces, chars = spelled_from(text, cue.end()), ""
        for index, piece in enumerate(pieces):
            chars += piece.chars
            length = checks.IBAN_LENGTHS.get(chars[:2])
            if length is None and len(chars) >= 2:
                break
            if length is not None and len(chars) >= length:
                if len(chars) == length and checks.iban_valid(chars):
                    findings.append(Finding(IBAN, pieces[0].start, pieces[index].end))
                break
    return findings


def find_ibans(context: Context) -> tuple[list[Finding], list[Doubt]]:
    findings, doubts = _spelled_ibans(context), []
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
