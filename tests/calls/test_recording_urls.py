"""A recording's address comes from a webhook body: only https (http in DEBUG) reaches a player, a link or
Salesforce (the call document's call.recording_url, mapped to Recording_URL__c)."""

import re
from html import unescape

import pytest

from calls.models import Call, Recording
from crm.services.call_document import call_document
from calls.recordings import playable_url
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

HOSTILE = ["javascript:alert(1)", "JavaScript:alert(document.cookie)", " javascript:alert(1)",
           "java\tscript:alert(1)", "data:audio/wav;base64,UklGRiQAAABXQVZFZm10IBAAAAABAAEA",
           "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "https:alert(1)", "//evil.example/a.wav",
           "file:///etc/passwd", "http://storage.vapi.ai/recording.wav"]


def report_with_recording(url: str) -> dict:
    report = vapi_fixture("end-of-call-report")
    report["message"]["artifact"]["recordingUrl"] = url
    report["message"]["artifact"].pop("stereoRecordingUrl", None)
    report["message"].pop("recordingUrl", None)
    return report


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_recording_address_never_reaches_the_player(post_vapi, manager, url):
    assert post_vapi(report_with_recording(url)).status_code == 200
    call = Call.objects.get()
    assert call.recording_url == url  # stored as it came (the event is not lost), only never played
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    assert '<audio id="recording"' not in html
    assert "No playable recording." in html
    assert "script:" not in html.lower() and "data:" not in html and "file:" not in html


def test_a_twilio_recording_plays_when_the_vapi_address_is_refused(post_vapi, manager):
    post_vapi(report_with_recording("javascript:alert(1)"))
    call = Call.objects.get()
    Recording.objects.create(call=call, recording_sid="RE1", status="completed",
                             url="https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1")
    Recording.objects.create(call=call, recording_sid="RE2", status="completed", url="data:audio/wav;base64,AAAA")
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    assert 'src="https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"' in html
    assert "data:audio" not in html and "javascript:" not in html


def test_an_https_recording_still_plays(post_vapi, manager):
    post_vapi(report_with_recording("https://storage.vapi.ai/recording-mono.wav"))
    html = manager.get(f"/calls/{Call.objects.get().pk}/").content.decode()
    assert '<audio id="recording" controls preload="none" src="https://storage.vapi.ai/recording-mono.wav">' in html


def test_the_admin_shows_a_hostile_address_as_text_not_a_link(post_vapi, admin_client):
    post_vapi(report_with_recording("javascript:alert(1)"))
    html = admin_client.get(f"/admin/calls/call/{Call.objects.get().pk}/change/").content.decode()
    assert 'href="javascript:' not in html.lower()


def test_plain_http_is_playable_only_in_debug(settings):
    settings.DEBUG = False
    assert playable_url("https://storage.vapi.ai/a.wav") and not playable_url("http://localhost:8000/a.wav")
    settings.DEBUG = True
    assert playable_url("http://localhost:8000/a.wav")
    assert not playable_url("javascript:alert(1)") and not playable_url("data:audio/wav;base64,AAAA")


def played(manager, call: Call) -> str:
    """The address the call page plays, "" when it plays none."""
    html = manager.get(f"/calls/{call.pk}/").content.decode()
    found = re.search(r'<audio id="recording" controls preload="none" src="([^"]*)">', html)
    return unescape(found.group(1)) if found else ""


@pytest.mark.parametrize("url", HOSTILE)
def test_the_call_document_refuses_a_hostile_address_as_the_page_does(post_vapi, manager, url):
    post_vapi(report_with_recording(url))
    call = Call.objects.get()
    assert call_document(call)["call"]["recording_url"] is None  # the document's "no value", never the address
    assert played(manager, call) == ""


@pytest.mark.parametrize("vapi_url", ["", "javascript:alert(1)", "data:audio/wav;base64,AAAA"])
def test_the_call_document_takes_twilios_recording_when_vapis_is_missing_as_the_page_does(post_vapi, manager,
                                                                                          vapi_url):
    post_vapi(report_with_recording(vapi_url))
    call = Call.objects.get()
    twilio = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"
    Recording.objects.create(call=call, recording_sid="RE1", status="completed", url=twilio)
    Recording.objects.create(call=call, recording_sid="RE2", status="completed", url="javascript:alert(2)")
    Recording.objects.create(call=call, recording_sid="RE3", status="in-progress", url=twilio + "-partial")
    assert call_document(Call.objects.get())["call"]["recording_url"] == twilio == played(manager, call)


def test_the_call_document_sends_vapis_recording_as_the_page_plays_it(post_vapi, manager):
    post_vapi(report_with_recording("https://storage.vapi.ai/recording-mono.wav"))
    call = Call.objects.get()
    Recording.objects.create(call=call, recording_sid="RE1", status="completed", url="https://api.twilio.com/RE1")
    assert call_document(call)["call"]["recording_url"] == "https://storage.vapi.ai/recording-mono.wav"
    assert played(manager, call) == "https://storage.vapi.ai/recording-mono.wav"
