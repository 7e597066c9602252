"""How one answer reads for one BANT dimension: specific, a bare yes, a no, or no answer at all.

The criterion's own patterns come first (its negatives before its positives: "we have a
budget, but it's frozen" is a no). Without a match, an answer to the dimension's question
or a value the assistant extracted is read by these generic rules, in order:

    unsure ("not sure", "unknown", "maybe")            no answer (missing)
    a no ("no", "not yet", "we don't", "nobody")       negative
    a bare yes ("yes", "yeah, that's me", true)        affirmation: only part of the credit
    a number ("$40k", "six weeks", 50000)              positive
    min_evidence_words words or more                   positive
    anything shorter ("soon")                          affirmation
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from leads.qualification.policy import CriterionSnapshot

QUOTE_LIMIT = 300


class Verdict(StrEnum):
    POSITIVE = "positive"
    AFFIRMATION = "affirmation"
    NEGATIVE = "negative"
    MISSING = "missing"


@dataclass(frozen=True)
class Reading:
    verdict: Verdict
    reason: str  # why, in words a sales manager reads: 'matches "no (real )?budget"', "a bare yes"


UNSURE = re.compile(
    r"\b(not sure|unsure|no idea|don'?t know|do not know|dunno|unknown|unclear|undecided|tbd|tbc|n/a|hard to say"
    r"|not (yet )?(known|mentioned|discussed|provided|specified|stated|given|asked|clear|decided|determined)"
    r"|no \w+ (given|mentioned|provided|specified|stated|discussed)|maybe|perhaps|possibly|might)\b")
NO_WORDS = frozenset({"no", "nope", "nah", "not", "none", "never", "nothing", "zero", "false", "negative"})
NO_CUES = re.compile(
    r"\b(don'?t|do not|doesn'?t|does not|didn'?t|did not|haven'?t|have not|hasn'?t|has not|isn'?t|is not|aren'?t"
    r"|are not|wasn'?t|won'?t|can'?t|cannot|couldn'?t|no one|nobody)\b")
NUMBER = re.compile(r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty"
                    r"|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|grand|dozen|couple)\b")
YES_WORDS = frozenset({
    "yes", "yeah", "yep", "yup", "ya", "yea", "sure", "correct", "true", "right", "absolutely", "definitely",
    "certainly", "indeed", "exactly", "totally", "affirmative", "of", "course", "fine", "good", "great", "sounds",
    "please", "uh-huh", "mhm", "mm-hmm",
    # what a yes leans on: "that's me", "I am", "we do", "it is"
    "that's", "thats", "that", "it's", "its", "it", "is", "me", "i", "i'm", "im", "am", "we", "we're", "we've",
    "do", "does", "are", "have", "has", "would", "will", "can", "be", "the", "one",
})
# Restating the question is not an answer to it: "yes, we have a budget for this".
ECHO_WORDS = frozenset({"a", "an", "this", "for", "so", "and", "budget", "decision", "maker", "decision-maker",
                        "need", "needs", "timeline", "money", "set", "aside", "in", "place"})
FILLER_WORDS = frozenset({"oh", "well", "um", "umm", "uh", "uhh", "er", "erm", "hmm", "okay", "ok", "like", "just"})
TOKEN = re.compile(r"[a-z0-9][a-z0-9'\-]*")


def normalise(text: str) -> str:
    """Straight apostrophes, single spaces: what the patterns are written against."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def quote(text: str) -> str:
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "\u2026"


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def read_statement(text: str, criterion: CriterionSnapshot) -> Reading | None:
    """A caller's line read with the criterion's own patterns only; None when neither kind matches."""
    for verdict, patterns in ((Verdict.NEGATIVE, criterion.negative_patterns),
                              (Verdict.POSITIVE, criterion.positive_patterns)):
        for pattern in patterns:
            if pattern.search(text):
                return Reading(verdict, f'matches "{pattern.pattern}"')
    return None


def read_answer(text: str, criterion: CriterionSnapshot, *, min_words: int) -> Reading:
    """An answer to the dimension's question, or a text value the assistant extracted for it."""
    text = normalise(text)
    by_pattern = read_statement(text, criterion)
    if by_pattern is not None:
        return by_pattern
    lowered = text.lower()
    tokens = _tokens(lowered)
    if not tokens:
        return Reading(Verdict.MISSING, "empty")
    if UNSURE.search(lowered):
        return Reading(Verdict.MISSING, "unsure")
    if tokens[0] in NO_WORDS or NO_CUES.search(lowered):
        return Reading(Verdict.NEGATIVE, "a no")
    if all(token in YES_WORDS or token in ECHO_WORDS or token in FILLER_WORDS for token in tokens):
        return Reading(Verdict.AFFIRMATION, "a bare yes")
    if NUMBER.search(lowered):
        return Reading(Verdict.POSITIVE, "a number")
    if len(tokens) >= min_words:
        return Reading(Verdict.POSITIVE, f"an answer of {len(tokens)} words")
    return Reading(Verdict.AFFIRMATION, f"fewer than {min_words} words, nothing specific")


# A negative in any part of a value wins, then a positive, then a bare yes.
_PRECEDENCE = (Verdict.NEGATIVE, Verdict.POSITIVE, Verdict.AFFIRMATION, Verdict.MISSING)


def read_value(value: Any, criterion: CriterionSnapshot, *, min_words: int) -> Reading:
    """A structured value (structuredData or a tool argument): true, 0, "$40k", {"amount": 5e4, "approved": true}."""
    if value is None or value == "" or value == [] or value == {}:
        return Reading(Verdict.MISSING, "empty")
    if isinstance(value, bool):
        return Reading(Verdict.AFFIRMATION, "true") if value else Reading(Verdict.NEGATIVE, "false")
    if isinstance(value, (int, float)):
        return Reading(Verdict.NEGATIVE, "zero") if value == 0 else Reading(Verdict.POSITIVE, "a number")
    if isinstance(value, str):
        return read_answer(value, criterion, min_words=min_words)
    if isinstance(value, dict):
        parts = [(str(key), item) for key, item in value.items()]
    elif isinstance(value, (list, tuple)):
        parts = [(f"[{index}]", item) for index, item in enumerate(value)]
    else:
        return Reading(Verdict.MISSING, f"unreadable {type(value).__name__}")
    readings = [(name, read_value(item, criterion, min_words=min_words)) for name, item in parts]
    name, deciding = min(readings, key=lambda pair: _PRECEDENCE.index(pair[1].verdict))
    return Reading(deciding.verdict, f"{name}: {deciding.reason}")
