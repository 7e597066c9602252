"""Adversarial inputs for the redaction: each a worst case for some part of the engine.

Shared by bench/redaction.py (seconds per megabyte) and test_redaction_linear.py (work that grows
linearly). Each maker takes a size in characters and returns a text of that size.
"""

from __future__ import annotations

from collections.abc import Callable

SPOKEN = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def repeated(unit: str | Callable[[int], str], size: int) -> str:
    """`unit` (or unit(i) for i = 0, 1, ...) repeated until the text holds `size` characters."""
    parts, length, index = [], 0, 0
    while length < size:
        part = unit(index) if callable(unit) else unit
        parts.append(part)
        length += len(part)
        index += 1
    return "".join(parts)[:size]


KINDS: dict[str, Callable[[int], str]] = {
    "written digits, one run": lambda size: repeated("4111111111111111", size),
    "spaced digits": lambda size: repeated(lambda i: f"{(i * 7) % 10} ", size),
    "spoken digits": lambda size: repeated(lambda i: SPOKEN[(i * 7) % 10] + " ", size),
    "near-miss cards after a cue": lambda size: repeated(lambda i: f"card 4111 1111 1111 {1112 + i % 8}, ", size),
    "card groups, one run": lambda size: repeated(lambda i: f"{4111 + i % 5000} ", size),
    "dotted digits": lambda size: repeated(lambda i: f"{i % 10}.", size),
    "repeated cue words": lambda size: repeated(lambda i: ("date of birth social security card code on the back "
                                                          f"routing account passport license {i % 10} "), size),
    "separators between two digits": lambda size: "1" + repeated(" -,", size - 2) + "2",
    "distinct phone numbers": lambda size: repeated(lambda i: f"call 212 555 {i % 10000:04d}. ", size),
    "repeated birth cues and dates": lambda size: repeated(lambda i: f"born {1 + i % 12}/{1 + i % 28}/85 ", size),
    "spoken-email look-alikes": lambda size: repeated(lambda i: f"{SPOKEN[i % 10]} dot ", size),
    # issue 14: spelled ids with their cue after them, and spelled e-mail local parts walked back from "at"
    "spelled ids and cues after them": lambda size: repeated(
        lambda i: f"W D L, uh, A B C D {i % 10} 5 6 D G, the Washington license, {i % 10} 1 7 is the code on the back ",
        size),
    "spelled e-mail local parts": lambda size: repeated(
        lambda i: f"e tribble, that's T R I B B L E, dot {SPOKEN[i % 10]} {i % 100} at example dot com ", size),
}
