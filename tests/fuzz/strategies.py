"""Payloads that are wrong in the ways real traffic is: malformed, truncated, oversized
strings, wrongly typed fields, recorded events with parts swapped for nonsense."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
VAPI_FIXTURES = sorted(path.stem for path in (FIXTURES / "vapi").glob("*.json")
                       if not path.stem.startswith("api-") and path.stem != "qualification-live-transcripts")

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=80),
    st.sampled_from(["", " ", "ended", "final", "+14155550123", "2026-11-19T15:04:05.123Z", "not-a-date",
                     "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f", "x" * 300, "\x00", "transcript[", "{}", "[]"]),
)
json_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=15), inner, max_size=5)), max_leaves=20)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    paths = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            paths += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value[:3]):
            paths += _paths(child, (*prefix, index))
    return paths


def _replace(value: Any, path: tuple, new: Any, delete: bool) -> Any:
    if not path:
        return new
    head, *rest = path
    copy = dict(value) if isinstance(value, dict) else list(value)
    if delete and not rest:
        del copy[head]
    else:
        copy[head] = _replace(copy[head], tuple(rest), new, delete)
    return copy


@st.composite
def mutated_vapi_envelopes(draw) -> Any:
    """A recorded Vapi event with one to three parts replaced by anything or removed."""
    envelope = json.loads((FIXTURES / "vapi" / f"{draw(st.sampled_from(VAPI_FIXTURES))}.json").read_text())
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(envelope)
        path = draw(st.sampled_from(paths))
        delete = bool(path) and draw(st.booleans())
        envelope = _replace(envelope, path, None if delete else draw(json_values), delete)
    return envelope


@st.composite
def vapi_bodies(draw) -> bytes:
    """Any body a sender might post: mutated events, any JSON, truncated JSON, raw bytes."""
    kind = draw(st.sampled_from(["mutated", "mutated", "json", "truncated", "bytes", "deep"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "deep":
        depth = draw(st.integers(100, 50_000))
        return b"[" * depth + b"]" * draw(st.sampled_from([0, depth]))
    value = draw(mutated_vapi_envelopes()) if kind in ("mutated", "truncated") else draw(json_values)
    body = json.dumps(value).encode()
    if kind == "truncated":
        body = body[:draw(st.integers(0, max(len(body) - 1, 0)))]
    return body


TWILIO_NAMES = ["CallSid", "AccountSid", "CallStatus", "From", "To", "Direction", "SequenceNumber", "CallDuration",
                "RecordingSid", "RecordingUrl", "RecordingStatus", "RecordingDuration", "Timestamp", "ApiVersion"]
twilio_params = st.dictionaries(
    st.one_of(st.sampled_from(TWILIO_NAMES), st.text(min_size=1, max_size=12)),
    st.one_of(st.text(max_size=70), st.sampled_from(["", "completed", "no-answer", "ringing", "-1", "9" * 30,
                                                     "CA" + "f" * 32, "x" * 100, "outbound-api"])),
    max_size=10,
)
