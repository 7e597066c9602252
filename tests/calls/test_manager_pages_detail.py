"""One call's page (/calls/<id>/): the conversation, the recording, the evidence, tool calls and the sync timeline."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from calls.models import Call, DispositionChange, Recording, ToolInvocation, WebhookEvent
from crm.models import Role, SyncAttempt, SyncedRecord
from integrations.salesforce.config import SalesforceConfig
from integrations.salesforce.tokens import TokenProvider
from tests.calls.manager_pages_support import scored_call
from tests.factories import CallFactory, LeadFactory, SyncJobFactory, TranscriptSegmentFactory
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db


def test_the_detail_page_costs_a_fixed_number_of_queries(manager, policy):
    def queries_for(call) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager.get(f"/calls/{call.pk}/").status_code == 200
        return len(captured)

    small, big = scored_call(policy), scored_call(policy)
    for call, lines in ((small, 2), (big, 40)):
        job = SyncJobFactory(call=call)
        for index in range(lines):
            TranscriptSegmentFactory(call=call, seconds_from_start=index, role="user" if index % 2 else "assistant")
            ToolInvocation.objects.create(call=call, tool_call_id=f"t{index}", name="score_lead", arguments={})
            SyncAttempt.objects.create(job=job, started_at=timezone.now(), outcome="retry")
            WebhookEvent.objects.create(provider="vapi", path="/webhooks/vapi/", call=call, event_type="transcript")
    assert queries_for(big) == queries_for(small)


# --- one call ----------------------------------------------------------------------------------

def test_a_posted_report_reads_as_a_conversation_with_audio_and_timestamps(manager, post_vapi):
    post_vapi(vapi_fixture("end-of-call-report"))
    call = Call.objects.get()
    response = manager.get(f"/calls/{call.pk}/")
    html = response.content.decode()
    lines = response.context["conversation"]
    assert lines and {line.speaker for line in lines} <= {"Caller", "Assistant"}
    assert [line.seconds_from_start for line in lines] == sorted(line.seconds_from_start for line in lines)
    assert 'id="transcript"' in html and lines[0].text[:30] in html
    assert f'<audio id="recording" controls preload="none" src="{escape(call.recording_url)}">' in html
    assert call.summary[:40] in html
    assert "end-of-call-report received" in html  # the timeline lists the webhook


def test_the_transcript_comes_from_the_most_complete_source_with_mm_ss(manager):
    call = CallFactory()
    TranscriptSegmentFactory(call=call, source="live", role="user", text="live words", seconds_from_start=1)
    TranscriptSegmentFactory(call=call, source="report", role="assistant", text="Hi, this is Ava.",
                             seconds_from_start=0.4)
    TranscriptSegmentFactory(call=call, source="report", role="user", text="We need it by March.",
                             seconds_from_start=75.2)
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    assert "live words" not in html
    assert "Hi, this is Ava." in html and "We need it by March." in html
    assert ">0:00</button>" in html and ">1:15</button>" in html
    assert 'class="utterance caller"' in html and 'class="utterance assistant"' in html


def test_twilio_recording_plays_when_vapi_sent_none(manager):
    call = CallFactory(recording_url="")
    Recording.objects.create(call=call, recording_sid="RE1", status="completed",
                             url="https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1")
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    assert 'id="recording"' in html and "Recordings/RE1" in html


def test_the_evidence_per_dimension_with_policy_version_and_disposition_history(manager, policy, django_user_model):
    call = scored_call(policy, disposition="QualifiedLead", lead=LeadFactory())
    qualification = call.qualification
    qualification.dimensions["timeline"].update(weight=25, quote="about six weeks", source="transcript",
                                                reason="matched a positive pattern")
    qualification.dimensions["need"] = {"verdict": "missing", "credit": 0, "weight": 25, "evidence": []}
    qualification.save()
    DispositionChange.objects.create(call=call, disposition="QualifiedLead", reason="rule #1: hot lead")
    response = manager.get(f"/calls/{call.pk}/")
    html = response.content.decode()
    rows = {row.dimension: row for row in response.context["evidence"]}
    assert list(rows) == ["budget", "authority", "need", "timeline"]
    assert rows["timeline"].points == 10.0 and rows["timeline"].quote == "about six weeks"
    assert rows["need"].verdict == "missing"
    assert "BANT v3" in html and "10.0 / 25" in html and "matched a positive pattern" in html
    assert "rule #1: hot lead" in html and "Sales" in html  # history and intent
    assert reverse("admin:leads_lead_change", args=[call.lead.pk]) in html


def test_tool_calls_and_the_sync_timeline_with_links_to_salesforce(manager, salesforce):
    call = CallFactory()
    ToolInvocation.objects.create(call=call, tool_call_id="call_1", name="lookup_lead",
                                  arguments={"phone": "+14155550123"}, result='{"found": true}', duration_ms=42)
    job = SyncJobFactory(call=call)
    SyncedRecord.objects.create(job=job, role=Role.LEAD, sobject="Lead", salesforce_id="00Q5g00000AbCdEEAZ")
    SyncedRecord.objects.create(job=job, role=Role.CALL_TASK, sobject="Task", salesforce_id="00T5g00000XyZ12AAB")
    SyncAttempt.objects.create(job=job, started_at=timezone.now() - timedelta(minutes=1), outcome="retry",
                               api_requests=1, error_code="UNABLE_TO_LOCK_ROW", error="row locked")
    SyncAttempt.objects.create(job=job, started_at=timezone.now(), outcome="synced", api_requests=2)
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    assert "lookup_lead" in html and "&quot;phone&quot;: &quot;+14155550123&quot;" in html and "42 ms" in html
    assert "UNABLE_TO_LOCK_ROW: row locked" in html and "2 API requests" in html
    assert "00Q5g00000AbCdEEAZ" in html and "/lightning/" not in html  # the org's address is unknown yet

    instance = TokenProvider(SalesforceConfig.from_settings()).get().instance_url  # a worker logged in
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    assert f'href="{instance}/lightning/r/Lead/00Q5g00000AbCdEEAZ/view"' in html
    assert f'href="{instance}/lightning/r/Task/00T5g00000XyZ12AAB/view"' in html


def test_what_callers_said_is_escaped(manager):
    call = CallFactory(structured_data={"name": "<script>alert(1)</script>"})
    TranscriptSegmentFactory(call=call, text="<img src=x onerror=alert(1)>")
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "&lt;img src=x" in html


def test_a_scored_hot_call_explains_each_dimension_with_the_callers_words(manager, post_vapi):
    post_vapi(vapi_fixture("qualification-hot-report"))
    call = Call.objects.get()
    response = manager.get(f"/calls/{call.pk}/")
    rows = {row.dimension: row for row in response.context["evidence"]}
    stored = call.qualification.dimensions
    assert call.qualification.status == "hot"
    for dimension, row in rows.items():
        assert row.verdict == stored[dimension]["verdict"] and row.quote == str(stored[dimension].get("quote") or "")
        if row.quote:
            assert escape(row.quote) in response.content.decode()
    assert sum(row.points or 0 for row in rows.values()) == pytest.approx(call.qualification.score, abs=2)
