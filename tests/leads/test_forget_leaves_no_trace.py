""""Forget this person" leaves nothing that finds them: not the audit log's record of a search
for their number, nor another call's look-up of them. The whole database is searched: every
text column with SQL, and every encrypted field through the ORM, which decrypts it."""

import json
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from audit.models import AuditEntry
from privacy.fields import EncryptedJSONField, EncryptedTextField
from calls.models import Call, ToolInvocation
from privacy.erasure import phone_fingerprint
from tests.calls.test_in_call_tools import function_shape, result_of
from tests.calls.test_raw_transcripts import signed_in
from tests.factories import LeadFactory
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

HOT = vapi_fixture("qualification-hot-report")
CALLER = HOT["message"]["call"]["customer"]["number"]  # +15125550142
NATIONAL = CALLER[2:]
NAME, COMPANY = "Marisol Okonkwo-Bright", "Quillfeather Analytics"
TEXT_TYPES = ("text", "character varying", "json", "jsonb")


def in_sql_columns(words: list[str], digits: str) -> list[str]:
    """Every text column of every table, searched for the words and for the digits in any spelling."""
    found = []
    patterns = [f"%{word}%" for word in words]
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = current_schema() AND data_type = ANY(%s)", [list(TEXT_TYPES)])
        for table, column in cursor.fetchall():
            quoted = f"{connection.ops.quote_name(table)}.{connection.ops.quote_name(column)}"
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)} WHERE {quoted}::text ILIKE ANY(%s) "
                           f"OR regexp_replace({quoted}::text, '[^0-9]', '', 'g') LIKE %s", [patterns, f"%{digits}%"])
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def in_encrypted_fields(words: list[str], digits: str) -> list[str]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, (EncryptedTextField, EncryptedJSONField)):
                continue
            for value in model.objects.values_list(field.name, flat=True).iterator():
                text = value if isinstance(value, str) else json.dumps(value)
                if any(word.casefold() in text.casefold() for word in words) or digits in re.sub(r"\D", "", text):
                    found.append(f"{model._meta.label}.{field.name}")
                    break
    return found


def traces() -> list[str]:
    words = [CALLER, NAME, COMPANY]
    return in_sql_columns(words, NATIONAL) + in_encrypted_fields(words, NATIONAL)


@pytest.fixture
def person():
    return LeadFactory(phone_e164=CALLER, first_name="Marisol", last_name="Okonkwo-Bright", company=COMPANY)


def test_forget_caller_erases_the_audited_search_and_other_calls_look_ups(post_vapi, client, person, settings):
    assert post_vapi(HOT).status_code == 200  # the person's own call
    manager = signed_in(client)
    for search in ("(512) 555-0142", "quillfeather analytics"):
        b"".join(manager.get("/calls/export.csv", {"q": search}).streaming_content)
    settings.CALLSYNC_TOOLS_LOOKUP_ANY_LEAD = True  # an internal assistant, on another call, looks them up
    looked_up = json.loads(result_of(post_vapi, function_shape("l1", "lookup_lead", {"phone": "512-555-0142"})))
    assert (looked_up["name"], looked_up["company"]) == (NAME, COMPANY)
    other_call = ToolInvocation.objects.get(tool_call_id="l1").call
    assert other_call.customer_number != CALLER
    assert {"audit_auditentry.details"} <= set(traces())

    call_command("forget_caller", CALLER)

    assert traces() == []
    searches = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT_CSV).order_by("pk")
    assert [entry.details for entry in searches] == [  # kept, with the number's fingerprint
        {"filters": {"q": phone_fingerprint(CALLER)}}, {"filters": {"q": "[erased]"}}]
    invocation = ToolInvocation.objects.get(tool_call_id="l1")
    assert (invocation.call, invocation.name, invocation.arguments, invocation.result) == (
        other_call, "lookup_lead", None, "[erased]")
    assert Call.objects.get(pk=other_call.pk).customer_number == "+14155550123"  # the other caller is kept
    forgot = AuditEntry.objects.get(action=AuditEntry.Action.FORGET_CALLER)
    assert (forgot.details["tool_invocations"], forgot.details["audit_entries"]) == (1, 2)


def test_an_audit_entry_that_does_not_name_the_number_is_left_as_it_is(post_vapi, client, person):
    export = signed_in(client).get("/calls/export.csv", {"q": "415 555 0142", "direction": "inbound"})
    b"".join(export.streaming_content)
    call_command("forget_caller", CALLER)
    assert AuditEntry.objects.get(action=AuditEntry.Action.EXPORT_CSV).details == {
        "filters": {"q": "415 555 0142", "direction": "inbound"}}
