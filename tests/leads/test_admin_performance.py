"""Admin list pages stay fast on big tables: a page costs the same queries whatever the row count,
and the changelists of the big tables open on 100,000 rows."""

import time

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calls.models import Call, WebhookEvent
from crm.models import FieldMapping, SyncAttempt, SyncJob
from leads.models import QualificationPolicy
from tests.factories import CallFactory, LeadFactory, QualificationPolicyFactory, WebhookEventFactory

pytestmark = pytest.mark.django_db

BIG = 100_000


def _calls(count: int) -> None:
    for _ in range(count):
        call = CallFactory(status=Call.Status.ENDED, ended_reason="customer-ended-call")
        WebhookEventFactory(call=call, provider_call_id=call.vapi_call_id)
        job = SyncJob.objects.create(call=call, state=SyncJob.State.DEAD, error_code="INVALID_FIELD",
                                     error_fields="Sentiment__c")
        SyncAttempt.objects.create(job=job, started_at=job.created_at, outcome=SyncAttempt.Outcome.DEAD)


def _leads(count: int) -> None:
    for _ in range(count):
        LeadFactory(phone_e164="")


def _mappings(count: int) -> None:
    start = FieldMapping.objects.count()
    FieldMapping.objects.bulk_create(FieldMapping(target_object="Lead", target_field=f"Extra_{start + n}__c",
                                                  source="call.summary", position=900 + n) for n in range(count))


def _policies(count: int) -> None:
    publisher = User.objects.get_or_create(username="publisher")[0]
    for _ in range(count):
        QualificationPolicyFactory(state=QualificationPolicy.State.RETIRED, published_by=publisher)


CHANGELISTS = {
    "calls_call": _calls, "calls_webhookevent": _calls, "crm_syncjob": _calls, "leads_lead": _leads,
    "crm_fieldmapping": _mappings, "leads_qualificationpolicy": _policies,
}


def queries_to_list(client, name: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", CHANGELISTS)
def test_a_list_page_costs_the_same_queries_for_few_rows_and_many(admin_client, name):
    CHANGELISTS[name](3)
    few = queries_to_list(admin_client, name)
    CHANGELISTS[name](40)
    assert queries_to_list(admin_client, name) == few


# --- 100,000 rows ---------------------------------------------------------------------------------

def clone(row, *, source: str, overrides: dict[str, str], params=()) -> int:
    """Copy `row` once per row of the SQL `source`, with some columns computed from it: fast bulk data."""
    model = type(row)
    quote = connection.ops.quote_name
    columns = [field.column for field in model._meta.concrete_fields if not field.primary_key]
    chosen = ", ".join(overrides.get(column, f"t.{quote(column)}") for column in columns)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "
                       f"SELECT {chosen} FROM {table} t, {source} WHERE t.id = %s", [*params, row.pk])
        return cursor.rowcount


def test_the_big_tables_list_on_100000_rows_with_bounded_queries(admin_client):
    _calls(1)
    call, event, job = Call.objects.get(), WebhookEvent.objects.get(), SyncJob.objects.get()
    small = {name: queries_to_list(admin_client, name)
             for name in ("calls_call", "calls_webhookevent", "crm_syncjob")}

    clone(call, source="generate_series(1, %s) AS n", params=[BIG - 1], overrides={
        "vapi_call_id": "'bulk-' || n", "twilio_call_sid": "NULL",
        "created_at": "t.created_at - n * interval '1 minute'"})
    bulk_calls = "(SELECT id, vapi_call_id, created_at FROM calls_call WHERE vapi_call_id LIKE 'bulk-%%') AS c"
    clone(event, source=bulk_calls, overrides={"call_id": "c.id", "provider_call_id": "c.vapi_call_id",
                                                   "received_at": "c.created_at"})
    clone(job, source=bulk_calls, overrides={"call_id": "c.id"})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE calls_call, calls_webhookevent, leads_syncjob")
    assert (Call.objects.count(), WebhookEvent.objects.count(), SyncJob.objects.count()) == (BIG, BIG, BIG)

    for name, queries in small.items():
        started = time.perf_counter()
        assert queries_to_list(admin_client, name) == queries
        print(f"{name} changelist on {BIG} rows: {queries} queries, {(time.perf_counter() - started) * 1000:.0f} ms")
    dead = admin_client.get(reverse("admin:crm_syncjob_changelist"), {"state__exact": "dead", "q": "Sentiment__c"})
    assert dead.status_code == 200 and len(dead.context["cl"].result_list) == 100  # one page, not all
    assert dead.context["cl"].full_result_count is None  # show_full_result_count = False: no count of all rows
