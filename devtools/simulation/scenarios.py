"""The calls the simulator knows, as data.

A scenario is a list of steps, each a recorded delivery from tests/fixtures (Vapi JSON or a
Twilio form body), replayed in order for a fresh call identity, plus how the report is
edited and what the call must end as. A delivery mode (duplicates, out-of-order, lost
report) changes how the same steps travel, not what they say."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Delivery(str, Enum):
    NORMAL = "normal"
    DUPLICATES = "duplicates"  # every request arrives twice
    OUT_OF_ORDER = "out-of-order"  # the call's requests arrive shuffled
    LOST_REPORT = "lost-report"  # the end-of-call report never arrives


@dataclass(frozen=True)
class Step:
    provider: str  # "vapi" or "twilio"
    fixture: str  # file name under tests/fixtures/<provider>/, without extension
    items: slice | None = None  # for fixtures that hold a list of deliveries
    tools: tuple[str, ...] = ()  # tool-calls: keep only the calls of these tools


@dataclass(frozen=True)
class Scenario:
    name: str
    report: str  # the fixture whose call this scenario's identity comes from
    steps: tuple[Step, ...]
    disposition: str  # what the call must end as ("" when nothing decides one)
    report_edit: str = ""  # a named edit of the report (see events.REPORT_EDITS)
    delivery: Delivery = Delivery.NORMAL
    description: str = ""


def vapi(fixture: str, **options) -> Step:
    return Step("vapi", fixture, **options)


def twilio(fixture: str) -> Step:
    return Step("twilio", fixture)


_INBOUND_START = (vapi("status-update-ringing"), twilio("status-ringing"), vapi("status-update-in-progress"),
                  twilio("status-in-progress"))
_INBOUND_END = (vapi("status-update-ended"), twilio("status-completed"))
_LIVE = vapi("qualification-live-transcripts")
_CHATTER = (vapi("speech-update"), vapi("transcript-partial"), vapi("user-interrupted"))


def _inbound(report: str, *middle: Step) -> tuple[Step, ...]:
    return (*_INBOUND_START, *middle, *_INBOUND_END, vapi(report))


_HOT = _inbound("qualification-hot-report", _LIVE, vapi("tool-calls", tools=("lookup_lead",)), vapi("hang"))

BASE: dict[str, Scenario] = {scenario.name: scenario for scenario in (
    Scenario("hot", "qualification-hot-report", _HOT, "QualifiedLead",
             description="budget, authority, need and timeline, live transcripts and an in-call look-up"),
    Scenario("warm", "qualification-no-budget-report",
             _inbound("qualification-no-budget-report", *_CHATTER, vapi("conversation-update")), "NotQualified",
             description="interested, but no budget this year"),
    Scenario("cold", "qualification-hot-report",
             _inbound("qualification-hot-report", vapi(_LIVE.fixture, items=slice(0, 3))),
             "NotQualified", report_edit="need-only",
             description="names a need, then goes: nothing about budget, authority or timeline"),
    Scenario("voicemail", "end-of-call-report-outbound",
             (vapi("status-update-ringing"), vapi("status-update-ended"), vapi("end-of-call-report-outbound")),
             "VoicemailLeft", report_edit="voicemail", description="outbound call that reached voicemail"),
    Scenario("no-answer", "end-of-call-report-outbound",
             (vapi("status-update-ringing"), vapi("status-update-no-answer"), twilio("status-no-answer"),
              vapi("end-of-call-report-outbound")),
             "NoAnswer", report_edit="no-answer", description="outbound call nobody picked up"),
    Scenario("support", "qualification-support-report", _inbound("qualification-support-report", *_CHATTER),
             "SupportRequest", description="an existing customer with a broken integration"),
    Scenario("spam", "qualification-spam-report", _inbound("qualification-spam-report"), "Spam",
             description="a robocall"),
    Scenario("hang-up", "qualification-hot-report",
             (*_INBOUND_START, vapi(_LIVE.fixture, items=slice(0, 5)), *_INBOUND_END,
              vapi("qualification-hot-report")),
             "NotQualified", report_edit="mid-qualification",
             description="hangs up after need and budget, before authority and timeline"),
)}


def _variant(name: str, base: str, delivery: Delivery, description: str, disposition: str | None = None) -> Scenario:
    scenario = BASE[base]
    return Scenario(name, scenario.report, scenario.steps,
                    scenario.disposition if disposition is None else disposition, scenario.report_edit, delivery,
                    description)


VARIANTS: dict[str, Scenario] = {scenario.name: scenario for scenario in (
    _variant("duplicates", "hot", Delivery.DUPLICATES, "the hot call with every request delivered twice"),
    _variant("out-of-order", "hot", Delivery.OUT_OF_ORDER, "the hot call with its requests shuffled"),
    # Without its report the call is closed from its status alone, after the report grace period.
    _variant("lost-report", "warm", Delivery.LOST_REPORT, "the warm call whose end-of-call report never arrives",
             disposition=""),
)}

SCENARIOS: dict[str, Scenario] = {**BASE, **VARIANTS}

# How often each scenario comes up in `--scenario mix`, roughly as on a busy inbound line.
MIX_WEIGHTS: dict[str, int] = {
    "hot": 15, "warm": 15, "cold": 10, "voicemail": 10, "no-answer": 10, "support": 10, "spam": 5, "hang-up": 10,
    "duplicates": 5, "out-of-order": 5, "lost-report": 5,
}
