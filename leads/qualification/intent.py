"""The caller's intent: what the assistant concluded, else a transparent count of keywords.

The assistant's structured data (intent/callIntent/intentType) wins when it names one; its
word is mapped onto our intents ("Sales inquiry" is sales, a word we do not know is other).
Otherwise every enabled IntentRule's keywords are counted in the caller's own lines (whole
words, any case); the intent with the most hits wins, ties going to the first in
Intent's order (sales, support, billing, partnership, spam, other). Its confidence is

    share of all hits × hits / (hits + 1)

so one lone "pricing" gives 0.5, three sales words and nothing else 0.75, and two
sales words against one support word 0.44. No hits: no intent ("").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from leads.call_facts import INTENT_CONFIDENCE_KEYS, INTENT_KEYS, confidence, pick
from leads.qualification.answers import normalise, quote
from leads.qualification.evidence import CallEvidence, Turn

INTENTS = ("sales", "support", "billing", "partnership", "spam", "other")  # leads.models.Intent, in its order
KEYWORD_SOURCE = "keywords"
EVIDENCE_LIMIT = 20
# How assistants name an intent, beyond our own words.
INTENT_WORDS = {
    **{intent: intent for intent in INTENTS},
    "sale": "sales", "purchase": "sales", "buying": "sales", "pricing": "sales", "demo": "sales", "lead": "sales",
    "prospect": "sales", "quote": "sales", "new business": "sales",
    "help": "support", "service": "support", "customer service": "support", "technical": "support", "tech": "support",
    "complaint": "support", "cancellation": "support",
    "invoice": "billing", "payment": "billing", "refund": "billing", "charge": "billing",
    "partner": "partnership", "reseller": "partnership", "integration partner": "partnership",
    "robocall": "spam", "telemarketing": "spam", "scam": "spam", "solicitation": "spam", "junk": "spam",
}
NO_INTENT = frozenset({"unknown", "unclear", "none", "n/a", "na", "not sure", "undetermined"})


@dataclass(frozen=True)
class KeywordRule:
    intent: str
    keywords: tuple[str, ...]

    @classmethod
    def from_row(cls, row: Any) -> KeywordRule:
        """From an IntentRule (or anything with its attributes)."""
        words = tuple(dict.fromkeys(" ".join(line.lower().split()) for line in row.keywords.splitlines()))
        return cls(intent=row.intent, keywords=tuple(word for word in words if word))


@dataclass(frozen=True)
class IntentResult:
    intent: str = ""  # one of INTENTS, or "" when unknown
    confidence: float | None = None
    source: str = ""  # "structuredData.intent", "keywords", or ""
    evidence: tuple[dict[str, Any], ...] = ()


def normalise_intent(word: str) -> str:
    """"Sales inquiry" -> sales, "TECH_SUPPORT" -> support, "unknown" -> "", "complaint about noise" -> support."""
    text = " ".join(re.sub(r"[_\-/]", " ", word).lower().split())
    if not text or text in NO_INTENT:
        return ""
    if text in INTENT_WORDS:
        return INTENT_WORDS[text]
    return next((INTENT_WORDS[part] for part in text.split() if part in INTENT_WORDS), "other")


def structured_intent(structured: dict[str, Any]) -> IntentResult | None:
    """The intent the assistant named in structuredData, with its confidence (0-1) when it gave one."""
    for key in INTENT_KEYS:
        value = pick(structured, key)
        if value is None:
            continue
        named, said_confidence = value, pick(structured, *INTENT_CONFIDENCE_KEYS)
        if isinstance(value, dict):  # {"intent": {"type": "sales", "confidence": 0.9}}
            named = pick(value, "name", "type", "value", "intent", "category")
            said_confidence = pick(value, "confidence", "score") if said_confidence is None else said_confidence
        intent = normalise_intent(named) if isinstance(named, str) else ""
        if intent:
            share = confidence(said_confidence)
            return IntentResult(intent=intent, confidence=share if isinstance(share, float) else None,
                                source=f"structuredData.{key}", evidence=({"value": value},))
    return None


def _pattern(keywords: tuple[str, ...]) -> re.Pattern:
    # Longest first, so "integration partner" is one hit, not also a "partner".
    phrases = sorted(keywords, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def classify_keywords(turns: tuple[Turn, ...], rules: tuple[KeywordRule, ...]) -> IntentResult:
    keywords: dict[str, tuple[str, ...]] = {}
    for rule in rules:
        keywords[rule.intent] = keywords.get(rule.intent, ()) + rule.keywords
    patterns = {intent: _pattern(words) for intent, words in keywords.items() if words}
    hits: dict[str, int] = {}
    evidence: list[dict[str, Any]] = []
    for turn in (turn for turn in turns if turn.is_caller):
        text = normalise(turn.text)
        for intent in sorted(patterns, key=_order):
            found = [" ".join(match.group(0).lower().split()) for match in patterns[intent].finditer(text)]
            if found:
                hits[intent] = hits.get(intent, 0) + len(found)
                evidence.append({"intent": intent, "keywords": found, "quote": quote(text),
                                 "seconds_from_start": turn.seconds_from_start})
    if not hits:
        return IntentResult()
    top = min(hits, key=lambda intent: (-hits[intent], _order(intent)))
    share = hits[top] / sum(hits.values()) * hits[top] / (hits[top] + 1)
    return IntentResult(intent=top, confidence=round(share, 4), source=KEYWORD_SOURCE,
                        evidence=tuple(evidence[:EVIDENCE_LIMIT]))


def _order(intent: str) -> int:
    return INTENTS.index(intent) if intent in INTENTS else len(INTENTS)


def classify(evidence: CallEvidence, rules: tuple[KeywordRule, ...]) -> IntentResult:
    return structured_intent(evidence.structured) or classify_keywords(evidence.turns, rules)
