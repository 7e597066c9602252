"""E-mail addresses, written ("jane.doe@example.com") and spoken ("jane dot doe at example dot com"), except the
caller's and the company's own (`keep_emails`).

Callers spell the local part as they go: "e tribble, that's T R I B B L E, at example dot com", "dana, d a n a,
dot whitfield, at ...", "j underscore smith 77 at ...". The patterns find the address from its last piece before
"at" to its domain; `_spelled_start` then walks back over what belongs to the local part: pieces joined by a
spoken separator, a word and its spelling ("tribble, that's T R I B B L E"), an initial before a word, digits
after one. Anything else ("my email is", "uh") ends it. The walk reads at most `_LOCAL_WINDOW` characters.

Split from privacy/detectors.py.
"""

from __future__ import annotations

import re

from privacy.detectors import EMAIL, Context, Doubt, Finding
from privacy.spoken import FILLERS

# Anchored where a local part starts and with bounded repetitions (RFC 5321: 64 characters before the
# "@"), so a long run of digits, dots or words with no address in it is scanned once, not once per position.
_EMAIL_WRITTEN = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}"
                            r"\.[A-Za-z]{2,24}(?![A-Za-z])")
_TLDS = r"com|net|org|io|co|us|uk|ca|edu|gov|biz|info|ai|me|de|fr|es|it|nl|au|dev|app|ie|in"
_SPOKEN_SEPARATOR = r"(?:\s+(?:dot|period|underscore|dash|hyphen)\s+|[._-])"
_LABEL = r"[a-z0-9]{1,63}(?:(?:\s+(?:dash|hyphen)\s+|-)[a-z0-9]{1,63}){0,4}"  # a domain label: "lagos hyphen freight"
_AT = r"(?:,?\s+at\s+|\s*@\s*)"  # "..., at example dot com": a pause before "at"
_EMAIL_SPOKEN = re.compile(
    rf"\b[a-z0-9]{{1,64}}(?:{_SPOKEN_SEPARATOR}[a-z0-9]{{1,64}}){{0,8}}{_AT}"
    rf"{_LABEL}(?:(?:\s+dot\s+|\.){_LABEL}){{0,6}}(?:\s+dot\s+|\.)(?:{_TLDS})\b", re.I)
_AT_IN_MATCH = re.compile(_AT, re.I)
_SPOKEN_MARKS = {"at": "@", "dot": ".", "period": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
_SPOKEN_AT = re.compile(r"\sat\s", re.I)  # in every spoken address without an "@"; a text with neither has none

_LOCAL_WINDOW = 100
_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_SEPARATORS = {"dot": ".", "period": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
_INTRODUCES_SPELLING = frozenset({"that's", "thats", "spelled", "spelt", "as"})
# Words that end the walk back: the sentence around the address, never part of it.
_NOT_LOCAL = frozenset({"is", "it's", "its", "it", "my", "his", "her", "our", "your", "email", "e-mail", "mail",
                        "address", "the", "and", "at", "me", "to", "send", "was", "that's", "thats", "that", "yes",
                        "yeah", "so", "okay", "ok", "sure", "caller", "agent", "um", "umm", "uh", "uhh", "er", "erm",
                        "ah", "hmm", "oh", "spelled", "spelt", "as", "on", "use", "try", "or", "of", "i", "at"})


def find_emails(context: Context) -> tuple[list[Finding], list[Doubt]]:
    """Written and spoken addresses, except the caller's own (`keep_emails`)."""
    text = context.text
    if "@" not in text and not _SPOKEN_AT.search(text):
        return [], []  # scanned in a few milliseconds, where the address patterns take ~75 ms per megabyte
    findings = [Finding(EMAIL, *match.span()) for match in _EMAIL_WRITTEN.finditer(text)
                if email_address(match.group()) not in context.keep_emails]
    for match in _EMAIL_SPOKEN.finditer(text):
        at = _AT_IN_MATCH.search(text, match.start(), match.end())
        start, local = _spelled_start(text, at.start())
        if start is None:
            start, local = match.start(), email_address(text[match.start():at.start()])
            if local in FILLERS:
                continue  # "my email is, uh, at ...": a pause, no local part
        if local + email_address(text[at.start():match.end()]) not in context.keep_emails:
            findings.append(Finding(EMAIL, start, match.end()))
    return findings, []


def email_address(spoken: str) -> str:
    """"Jane dot Doe at example dot com" as an address: jane.doe@example.com."""
    address = spoken.lower()
    for word, mark in _SPOKEN_MARKS.items():
        address = re.sub(rf",?\s+{word}\s+", mark, address)
    return re.sub(r"[\s,]+", "", address)


class _Unit:
    """A word, a number, a separator word or letters spelled one by one ("T R I B B L E"), with its offsets."""

    def __init__(self, text: str, start: int, end: int, letters: bool = False):
        self.text, self.start, self.end, self.letters = text, start, end, letters
        self.lower = text.lower()

    @property
    def content(self) -> bool:
        return self.letters or (self.lower not in _NOT_LOCAL and self.lower not in _SEPARATORS)


def _units(text: str, low: int, end: int) -> list[_Unit]:
    """The units of text[low:end], letters said one by one (single spaces between) grouped into one."""
    units: list[_Unit] = []
    for match in _WORD.finditer(text, low, end):
        word, start = match.group(), match.start()
        single = len(word) == 1 and word.isalpha()
        previous = units[-1] if units else None
        if single and previous is not None and previous.letters and not text[previous.end:start].strip():
            previous.text += word
            previous.lower, previous.end = previous.text.lower(), match.end()
        else:
            units.append(_Unit(word, start, match.end(), letters=single))
    return units


def _spelled_start(text: str, at: int) -> tuple[int | None, str]:
    """(where the local part before `at` starts, the local part as an address has it), or (None, "") when it
    is only its last piece (the pattern's own match is then kept)."""
    line_start = text.rfind("\n", max(0, at - _LOCAL_WINDOW), at) + 1
    units = _units(text, max(line_start, at - _LOCAL_WINDOW), at)
    if not units or not units[-1].content or text[units[-1].end:at].strip(", "):
        return None, ""
    index, local = len(units) - 1, [units[-1]]  # `local`: units of the address, right to left
    while index > 0:
        current, previous = units[index], units[index - 1]
        if text[previous.end:current.start].strip(", "):
            break  # another mark between them (a full stop, a colon): another sentence
        if previous.lower in _SEPARATORS and index > 1 and units[index - 2].content:
            local += [previous, units[index - 2]]
            index -= 2
        elif current.letters and previous.lower in _INTRODUCES_SPELLING and index > 1 \
                and units[index - 2].lower == current.lower:
            local[-1:] = [units[index - 2]]  # "tribble, that's T R I B B L E": the word, once
            index -= 2
        elif current.letters and previous.lower == current.lower:
            local[-1:] = [previous]  # "dana, d a n a"
            index -= 1
        elif previous.letters and len(previous.text) == 1 and current.content and not current.letters:
            local.append(previous)  # an initial: "e tribble"
            index -= 1
        elif current.text.isdigit() and previous.content and not previous.text.isdigit():
            local.append(previous)  # "smith 77"
            index -= 1
        else:
            break
    if len(local) == 1:
        return None, ""
    address = "".join(_SEPARATORS.get(unit.lower, unit.lower) for unit in reversed(local))
    return local[-1].start, address
