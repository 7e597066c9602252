"""Digits as people write and say them, with every digit's place in the original text.

A transcript holds "4111 1111 1111 1111", "four one one one, one one one one", "double
four" and "oh" for zero, often broken by "um". `digit_runs` turns each stretch of digits,
written or spoken, into a `DigitRun`: its pieces (`DigitToken`s) keep their character
offsets, so a detector that finds a card in the digits can replace exactly the words
that spoke it, and nothing around them.

A run continues across separators only: spaces, commas, dashes, dots, brackets, a plus
sign and filler words. Any other word ends it ("and", "dollars", "order").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
         "six": "6", "seven": "7", "eight": "8", "nine": "9"}
TEENS = {"ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
         "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19"}
TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7", "eighty": "8",
        "ninety": "9"}
REPEATS = {"double": 2, "triple": 3}
FILLERS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "mm", "uhm"})
# "oh" and "o" are zero only beside other digits: "Oh, it's ..." is not a zero.
AMBIGUOUS_ZERO = frozenset({"oh", "o"})
SEPARATOR_MARKS = frozenset(",-.()+–")

_TOKEN = re.compile(r"\d+|[A-Za-z]+(?:'[A-Za-z]+)?|\S")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class DigitToken:
    """Digits from one written group ("4111") or one spoken phrase ("double four", "forty-one")."""

    digits: str
    start: int
    end: int
    spoken: bool


@dataclass(frozen=True)
class DigitRun:
    """Digit tokens separated by nothing but separators; `plus` when a "+" came just before."""

    tokens: tuple[DigitToken, ...]
    plus: bool = False

    @property
    def digits(self) -> str:
        return "".join(token.digits for token in self.tokens)

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    @property
    def spoken(self) -> bool:
        return any(token.spoken for token in self.tokens)

    def windows(self, min_digits: int, max_digits: int) -> list[DigitRun]:
        """Every sub-run of whole tokens with `min_digits` to `max_digits` digits, longest first."""
        found = []
        for first in range(len(self.tokens)):
            count = 0
            for last in range(first, len(self.tokens)):
                count += len(self.tokens[last].digits)
                if count > max_digits:
                    break
                if count >= min_digits:
                    found.append(DigitRun(self.tokens[first:last + 1], plus=self.plus and first == 0))
        return sorted(found, key=lambda run: (-len(run.digits), run.start))


def tokens(text: str) -> list[Token]:
    return [Token(match.group(), match.start(), match.end()) for match in _TOKEN.finditer(text)]


def is_separator(token: Token) -> bool:
    return token.text in SEPARATOR_MARKS or token.word in FILLERS


def digit_runs(text: str) -> list[DigitRun]:
    """Every run of written or spoken digits in `text`, in order."""
    return runs_of(tokens(text))


def runs_of(words: list[Token]) -> list[DigitRun]:
    runs: list[DigitRun] = []
    current: list[DigitToken] = []
    plus = False
    index = 0
    while index < len(words):
        digit, used = _digit_token(words, index, after_digit=bool(current))
        if digit is not None:
            if not current:
                plus = index > 0 and words[index - 1].text == "+"
            current.append(digit)
            index += used
            continue
        if not (current and is_separator(words[index])):
            if current:
                runs.append(DigitRun(tuple(current), plus=plus))
            current = []
        index += 1
    if current:
        runs.append(DigitRun(tuple(current), plus=plus))
    return runs


def _digit_token(words: list[Token], index: int, *, after_digit: bool) -> tuple[DigitToken | None, int]:
    """(the digit token starting at words[index], how many words it used), or (None, 0)."""
    word = words[index]
    if word.text.isdigit():
        return DigitToken(word.text, word.start, word.end, spoken=False), 1
    name = word.word
    if name in REPEATS:
        nxt = _next_word(words, index)
        if nxt is not None and (words[nxt].word in UNITS or (words[nxt].text.isdigit() and len(words[nxt].text) == 1)):
            digit = UNITS.get(words[nxt].word, words[nxt].text)
            return DigitToken(digit * REPEATS[name], word.start, words[nxt].end, spoken=True), nxt - index + 1
        return None, 0
    if name in AMBIGUOUS_ZERO and not (after_digit or _digit_follows(words, index)):
        return None, 0
    if name in UNITS:
        return _hundreds(words, index, UNITS[name]) or (DigitToken(UNITS[name], word.start, word.end, True), 1)
    if name in TEENS:
        return DigitToken(TEENS[name], word.start, word.end, spoken=True), 1
    if name in TENS:
        return _tens(words, index)
    return None, 0


def _next_word(words: list[Token], index: int) -> int | None:
    """The index of the next word after words[index], skipping one dash ("forty-one")."""
    nxt = index + 1
    if nxt < len(words) and words[nxt].text in "-–" and words[nxt].start == words[index].end:
        nxt += 1
    return nxt if nxt < len(words) else None


def _digit_follows(words: list[Token], index: int) -> bool:
    """A leading "oh" counts when a digit follows with no more than a space or a dash in between."""
    nxt = index + 1
    if nxt < len(words) and words[nxt].text in "-–":
        nxt += 1
    if nxt >= len(words):
        return False
    word = words[nxt]
    return word.text.isdigit() or word.word in UNITS or word.word in REPEATS or word.word in TEENS \
        or word.word in TENS


def _tens(words: list[Token], index: int) -> tuple[DigitToken, int]:
    word = words[index]
    tens = TENS[word.word]
    nxt = _next_word(words, index)
    if nxt is not None and words[nxt].word in UNITS and words[nxt].word not in AMBIGUOUS_ZERO | {"zero"}:
        return DigitToken(tens + UNITS[words[nxt].word], word.start, words[nxt].end, True), nxt - index + 1
    return DigitToken(tens + "0", word.start, word.end, spoken=True), 1


def _hundreds(words: list[Token], index: int, digit: str) -> tuple[DigitToken, int] | None:
    """"eight hundred" is 800 ("one eight hundred five five five ..."); "five hundred and ..." is a quantity."""
    nxt = index + 1
    if nxt < len(words) and words[nxt].word == "hundred" and digit != "0":
        after = nxt + 1
        if after < len(words) and words[after].word == "and":
            return None
        return DigitToken(digit + "00", words[index].start, words[nxt].end, spoken=True), 2
    return None
