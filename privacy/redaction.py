"""Personal data out of text before it leaves callsync: `redact`, `redact_value` and `Redactor`.

    >>> redact("card 4111 1111 1111 1111, call me on 415 555 0123", keep_phones=("+14155550123",)).text
    'card [CARD], call me on 415 555 0123'

Kinds: CARD (Luhn-valid 13-19 digits, written or spoken), CVV (after its cue), SSN (and its
last four after "the last four of my social"), EMAIL (other than `keep_emails`), PHONE (other
than `keep_phones`, compared in E.164), IBAN (mod 97), BANK (an ABA routing number, or an account
number where banking is talked about), PASSPORT and LICENSE (beside their cues, letters spelled or
written with their digits) and DOB (a date near a birth cue, unless a nearer cue claims it). Each is replaced by its token, `[CARD]` ... `[DOB]`.

Digits of other scripts ("٤١١١") are read as the ASCII digits they are, at the same positions
(`spoken.ascii_digits`): a card written in them is still a card.

Linear in the length of the text: every detector reads each digit run and the text around it a
bounded number of times (tests/privacy/test_redaction_linear.py counts it; bench/redaction.py
times it). A run of more than 64 digits with no other word in it (`spoken.LONG_RUN`; a card has
at most 19, an IBAN 34, a phone number 15) is replaced whole by `[CARD]`, with whatever overlaps
it: it may hide a card number anywhere inside, and trying each of its windows would cost time
and miss none that redacting it all does not cover.

Confidence, for a whole text: how sure we are that nothing was missed.

    confidence = product over the doubts of (1 - weight), rounded to 4 decimals

1.0 when nothing ambiguous was seen. A doubt is a near miss, weighted in privacy/detectors.py
(the IBAN's in privacy/identifiers.py): 13-19 digits after a card cue failing Luhn 0.3, an
IBAN-shaped number failing mod 97 0.2,
nine digits after an SSN cue in a range never issued 0.2, seven or more spoken digits that
are none of the kinds and follow no reference ("order", "ticket") 0.15, a birth cue followed
by digits we could not read as a date 0.1. Findings themselves do not lower it: redacted data
cannot leak. Over several texts (a call's transcript, summary and structured data) the doubts
of all of them multiply the same way.
"""

from __future__ import annotations

import gc
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from privacy import detectors
from privacy.checks import is_card_number
from privacy.detectors import KINDS, Context, Doubt, Finding
from privacy.emails import find_emails
from privacy.identifiers import find_ibans, find_identifiers
from privacy.phones import find_phones, spells_kept_phone
from privacy.spoken import DigitRun, ascii_digits, read_digits

MIN_UNEXPLAINED_SPOKEN_DIGITS = 7
DETECTORS = (find_ibans, find_emails, detectors.find_cards, detectors.find_ssns, find_identifiers,
             detectors.find_dates_of_birth, find_phones)


def token(kind: str) -> str:
    return f"[{kind}]"


@dataclass(frozen=True)
class Redaction:
    text: str
    counts: dict[str, int]
    confidence: float
    spans: tuple[Finding, ...] = ()  # positions in the original text
    doubts: tuple[Doubt, ...] = ()


def redact(text: str, *, keep_phones: Iterable[str] = (), keep_emails: Iterable[str] = (),
           region: str = "US") -> Redaction:
    """`text` with every kind of personal data replaced by its token (see the module docstring);
    `keep_phones` (E.164) and `keep_emails` are the caller's and the company's own, left as they are."""
    with _collector_paused():
        return _redaction(text, keep_phones, keep_emails, region)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a text is redacted, then resumed.

    Redaction makes no reference cycles, but a long text makes hundreds of thousands of small objects (a run,
    its tokens, findings) that stay alive until it is done: the collector walks them again and again as they
    pile up, 15-25% of the time on a megabyte. Only the caller that paused it resumes it, so with threads the
    collector is never left paused: at worst it runs again while another thread still redacts."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _redaction(text: str, keep_phones: Iterable[str], keep_emails: Iterable[str], region: str) -> Redaction:
    # Detectors read the text with ASCII digits; positions are the same, and the original text is what is replaced.
    detected = ascii_digits(text)
    runs, long_runs = read_digits(detected, shortest=detectors.FEWEST_DIGITS)
    context = Context(text=detected, runs=tuple(runs), keep_phones=frozenset(keep_phones), region=region,
                      keep_emails=frozenset(email.strip().lower() for email in keep_emails))
    found: list[Finding] = []
    doubts: list[Doubt] = []
    for detector in DETECTORS:
        findings, near_misses = detector(context)
        found += findings
        doubts += near_misses
    spans = detectors.resolve(_with_long_runs(found, long_runs))
    starts = [span.start for span in spans]
    doubts += _unexplained_spoken_digits(context, spans, starts)
    doubts = [doubt for doubt in doubts if not _inside(doubt, spans, starts)]
    return Redaction(
        text=_replaced(text, spans),
        counts=dict(Counter(span.kind for span in spans)),
        confidence=confidence_of(doubts),
        spans=tuple(spans),
        doubts=tuple(doubts),
    )


def _with_long_runs(found: list[Finding], long_runs: list[tuple[int, int]]) -> list[Finding]:
    """`found`, where each long run and every finding that overlaps it (or overlaps one that does) become a
    single [CARD]: a long run is replaced whole, and an address or a date reaching into it with it."""
    if not long_runs:
        return found
    spans = sorted([(start, end, None) for start, end in long_runs] +
                   [(finding.start, finding.end, finding) for finding in found], key=lambda span: span[:2])
    kept: list[Finding] = []
    group: list[Finding | None] = []
    group_start = group_end = 0
    for start, end, finding in spans:
        if group and start >= group_end:
            kept += _closed(group, group_start, group_end)
            group = []
        if not group:
            group_start, group_end = start, end
        group.append(finding)
        group_end = max(group_end, end)
    return kept + _closed(group, group_start, group_end)


def _closed(group: list[Finding | None], start: int, end: int) -> list[Finding]:
    """A group of overlapping spans: one [CARD] over all of it if it holds a long run (None), else its findings."""
    if None in group:
        return [Finding(detectors.CARD, start, end)]
    return group


def confidence_of(doubts: Iterable[Doubt]) -> float:
    return round(math.prod(1 - doubt.weight for doubt in doubts), 4)


def _replaced(text: str, spans: list[Finding]) -> str:
    parts, position = [], 0
    for span in spans:
        parts += [text[position:span.start], token(span.kind)]
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


# `spans` are sorted and never overlap, so the one span that can hold or meet a position is found by bisection.

def _inside(doubt: Doubt, spans: list[Finding], starts: list[int]) -> bool:
    index = bisect_right(starts, doubt.start) - 1
    return index >= 0 and doubt.end <= spans[index].end


def _overlaps(start: int, end: int, spans: list[Finding], starts: list[int]) -> bool:
    index = bisect_left(starts, end) - 1
    return index >= 0 and spans[index].end > start


def _unexplained_spoken_digits(context: Context, spans: list[Finding], starts: list[int]) -> list[Doubt]:
    return [
        detectors.Doubt("spoken digits of uncertain length that are none of the kinds",
                        detectors.DOUBT_UNEXPLAINED_SPOKEN_DIGITS, run.start, run.end)
        for run in context.runs
        if len(run.digits) >= MIN_UNEXPLAINED_SPOKEN_DIGITS and run.spoken
        and not _explained(context, run, spans, starts)
    ]


def _explained(context: Context, run: DigitRun, spans: list[Finding], starts: list[int]) -> bool:
    if _overlaps(run.start, run.end, spans, starts):
        return True
    if detectors.is_money_or_quantity(context, run):
        return True
    preceding = detectors.before(context, run.start, 40)
    if detectors.ends_with_reference(detectors.NOT_A_PHONE_BEFORE, preceding):
        return True
    return spells_kept_phone(context, run)


# --- structured values -----------------------------------------------------------------

@dataclass(frozen=True)
class RedactedValue:
    value: Any
    counts: dict[str, int]
    confidence: float


def redact_value(value: Any, *, keep_phones: Iterable[str] = (), keep_emails: Iterable[str] = (),
                 region: str = "US") -> RedactedValue:
    """`value` with its strings redacted, walking dicts and lists; numbers stay unless they are card numbers."""
    redactor = Redactor(keep_phones=keep_phones, keep_emails=keep_emails, region=region)
    redacted = redactor(value)
    return RedactedValue(redacted, *redactor.totals([value]))


@dataclass
class Redactor:
    """A reusable redactor: call it on any value; it remembers each text's redaction, so a call's
    transcript redacted for its summary figures is not redacted again for each field it is mapped to.

    `totals(values)` gives the counts and the confidence over some values.
    """

    keep_phones: Iterable[str] = ()
    keep_emails: Iterable[str] = ()
    region: str = "US"
    _done: dict[str, Redaction] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.keep_phones = frozenset(self.keep_phones)
        self.keep_emails = frozenset(self.keep_emails)

    def __call__(self, value: Any, *, key: Any = None) -> Any:
        if isinstance(value, str):
            return self._keyed(key, value)[0]
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return token(detectors.CARD) if is_card_number(str(abs(value))) else value
        if isinstance(value, Mapping):
            return {name: self(item, key=name) for name, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self(item, key=key) for item in value]
        return value

    def _keyed(self, key: Any, text: str) -> tuple[str, Redaction]:
        """A structured-data string read with its key as context: {"dateOfBirth": "March 3, 1985"} is
        redacted as "date of birth: March 3, 1985" would be, then given back without the key."""
        label = f"{_words(key)}: " if isinstance(key, str) and key.strip() else ""
        redaction = self.text(label + text)
        if label and redaction.text.startswith(label):
            return redaction.text[len(label):], redaction
        redaction = self.text(text)
        return redaction.text, redaction

    def text(self, text: str) -> Redaction:
        if text not in self._done:
            self._done[text] = redact(text, keep_phones=self.keep_phones, keep_emails=self.keep_emails,
                                      region=self.region)
        return self._done[text]

    def totals(self, values: Iterable[Any]) -> tuple[dict[str, int], float]:
        """(counts, confidence) over the distinct texts in `values` (nested ones too), redacting them if needed."""
        leaves = [leaf for value in values for leaf in _leaves(value)]
        texts = dict.fromkeys((key, leaf) for key, leaf in leaves if isinstance(leaf, str))
        # Two keyed texts can share one redaction (a key that is no cue): count it once.
        unique = {id(redaction): redaction for redaction in (self._keyed(*text)[1] for text in texts)}
        redactions = list(unique.values())
        counts = _summed(redactions)
        cards_as_numbers = sum(1 for _, leaf in leaves if isinstance(leaf, int) and not isinstance(leaf, bool)
                               and is_card_number(str(abs(leaf))))
        if cards_as_numbers:
            counts[detectors.CARD] = counts.get(detectors.CARD, 0) + cards_as_numbers
        return counts, confidence_of(doubt for redaction in redactions for doubt in redaction.doubts)


def _summed(redactions: Iterable[Redaction]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for redaction in redactions:
        total.update(redaction.counts)
    return {kind: total[kind] for kind in KINDS if total[kind]}


def _leaves(value: Any, key: Any = None) -> Iterable[tuple[Any, Any]]:
    """(the nearest key, value) of every value inside dicts and lists, depth first."""
    if isinstance(value, Mapping):
        for name, item in value.items():
            yield from _leaves(item, name)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item, key)
    else:
        yield key, value


def _words(key: str) -> str:
    """"dateOfBirth", "date_of_birth" -> "date of birth"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_\-]+", " ", key).lower().strip()
