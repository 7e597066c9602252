"""What callers said is encrypted in the database, readable through the app, and rotatable."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from privacy.encryption import PREFIX
from calls.models import Call, ToolInvocation, TranscriptSegment, WebhookEvent
from leads.models import Qualification
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

HOT = vapi_fixture("qualification-hot-report")
SAID = "twenty-five thousand dollars"  # the caller's words in the hot report's transcript


def raw_column(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column}::text FROM {table} WHERE {column} IS NOT NULL")  # noqa: S608 (constants)
        return [row[0] for row in cursor.fetchall()]


def test_the_database_holds_no_transcript_in_clear_text(post_vapi):
    assert post_vapi(HOT).status_code == 200
    call = Call.objects.get(vapi_call_id=HOT["message"]["call"]["id"])
    assert any(SAID in segment.text for segment in TranscriptSegment.objects.filter(call=call))  # the app reads it
    assert SAID in WebhookEvent.objects.get(call=call).body
    for table, column in (("calls_transcriptsegment", "text"), ("calls_transcriptsegment", "redacted_text"),
                          ("calls_webhookevent", "body"), ("leads_qualification", "dimensions"),
                          ("leads_qualification", "intent_evidence"), ("calls_call", "summary"),
                          ("calls_call", "structured_data"), ("calls_call", "success_evaluation"),
                          ("calls_call", "redacted")):
        stored = raw_column(table, column)
        assert stored and all(value.startswith(PREFIX) for value in stored if value), (table, column)
        assert not any(SAID in value or "25,000" in value for value in stored), (table, column)
    quotes = Qualification.objects.get(call=call).dimensions["budget"]["quote"]
    assert "25,000" in quotes


def test_tool_arguments_are_encrypted_too(post_vapi):
    payload = vapi_fixture("tool-calls")
    payload["message"].pop("toolWithToolCallList")
    payload["message"]["toolCallList"] = [{"id": "t1", "name": "score_lead",
                                           "parameters": {"budget": "about forty thousand dollars"}}]
    post_vapi(payload)
    assert ToolInvocation.objects.get().arguments == {"budget": "about forty thousand dollars"}
    assert not any("forty" in value for value in raw_column("calls_toolinvocation", "arguments"))


def test_encrypted_columns_refuse_searches_that_cannot_work():
    with pytest.raises(FieldError, match="is encrypted"):
        list(TranscriptSegment.objects.filter(text__contains="budget"))


def test_a_key_rotation_keeps_everything_readable(post_vapi, settings):
    post_vapi(HOT)
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    before = raw_column("calls_transcriptsegment", "text")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]  # new key first, old still reads
    call_command("reencrypt")
    after = raw_column("calls_transcriptsegment", "text")
    assert set(before).isdisjoint(after)
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the old key is gone
    assert any(SAID in text for text in TranscriptSegment.objects.values_list("text", flat=True))


def test_postgresql_stores_encrypted_columns_without_trying_to_compress_them():
    encrypted = [("calls_webhookevent", "body"), ("calls_toolinvocation", "arguments"),
                 ("calls_transcriptsegment", "text"), ("leads_qualification", "dimensions"),
                 ("leads_qualification", "intent_evidence"), ("calls_call", "summary"), ("calls_call", "outcome"),
                 ("calls_call", "structured_data"), ("calls_call", "redacted"), ("calls_toolinvocation", "result"),
                 ("calls_transcriptsegment", "redacted_text")]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname, a.attstorage FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid "
            "WHERE (c.relname, a.attname) IN (" + ", ".join(["(%s, %s)"] * len(encrypted)) + ")",
            [name for pair in encrypted for name in pair])
        storage = {(table, column): kind for table, column, kind in cursor.fetchall()}
    assert storage == dict.fromkeys(encrypted, "e")  # EXTERNAL: out of line, never compressed


def test_the_assistant_s_notes_and_tool_results_are_encrypted_too(post_vapi):
    payload = vapi_fixture("tool-calls")
    payload["message"].pop("toolWithToolCallList")
    payload["message"]["toolCallList"] = [{"id": "t1", "name": "update_crm", "parameters": {
        "call_outcome": "Caller gave card 4111 1111 1111 1111", "next_steps": "Send the 4111 contract"}}]
    post_vapi(payload)
    call = Call.objects.get()
    assert "4111" in call.outcome and "4111" in call.next_steps
    for table, column in (("calls_call", "outcome"), ("calls_call", "next_steps"), ("calls_toolinvocation", "result")):
        stored = raw_column(table, column)
        assert stored and all(value.startswith(PREFIX) for value in stored if value), (table, column)
        assert not any("4111" in value or "contract" in value for value in stored), (table, column)


def test_a_plaintext_value_that_starts_with_the_prefix_round_trips_encrypted():
    call = Call.objects.create(summary="enc1:not a token", outcome="enc1:gAAAAA")
    call.refresh_from_db()
    assert (call.summary, call.outcome) == ("enc1:not a token", "enc1:gAAAAA")
    assert not any("not a token" in value for value in raw_column("calls_call", "summary"))


def test_a_plaintext_row_from_before_encryption_still_reads_even_with_the_prefix():
    call = Call.objects.create()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE calls_call SET summary = %s WHERE id = %s", ["enc1:written in clear", call.pk])
    call.refresh_from_db()
    assert call.summary == "enc1:written in clear"
