"""The requests of one simulated call, built from the recorded fixtures.

Every fixture belongs to one of a few recorded calls; a simulated call replays the
scenario's steps with a fresh identity (Vapi call id, Twilio CallSid, caller number)
written over every recorded one, message timestamps from now in step order, and the
scenario's edit of the report. Requests of one call go out in order (shuffled or
doubled as the delivery mode says); calls go out side by side."""

from __future__ import annotations

import copy
import json
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl

from devtools.simulation.scenarios import Delivery, Scenario, Step

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
VAPI_PATH = "/webhooks/vapi/"
TWILIO_STATUS_PATH = "/webhooks/twilio/status/"
# Caller numbers of simulated calls: fictional 555-01xx-style numbers, unique per call.
_NUMBER_AREAS = (206, 312, 415, 512, 617, 646, 773, 818)
# Salesforce ids the recorded outbound calls carry: the sandbox has no such lead.
_RECORDED_LEAD_KEYS = ("salesforceLeadId", "leadId")


@dataclass(frozen=True)
class Request:
    provider: str  # "vapi" or "twilio"
    path: str
    message_type: str  # "status-update", "transcript", ..., or "twilio:<CallStatus>"
    body: bytes = b""  # Vapi: the JSON body as sent
    params: tuple[tuple[str, str], ...] = ()  # Twilio: the form parameters, in order


@dataclass(frozen=True)
class SimulatedCall:
    scenario: Scenario
    call_id: str
    call_sid: str
    number: str
    requests: tuple[Request, ...]


@dataclass(frozen=True)
class Identity:
    call_id: str
    call_sid: str
    number: str

    @classmethod
    def for_index(cls, index: int, seed: int) -> Identity:
        call_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"callsync-simulation-{seed}-{index}"))
        area = _NUMBER_AREAS[(seed + index // 10_000) % len(_NUMBER_AREAS)]
        return cls(call_id, "CA" + uuid.uuid5(uuid.NAMESPACE_URL, call_id).hex, f"+1{area}555{index % 10_000:04d}")


@cache
def _vapi_fixture(name: str) -> list[dict]:
    data = json.loads((FIXTURES / "vapi" / f"{name}.json").read_text())
    return data if isinstance(data, list) else [data]


@cache
def _twilio_fixture(name: str) -> tuple[tuple[str, str], ...]:
    return tuple(parse_qsl((FIXTURES / "twilio" / f"{name}.txt").read_text().strip(), keep_blank_values=True))


@cache
def recorded_identities() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Every call id, CallSid and caller number the recorded Vapi fixtures use."""
    ids, sids, numbers = set(), set(), set()
    for path in (FIXTURES / "vapi").glob("*.json"):
        name = path.stem
        for envelope in _vapi_fixture(name):
            call = (envelope.get("message") or {}).get("call") or {}
            ids.add(call.get("id"))
            sids.add(call.get("phoneCallProviderId"))
            numbers.add((call.get("customer") or {}).get("number"))
    for discard in (ids, sids, numbers):
        discard.discard(None)
    return frozenset(ids), frozenset(sids), frozenset(numbers)


def _rewrite_text(text: str, identity: Identity) -> str:
    ids, sids, numbers = recorded_identities()
    for old, new in ((ids, identity.call_id), (sids, identity.call_sid), (numbers, identity.number)):
        for value in old:
            text = text.replace(value, new)
    return text


# --- edits of the report ----------------------------------------------------------------

def _need_only(message: dict) -> None:
    """Interested, but nothing more: the caller named a need and ended the call."""
    _keep_lines(message, message["artifact"]["messages"][:5], summary="The caller described a need, then had to go.")


def _mid_qualification(message: dict) -> None:
    """The caller named the need and the budget, then the line dropped."""
    _keep_lines(message, message["artifact"]["messages"][:7], summary="The call dropped during qualification.",
                ended_reason="customer-ended-call")


def _no_answer(message: dict) -> None:
    message["endedReason"] = message["call"]["endedReason"] = "customer-did-not-answer"
    _keep_lines(message, message["artifact"]["messages"][:1], summary="")


def _keep_lines(message: dict, lines: list[dict], *, summary: str, ended_reason: str | None = None) -> None:
    message["artifact"]["messages"] = message["messages"] = lines
    said = "\n".join(f"{'AI' if line['role'] == 'bot' else 'User'}: {line['message']}" for line in lines
                     if line["role"] in ("bot", "user"))
    message["artifact"]["transcript"] = message["transcript"] = said
    message["analysis"] = {"summary": summary, "structuredData": {}, "successEvaluation": "false"}
    if ended_reason:
        message["endedReason"] = ended_reason


REPORT_EDITS: dict[str, Callable[[dict], None]] = {
    "": lambda message: None,
    "voicemail": lambda message: None,  # the recorded outbound report is a voicemail already
    "need-only": _need_only,
    "mid-qualification": _mid_qualification,
    "no-answer": _no_answer,
}


# --- building the requests ----------------------------------------------------------------

def build_call(scenario: Scenario, index: int, *, seed: int, rng: random.Random) -> SimulatedCall:
    identity = Identity.for_index(index, seed)
    requests = [request for position, step in enumerate(scenario.steps)
                for request in _step_requests(step, scenario, identity, position)]
    requests = _delivered(requests, scenario.delivery, rng)
    return SimulatedCall(scenario, identity.call_id, identity.call_sid, identity.number, tuple(requests))


def _step_requests(step: Step, scenario: Scenario, identity: Identity, position: int) -> list[Request]:
    if step.provider == "twilio":
        return [_twilio_request(step, identity)]
    envelopes = _vapi_fixture(step.fixture)
    chosen = envelopes[step.items] if step.items is not None else envelopes
    now_ms = int(time.time() * 1000)
    return [_vapi_request(step, scenario, envelope, identity, now_ms + (position * 20 + offset) * 250)
            for offset, envelope in enumerate(chosen)]


def _vapi_request(step: Step, scenario: Scenario, envelope: dict, identity: Identity, timestamp_ms: int) -> Request:
    envelope = copy.deepcopy(envelope)
    message = envelope["message"]
    message["timestamp"] = timestamp_ms
    if step.tools:
        _keep_tools(message, step.tools)
    if message.get("type") == "end-of-call-report" and step.fixture == scenario.report:
        REPORT_EDITS[scenario.report_edit](message)
    _forget_recorded_leads(message.get("call") or {})
    body = _rewrite_text(json.dumps(envelope), identity).encode()
    return Request("vapi", VAPI_PATH, message.get("type", "").split("[", 1)[0], body=body)


def _keep_tools(message: dict, tools: tuple[str, ...]) -> None:
    def name(item: dict) -> str:
        return (item.get("function") or {}).get("name") or item.get("name") or ""

    message["toolCallList"] = [item for item in message.get("toolCallList", []) if name(item) in tools]
    message["toolWithToolCallList"] = [item for item in message.get("toolWithToolCallList", [])
                                       if name(item.get("toolCall") or item) in tools]


def _forget_recorded_leads(call: dict) -> None:
    """Outbound calls start from a lead Salesforce has; the recorded id is nobody's here."""
    for key in ("variableValues", "metadata"):
        values = (call.get("assistantOverrides") or {}).get(key) or {}
        for name in _RECORDED_LEAD_KEYS:
            values.pop(name, None)


def _twilio_request(step: Step, identity: Identity) -> Request:
    _, _, numbers = recorded_identities()
    params = []
    for name, value in _twilio_fixture(step.fixture):
        if name == "CallSid":
            value = identity.call_sid
        elif value in numbers:  # the caller's number, under whichever name (From, To, Caller, Called)
            value = identity.number
        params.append((name, value))
    status = dict(params).get("CallStatus", "")
    return Request("twilio", TWILIO_STATUS_PATH, f"twilio:{status}", params=tuple(params))


def _delivered(requests: list[Request], delivery: Delivery, rng: random.Random) -> list[Request]:
    if delivery == Delivery.DUPLICATES:
        return [request for request in requests for _ in range(2)]
    if delivery == Delivery.OUT_OF_ORDER:
        shuffled = list(requests)
        rng.shuffle(shuffled)
        return shuffled
    if delivery == Delivery.LOST_REPORT:
        return [request for request in requests if request.message_type != "end-of-call-report"]
    return requests


def build_calls(scenario_names: list[str], *, seed: int) -> list[SimulatedCall]:
    """One simulated call per name, reproducible from the seed."""
    from devtools.simulation.scenarios import SCENARIOS

    rng = random.Random(seed)
    return [build_call(SCENARIOS[name], index, seed=seed, rng=rng) for index, name in enumerate(scenario_names)]


def pick_scenarios(scenario: str, count: int, *, seed: int) -> list[str]:
    """`count` scenario names: all the same, or drawn by MIX_WEIGHTS for "mix"."""
    from devtools.simulation.scenarios import MIX_WEIGHTS

    if scenario != "mix":
        return [scenario] * count
    names, weights = zip(*MIX_WEIGHTS.items())
    return random.Random(seed).choices(names, weights=weights, k=count)
