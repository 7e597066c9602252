"""The canonical call document, built from calls the webhooks filled."""

import json
import re
from pathlib import Path

import pytest
from django.utils import timezone

from calls.models import Call, TranscriptSegment
from crm.services.call_document import call_document, confidence, split_name
from integrations.salesforce.mapping import CANONICAL_ROOTS, DOCUMENT_PATHS, OPEN_PATHS
from tests.factories import CallFactory, LeadFactory
from tests.support.signing import twilio_fixture, vapi_fixture

pytestmark = pytest.mark.django_db

CALL_ID = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "mapping.md"


def paths_of(value: dict, prefix: str = "") -> set[str]:
    found = set()
    for key, child in value.items():
        path = f"{prefix}{key}"
        if isinstance(child, dict) and path not in OPEN_PATHS:
            found |= paths_of(child, path + ".")
        else:
            found.add(path)
    return found


def document_for(post_vapi, *fixtures: str) -> dict:
    for name in fixtures:
        assert post_vapi(vapi_fixture(name)).status_code == 200
    return call_document(Call.objects.get())


def test_a_reported_call_fills_every_root(post_vapi):
    doc = document_for(post_vapi, "end-of-call-report")
    assert tuple(doc) == CANONICAL_ROOTS
    assert doc["caller"] == {
        "phone": "+14155550123", "phone_raw": "+14155550123", "name": "Dana Whitfield", "first_name": "Dana",
        "last_name": "Whitfield", "company": "Northwind Logistics", "email": "dana.whitfield@example.com",
    }
    call = doc["call"]
    assert (call["id"], call["vapi_call_id"], call["twilio_call_sid"]) == (
        CALL_ID, CALL_ID, "CA1f2e3d4c5b6a79880123456789abcdef")
    assert (call["direction"], call["type"], call["status"], call["ended_reason"]) == (
        "inbound", "inboundPhoneCall", "ended", "customer-ended-call")
    assert (call["started_at"], call["ended_at"]) == ("2026-11-19T15:04:05.123Z", "2026-11-19T15:08:17.489Z")
    assert call["duration_seconds"] == pytest.approx(252.366) and call["cost"] == pytest.approx(0.3269)
    assert call["incomplete"] is False and call["success_evaluation"] == "true"
    assert call["subject"] == "AI call with Dana Whitfield (Northwind Logistics)"
    assert call["recording_url"].startswith(f"https://storage.vapi.ai/{CALL_ID}")
    assert call["summary"].startswith("Dana Whitfield, VP of Operations") and call["summary"] == doc["analysis"]["summary"]
    assert doc["analysis"]["structuredData"]["budget"] == "$40,000 this quarter"
    assert doc["analysis"]["successEvaluation"] == "true"
    assert doc["qualification"] == {"score": 100, "status": "hot", "intent": "sales", "intent_confidence": None}
    assert doc["consent"]["status"] == "given" and doc["consent"]["given"] is True
    assert CALL_ID in doc["consent"]["record"] and "+14155550123" in doc["consent"]["record"]
    assert doc["lead"]["salesforce_id"] is None


def test_the_document_is_json_and_has_exactly_the_documented_paths(post_vapi):
    doc = document_for(post_vapi, "end-of-call-report")
    assert json.loads(json.dumps(doc)) == doc
    assert paths_of(doc) == set(DOCUMENT_PATHS)


def test_docs_mapping_md_describes_every_path_with_an_example():
    rows = {}
    for line in DOCS.read_text().splitlines():
        match = re.match(r"^\| `([\w.]+)` \| (.+?) \| (.+?) \|$", line)
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3))
    missing = [path for path in DOCUMENT_PATHS if path not in rows]
    assert missing == []
    assert all(meaning.strip() and example.strip() for meaning, example in rows.values())


def test_the_transcript_reads_as_a_conversation_from_the_report(post_vapi):
    doc = document_for(post_vapi, "end-of-call-report")
    lines = doc["transcript"].split("\n")
    assert lines[0].startswith("Assistant: Hi, thanks for calling Callsync!")
    assert lines[1].startswith("Caller: That's fine. Hi Ava, this is Dana Whitfield.")
    assert len(lines) == TranscriptSegment.objects.filter(source="report").count()
    assert all(line.startswith(("Caller: ", "Assistant: ")) for line in lines)


def test_before_the_report_the_conversation_update_beats_live_transcripts(post_vapi):
    doc = document_for(post_vapi, "transcript-final")
    assert doc["transcript"] == "Caller: We have about forty thousand dollars set aside this quarter."
    assert doc["call"]["incomplete"] is True
    doc = document_for(post_vapi, "conversation-update")
    conversation = TranscriptSegment.objects.filter(source="conversation").order_by("seconds_from_start", "id")
    assert doc["transcript"].split("\n") == [
        f"{'Caller' if s.role == 'user' else 'Assistant'}: {s.text.strip()}" for s in conversation]
    assert TranscriptSegment.objects.filter(source="live").exists()  # still there, just not used


def test_a_call_with_no_words_has_no_transcript(post_vapi):
    doc = document_for(post_vapi, "status-update-ringing")
    assert doc["transcript"] is None and doc["call"]["incomplete"] is True


def test_the_caller_falls_back_to_the_lead_mirror_when_nothing_was_said(post_vapi):
    LeadFactory(phone_e164="+14155550123", email="dana@northwind.example", salesforce_id="00Q5g00000Lead0042")
    doc = document_for(post_vapi, "status-update-ended")
    assert (doc["caller"]["name"], doc["caller"]["first_name"], doc["caller"]["last_name"]) == (
        "Dana Whitfield", "Dana", "Whitfield")
    assert (doc["caller"]["company"], doc["caller"]["email"]) == ("Northwind Logistics", "dana@northwind.example")
    assert doc["lead"] == {
        "salesforce_id": "00Q5g00000Lead0042", "first_name": "Dana", "last_name": "Whitfield", "name": "Dana Whitfield",
        "company": "Northwind Logistics", "email": "dana@northwind.example", "owner_name": "Sam Rivera",
        "phone": "+14155550123",
    }


def test_a_spoken_name_is_never_mixed_with_the_mirror_s_surname(post_vapi):
    LeadFactory(phone_e164="+14155550123", first_name="Robert", last_name="Whitfield")
    post_vapi(vapi_fixture("end-of-call-report"))
    Call.objects.update(structured_data={"firstName": "Dana", "company": ""})
    doc = call_document(Call.objects.get())
    assert (doc["caller"]["first_name"], doc["caller"]["last_name"]) == ("Dana", None)
    assert doc["caller"]["company"] == "Northwind Logistics"  # company falls back on its own
    assert doc["lead"]["first_name"] == "Robert"


def test_an_outbound_call_names_its_salesforce_lead_and_the_first_name_it_was_given(post_vapi):
    doc = document_for(post_vapi, "end-of-call-report-outbound")
    assert doc["lead"]["salesforce_id"] == "00Q5g00000AbCdEEAZ"
    assert (doc["caller"]["first_name"], doc["caller"]["last_name"], doc["caller"]["company"]) == ("Priya", None, None)
    assert doc["call"]["direction"] == "outbound" and doc["call"]["subject"] == "AI call with Priya"
    assert doc["consent"] == {"status": "unknown", "given": None, "record": None}


def test_the_outbound_lead_id_finds_the_mirror_row_before_the_phone_does(post_vapi):
    LeadFactory(phone_e164="+12065550147", first_name="Someone", last_name="Else", salesforce_id="00Q5g00000Other001")
    LeadFactory(phone_e164="+12065550000", first_name="Priya", last_name="Raman", salesforce_id="00Q5g00000AbCdEEAZ")
    doc = document_for(post_vapi, "end-of-call-report-outbound")
    assert doc["lead"]["name"] == "Priya Raman"
    assert doc["caller"]["last_name"] == "Raman"  # no spoken name: the mirror names the caller


@pytest.mark.parametrize(("structured", "expected"), [
    ({"first_name": "Ana", "Last Name": "López", "companyName": "Acme", "emailAddress": "ana@acme.example"},
     ("Ana López", "Ana", "López", "Acme", "ana@acme.example")),
    ({"fullName": "Juan de la Cruz", "organisation": "Cruz & Co", "E-Mail": "juan@cruz.example"},
     ("Juan de la Cruz", "Juan", "de la Cruz", "Cruz & Co", "juan@cruz.example")),
    ({"customer_name": "  Cher ", "business": "Believe LLC"}, ("Cher", "Cher", None, "Believe LLC", None)),
    ({"name": 42, "company": ["not", "text"]}, (None, None, None, None, None)),
])
def test_common_spellings_of_structured_data_keys(structured, expected):
    call = CallFactory(customer_number="", structured_data=structured)
    caller = call_document(call)["caller"]
    assert (caller["name"], caller["first_name"], caller["last_name"], caller["company"], caller["email"]) == expected


def test_intent_and_confidence_come_from_structured_data():
    call = CallFactory(structured_data={"callIntent": "support", "intent_confidence": "0.87"})
    assert call_document(call)["qualification"] == {
        "score": None, "status": None, "intent": "support", "intent_confidence": 0.87}


@pytest.mark.parametrize(("said", "expected"), [
    (0.87, 0.87), ("87%", 0.87), (87, 0.87), (1, 1.0), (0, 0.0), ("high", "high"), (250, 250), (True, None),
])
def test_confidence_is_a_share_from_zero_to_one(said, expected):
    assert confidence(said) == (pytest.approx(expected) if isinstance(expected, float) else expected)


def test_split_name_keeps_surname_particles_together():
    assert split_name("Dana Whitfield") == ("Dana", "Whitfield")
    assert split_name("Cher") == ("Cher", None)
    assert split_name(None) == (None, None)


def test_a_twilio_recording_stands_in_when_vapi_sent_none(post_vapi, post_twilio):
    post_vapi(vapi_fixture("status-update-in-progress"))
    assert post_twilio("/webhooks/twilio/recording/", twilio_fixture("recording-completed")).status_code == 200
    doc = call_document(Call.objects.get())
    assert doc["call"]["recording_url"].startswith("https://api.twilio.com/2010-04-01/Accounts/")
    assert doc["call"]["recording_url"].endswith("/Recordings/RE2654241e34265f2f49b64732bf344ee0")


def test_a_call_known_only_to_twilio_is_identified_by_its_callsid():
    started = timezone.now()
    call = CallFactory(vapi_call_id=None, twilio_call_sid="CA0123", customer_number="", customer_number_raw="",
                       started_at=started, ended_at=started + timezone.timedelta(seconds=30))
    doc = call_document(call)
    assert doc["call"]["id"] == "CA0123" and doc["call"]["vapi_call_id"] is None
    assert doc["call"]["duration_seconds"] == 30.0
    assert doc["call"]["subject"] == "AI call"


def test_building_a_document_takes_at_most_three_queries(django_assert_max_num_queries):
    lead = LeadFactory()
    call = CallFactory(lead=lead, recording_url="")
    call.recordings.create(recording_sid="RE1", url="https://api.twilio.com/Recordings/RE1", status="completed")
    TranscriptSegment.objects.bulk_create(
        TranscriptSegment(call=call, source=source, segment_key=f"{source}:{n}", role=("user", "assistant")[n % 2],
                          text=f"turn {n}", seconds_from_start=n)
        for source in ("live", "conversation") for n in range(60)
    )
    fresh = Call.objects.select_related("qualification").get(pk=call.pk)  # as the sync loads calls
    with django_assert_max_num_queries(3):
        doc = call_document(fresh)
    assert doc["lead"]["owner_name"] == "Sam Rivera"
    assert doc["call"]["recording_url"] == "https://api.twilio.com/Recordings/RE1"
    assert len(doc["transcript"].split("\n")) == 60
