"""Digits as people write and say them, with every digit's place in the original text.

A transcript holds "4111 1111 1111 1111", "four one one one, one one one one", "double
four" and "oh" for zero, often broken by "um". `digit_runs` turns each stretch of digits,
written or spoken, into a `DigitRun`: its pieces (`DigitToken`s) keep their character
offsets, so a detector that finds a card in the digits can replace exactly the words
that spoke it, and nothing around them.

A run continues across separators only: spaces, commas, dashes, dots, brackets, a plus
sign and filler words. Any other word ends it ("and", "dollars", "order").

Linear in the length of the text: one regular expression finds the stretches ("islands")
made only of digits, number words, fillers and separators, so ordinary words cost nothing
in Python; inside an island each word is looked at once, and separators not at all (the
gap between two words is read as text).

`read_digits` is what the redaction uses: the same runs, except that a run of more than
`LONG_RUN` digits is given as its span only. No identifier is that long (a card has at
most 19 digits, an IBAN 34, a phone number 15), so such a run is redacted whole and its
digits are never split into windows; an island of written digits only, or of spoken ones
with nothing in it that can end a run, is measured with regular expressions and never read
word by word.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

UNITS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
         "six": "6", "seven": "7", "eight": "8", "nine": "9"}
TEENS = {"ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
         "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19"}
TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7", "eighty": "8",
        "ninety": "9"}
REPEATS = {"double": 2, "triple": 3, "treble": 3}  # "treble one": how UK callers say 111
FILLERS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "mm", "uhm"})
# "oh" and "o" are zero only beside other digits: "Oh, it's ..." is not a zero.
AMBIGUOUS_ZERO = frozenset({"oh", "o"})
SEPARATOR_MARKS = frozenset(",-.()+–")

_SEPARATOR_CLASS = r"\s,\-.()+–"
_WORD_END = r"(?![A-Za-z]|'[A-Za-z])"  # a whole word, as the tokenizer reads words ("one's" is not "one")
_WORD_START = r"(?<![A-Za-z])(?<![A-Za-z]')"
_NUMBER_WORDS = "|".join(sorted({*UNITS, *TEENS, *TENS, *REPEATS, "hundred"}, key=len, reverse=True))
_FILLER_WORDS = "|".join(sorted(FILLERS, key=len, reverse=True))
_NUMBER = rf"(?:\d+|{_WORD_START}(?:{_NUMBER_WORDS}){_WORD_END})"
_BETWEEN = rf"[{_SEPARATOR_CLASS}]*(?:{_WORD_START}(?:{_FILLER_WORDS}){_WORD_END}[{_SEPARATOR_CLASS}]*)*"
# A stretch that may hold digit runs: numbers joined by separators and fillers, nothing else.
_ISLAND = re.compile(rf"{_NUMBER}(?:{_BETWEEN}{_NUMBER})*", re.I)
_ISLAND_WORD = re.compile(r"\d+|[A-Za-z]+")
_PLUS_BEFORE = re.compile(r"\+\s*\Z")
_AND_NEXT = re.compile(r"\s*and(?![A-Za-z'])", re.I)
_LETTER = re.compile(r"[A-Za-z]")
_DIGIT_GROUP = re.compile(r"\d+")
_NOT_A_DIGIT = re.compile(r"\D+")
_FILLER = re.compile(rf"(?<![A-Za-z])(?:{_FILLER_WORDS})(?![A-Za-z])", re.I)
# Inside an island, the only words that can end a run (or not start one): "double"/"triple"/"treble" with no digit
# to repeat, a "hundred" no digit takes, and a leading "oh" (read as zero only beside digits).
_MAY_BREAK = re.compile(r"(?<![A-Za-z])(?:double|triple|treble|hundred)(?![A-Za-z])", re.I)
_LEADING_ZERO_WORD = re.compile(r"o(?:h)?(?![A-Za-z])", re.I)

# What a number word on its own reads as, as `_digit_token` reads it; None for those that are no digit alone.
_ALONE = {**{word: digit for word, digit in UNITS.items() if word not in AMBIGUOUS_ZERO}, **TEENS,
          **{word: tens + "0" for word, tens in TENS.items()}}

LONG_RUN = 64  # more digits than any identifier, or any few of them said together, holds
_TOKEN = re.compile(r"\d+|[A-Za-z]+(?:'[A-Za-z]+)?|\S")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # a decimal digit of another script
_tuple_new = tuple.__new__


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        return self.text.lower()


class DigitToken(NamedTuple):
    """Digits from one written group ("4111") or one spoken phrase ("double four", "forty-one")."""

    digits: str
    start: int
    end: int
    spoken: bool


class DigitRun:
    """Digit tokens separated by nothing but separators; `plus` when a "+" came just before.

    `first` is the index of its first token in the run it was cut from (`windows`), 0 for a whole run.
    Its digits and offsets are computed once, when it is made (attributes, not properties: detectors ask for them
    many times for each run).
    """

    __slots__ = ("tokens", "plus", "first", "digits", "start", "end", "_bounds")

    def __init__(self, tokens: tuple[DigitToken, ...], plus: bool = False, first: int = 0):
        self.tokens, self.plus, self.first = tokens, plus, first
        self.digits = tokens[0].digits if len(tokens) == 1 else "".join(token.digits for token in tokens)
        self.start, self.end = tokens[0].start, tokens[-1].end
        self._bounds: list[int] | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DigitRun) and (self.tokens, self.plus) == (other.tokens, other.plus)

    def __hash__(self) -> int:
        return hash((self.tokens, self.plus))

    def __repr__(self) -> str:
        return f"DigitRun({self.digits!r}, {self.start}-{self.end})"

    @property
    def bounds(self) -> list[int]:
        """The offset in `digits` where each token starts, then len(digits)."""
        if self._bounds is None:
            self._bounds = [0, *accumulate(len(token.digits) for token in self.tokens)]
        return self._bounds

    @property
    def spoken(self) -> bool:
        return any(token.spoken for token in self.tokens)

    def sub(self, first: int, last: int) -> DigitRun:
        """The tokens first..last-1 as a run of their own."""
        return DigitRun(self.tokens[first:last], plus=self.plus and first == 0, first=self.first + first)

    def spans(self, min_digits: int, max_digits: int, cuts: list[int] | None = None) -> Iterator[tuple[int, int]]:
        """(first, last) token slices holding `min_digits` to `max_digits` digits, by first token; only
        slices that start and end at `cuts` (sorted token indexes, len(tokens) for the end) when given.

        At most max_digits slices start at each cut (every token holds a digit), so this is linear.
        """
        offsets = self.bounds if cuts is None else [self.bounds[cut] for cut in cuts]  # digits before each cut
        count, last, total = len(offsets), 0, offsets[-1]
        for index in range(count - 1):
            low = offsets[index] + min_digits
            if low > total:
                break  # offsets grow: no slice from here on holds min_digits
            high = offsets[index] + max_digits
            last = max(last, index + 1)
            while last < count and offsets[last] < low:
                last += 1
            end = last
            while end < count and offsets[end] <= high:
                yield (index, end) if cuts is None else (cuts[index], cuts[end])
                end += 1

    def windows(self, min_digits: int, max_digits: int, cuts: list[int] | None = None) -> list[DigitRun]:
        """Every sub-run of whole tokens with `min_digits` to `max_digits` digits (between `cuts`, see
        `spans`), longest first, then by start: sorted by bucket, in linear time."""
        buckets: list[list[DigitRun]] = [[] for _ in range(max_digits + 1)]
        bounds = self.bounds
        for first, last in self.spans(min_digits, max_digits, cuts):
            buckets[bounds[last] - bounds[first]].append(self.sub(first, last))
        return [window for bucket in reversed(buckets) for window in bucket]


def ascii_digits(text: str) -> str:
    """`text` with the decimal digits of other scripts ("٤١١١", "४१११", "４１１１") written as ASCII ones, one
    character for one, so every position is still the position in `text`. The patterns' `\\d` matches any of them,
    and a card in Arabic-Indic digits is still a card; Luhn, the SSN ranges and phonenumbers read ASCII."""
    if text.isascii():
        return text
    others = set(_OTHER_DIGIT.findall(text))
    if not others:
        return text
    return text.translate({ord(digit): str(unicodedata.decimal(digit)) for digit in others})


def tokens(text: str) -> list[Token]:
    return [Token(match.group(), match.start(), match.end()) for match in _TOKEN.finditer(text)]


def is_separator(token: Token) -> bool:
    return token.text in SEPARATOR_MARKS or token.word in FILLERS


def digit_runs(text: str) -> list[DigitRun]:
    """Every run of written or spoken digits in `text`, in order."""
    runs: list[DigitRun] = []
    for island in _ISLAND.finditer(text):
        runs += _runs_in(text, island.start(), island.end())
    return runs


def read_digits(text: str, shortest: int = 1) -> tuple[list[DigitRun], list[tuple[int, int]]]:
    """(the runs of `digit_runs` with `shortest` to LONG_RUN digits, the (start, end) of the longer ones).

    The redaction asks for runs of three digits or more (no detector reads fewer): a text full of short numbers
    ("born 1/1/85", "3:30") then costs one test of each island's length, not a run built for it."""
    runs: list[DigitRun] = []
    long: list[tuple[int, int]] = []
    plus = _PlusSigns(text)
    for island in _ISLAND.finditer(text):
        group = island.group()
        if group.isdigit() and len(group) <= LONG_RUN:  # most islands: one written number
            if len(group) >= shortest:
                start = island.start()
                runs.append(DigitRun((DigitToken(group, start, island.end(), False),), plus=plus.before(start)))
            continue
        start, end = island.span()
        if group.isalpha():  # one number word on its own ("one dot two")
            word = _ALONE.get(group.lower())
            if word is not None and len(word) >= shortest:
                runs.append(DigitRun((DigitToken(word, start, end, True),), plus=plus.before(start)))
            continue
        span = _long_island(text, group, start, end)
        if span is not None:
            long.append(span)
            continue
        for run in _written_run(text, group, start, end, plus) or _runs_in(text, start, end):
            if len(run.digits) > LONG_RUN:
                long.append((run.start, run.end))
            elif len(run.digits) >= shortest:
                runs.append(run)
    return runs, long


class _PlusSigns:
    """`_plus_before` for many positions of one text: only positions with a "+" in the 16 characters before them
    (found by bisection in the text's "+" positions) are read, so a text of numbers with no "+" costs nothing."""

    def __init__(self, text: str):
        self.text = text
        self.positions = [match.start() for match in re.finditer(r"\+", text)] if "+" in text else []

    def before(self, start: int) -> bool:
        positions = self.positions
        if not positions:
            return False
        index = bisect_left(positions, start) - 1
        return index >= 0 and positions[index] >= start - 16 and _plus_before(self.text, start)


def _long_island(text: str, island: str, start: int, end: int) -> tuple[int, int] | None:
    """The island's span when, without reading it word by word, it is sure to be one run of more than LONG_RUN
    digits: written digits only, or number words with nothing that can end a run and no leading "oh" (then
    each word that is no filler gives at least one digit, and the run goes from the island's start to its end)."""
    if len(island) <= LONG_RUN:
        return None
    if not _LETTER.search(island):
        return (start, end) if len(_NOT_A_DIGIT.sub("", island)) > LONG_RUN else None
    if _MAY_BREAK.search(island) or _LEADING_ZERO_WORD.match(island):
        return None
    words = len(_ISLAND_WORD.findall(island)) - len(_FILLER.findall(island))
    return (start, end) if words > LONG_RUN else None


def _written_run(text: str, island: str, start: int, end: int, plus: _PlusSigns) -> list[DigitRun] | None:
    """An island of written digits and separators only is one run, its groups the tokens; None otherwise."""
    if _LETTER.search(island):
        return None
    groups = island.split(" ")
    if "" not in groups and "".join(groups).isdigit():  # "212 555 0123": groups one space apart, the usual case
        tokens, position = [], start
        for group in groups:
            tokens.append(_tuple_new(DigitToken, (group, position, position + len(group), False)))
            position += len(group) + 1
        return [DigitRun(tuple(tokens), plus=plus.before(start))]
    # tuple.__new__ builds the named tuple without the Python-level __new__ call: a third of the cost, per group.
    tokens = tuple(_tuple_new(DigitToken, (match.group(), match.start(), match.end(), False))
                   for match in _DIGIT_GROUP.finditer(text, start, end))
    return [DigitRun(tokens, plus=plus.before(start))]


def _plus_before(text: str, start: int) -> bool:
    """Whether a "+" comes just before `start` (spaces between allowed), as `_Words.plus_before` reads it."""
    window = max(0, start - 16)
    return "+" in text[window:start] and bool(_PLUS_BEFORE.search(text, window, start))


class _Words:
    """The words of one island, with the separators between them read from the text."""

    def __init__(self, text: str, start: int, end: int):
        self.text = text
        matches = list(_ISLAND_WORD.finditer(text, start, end))
        self.raw = [match.group() for match in matches]
        self.lower = [word.lower() for word in self.raw]
        self.starts = [match.start() for match in matches]
        self.ends = [match.end() for match in matches]

    def gap(self, index: int) -> str:
        """The separators between words[index] and words[index + 1]."""
        return self.text[self.ends[index]:self.starts[index + 1]]

    def joined(self, index: int) -> int | None:
        """words[index + 1] when it follows words[index] with only spaces, or one dash at the word's end
        ("forty-one", "double four"), in between; else None."""
        if index + 1 >= len(self.raw):
            return None
        gap = self.gap(index)
        if not gap.strip() or (gap[0] in "-–" and not gap[1:].strip()):
            return index + 1
        return None

    def plus_before(self, index: int, island_start: int) -> bool:
        if index == 0:
            return bool(_PLUS_BEFORE.search(self.text, max(0, island_start - 16), island_start))
        return self.gap(index - 1).rstrip().endswith("+")


def _runs_in(text: str, start: int, end: int) -> list[DigitRun]:
    words = _Words(text, start, end)
    runs: list[DigitRun] = []
    current: list[DigitToken] = []
    plus = False
    index, count = 0, len(words.raw)
    while index < count:
        digit, used = _digit_token(words, index, after_digit=bool(current))
        if digit is not None:
            if not current:
                plus = words.plus_before(index, start)
            current.append(digit)
            index += used
            continue
        if not (current and words.lower[index] in FILLERS):
            if current:
                runs.append(DigitRun(tuple(current), plus=plus))
            current = []
        index += 1
    if current:
        runs.append(DigitRun(tuple(current), plus=plus))
    return runs


def _digit_token(words: _Words, index: int, *, after_digit: bool) -> tuple[DigitToken | None, int]:
    """(the digit token starting at words[index], how many words it used), or (None, 0)."""
    raw, name = words.raw[index], words.lower[index]
    start, end = words.starts[index], words.ends[index]
    if raw[0].isdigit():
        return DigitToken(raw, start, end, False), 1
    if name in REPEATS:
        nxt = words.joined(index)
        if nxt is not None and (words.lower[nxt] in UNITS or (words.raw[nxt].isdigit() and len(words.raw[nxt]) == 1)):
            digit = UNITS.get(words.lower[nxt], words.raw[nxt])
            return DigitToken(digit * REPEATS[name], start, words.ends[nxt], True), nxt - index + 1
        return None, 0
    if name in AMBIGUOUS_ZERO and not (after_digit or _digit_follows(words, index)):
        return None, 0
    if name in UNITS:
        return _hundreds(words, index, UNITS[name]) or (DigitToken(UNITS[name], start, end, True), 1)
    if name in TEENS:
        return DigitToken(TEENS[name], start, end, True), 1
    if name in TENS:
        return _tens(words, index)
    return None, 0


def _digit_follows(words: _Words, index: int) -> bool:
    """A leading "oh" counts when a digit follows with no more than a space or a dash in between."""
    if index + 1 >= len(words.raw) or words.gap(index).strip() not in ("", "-", "–"):
        return False
    following = words.lower[index + 1]
    return following[0].isdigit() or following in UNITS or following in REPEATS or following in TEENS \
        or following in TENS


def _tens(words: _Words, index: int) -> tuple[DigitToken, int]:
    tens = TENS[words.lower[index]]
    nxt = words.joined(index)
    if nxt is not None and words.lower[nxt] in UNITS and words.lower[nxt] not in AMBIGUOUS_ZERO | {"zero"}:
        return DigitToken(tens + UNITS[words.lower[nxt]], words.starts[index], words.ends[nxt], True), 2
    return DigitToken(tens + "0", words.starts[index], words.ends[index], True), 1


def _hundreds(words: _Words, index: int, digit: str) -> tuple[DigitToken, int] | None:
    """"eight hundred" is 800 ("one eight hundred five five five ..."); "five hundred and ..." is a quantity."""
    nxt = index + 1
    if nxt < len(words.raw) and words.lower[nxt] == "hundred" and digit != "0" and not words.gap(index).strip():
        if _AND_NEXT.match(words.text, words.ends[nxt]):
            return None
        return DigitToken(digit + "00", words.starts[index], words.ends[nxt], True), 2
    return None
