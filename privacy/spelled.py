"""Identifiers said piece by piece: letters on their own or "as in <word>", digits written or spoken, fillers.

"A as in apple, four six eight one three five seven nine", "W D L, uh, A B C D 4 5 6 D G" and "G B two nine,
N W B K, six oh one six" are one identifier each, though no digit run (privacy/spoken.py) holds their letters.
`spelled_before` and `spelled_after` read such a sequence ending or starting at a position (the edge of a digit
run), `spelled_from` reads one forward from a cue; each gives the pieces with their characters ("A", "4", "00")
and their offsets, so an identifier is replaced from its first spoken piece to its last.

Each read looks at a bounded window (`WINDOW` characters), so a text costs at most that much per run or cue.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from privacy.spoken import FILLERS, REPEATS, TEENS, TENS, UNITS

WINDOW = 120

_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_NUMBER = (rf"(?:{'|'.join(REPEATS)})[\s-]+(?:{_UNIT}|\d)|(?:{'|'.join(TENS)})(?:[\s-]+(?:{_UNIT}))?|"
           rf"{'|'.join(TEENS)}|{_UNIT}|[a-z]{{0,3}}\d[a-z0-9]*")
_LETTER = r"[a-z](?:\s+as\s+in\s+[a-z]+)?"
_FILLER = "|".join(sorted(FILLERS, key=len, reverse=True))
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![a-z0-9'])", r"(?![a-z0-9']|\s+as\s+in\s)"
# One piece: the longest reading first, so "double oh" is one piece and "oh" on its own another.
PIECE = re.compile(rf"{_EDGE_BEFORE}(?:(?P<number>{_NUMBER})|(?P<filler>{_FILLER})|(?P<letter>{_LETTER})){_EDGE_AFTER}",
                   re.I)
_GAP = r"[\s,\-–]+"
_ANY = rf"{_EDGE_BEFORE}(?:{_NUMBER}|{_FILLER}|{_LETTER}){_EDGE_AFTER}"
_SEQUENCE = re.compile(rf"{_ANY}(?:{_GAP}{_ANY})*", re.I)
_LEAD = re.compile(r"[\s,:;\-–]*")
_TRAIL = re.compile(r"[\s,\-–]*\Z")
_WORD_DIGIT = {**UNITS, **TEENS}


class Piece(NamedTuple):
    chars: str  # what it spells: "A", "4", "00", "29"; "" for a filler
    start: int
    end: int


def spelled_from(text: str, position: int) -> list[Piece]:
    """The pieces of the sequence starting at `position` (after separators), fillers at its edges left out."""
    lead = _LEAD.match(text, position)
    match = _SEQUENCE.match(text, lead.end(), min(len(text), position + WINDOW))
    return _trimmed(_pieces(text, match.start(), match.end())) if match else []


def spelled_before(text: str, position: int) -> list[Piece]:
    """The pieces of the sequence that ends right before `position` (separators between allowed)."""
    low = max(0, position - WINDOW)
    gap = _TRAIL.search(text, low, position)
    end = gap.start() if gap else position
    last = None
    for last in _SEQUENCE.finditer(text, low, end):
        pass
    if last is None or last.end() != end:
        return []
    return _trimmed(_pieces(text, last.start(), last.end()))


def spelled_after(text: str, position: int) -> list[Piece]:
    """The pieces of the sequence that starts right after `position`, within the same clause."""
    return spelled_from(text, position) if position < len(text) and text[position] in " ,-–" else []


def compact(pieces: list[Piece]) -> str:
    return "".join(piece.chars for piece in pieces)


def _pieces(text: str, start: int, end: int) -> list[Piece]:
    pieces = []
    for match in PIECE.finditer(text, start, end):
        pieces.append(Piece(_chars(match), match.start(), match.end()))
    return pieces


def _chars(match: re.Match) -> str:
    if match.group("filler"):
        return ""
    if match.group("letter"):
        return match.group()[0].upper()
    words = match.group().lower().replace("-", " ").split()
    if words[0] in REPEATS:
        return _WORD_DIGIT.get(words[-1], words[-1]) * REPEATS[words[0]]
    if words[0] in TENS:
        return TENS[words[0]] + (UNITS[words[1]] if len(words) > 1 else "0")
    if words[0] in _WORD_DIGIT:
        return _WORD_DIGIT[words[0]]
    return match.group().upper()  # written: "4", "E00007734", "3M"


def _trimmed(pieces: list[Piece]) -> list[Piece]:
    while pieces and not pieces[0].chars:
        pieces = pieces[1:]
    while pieces and not pieces[-1].chars:
        pieces = pieces[:-1]
    return pieces
