"""SyncJobs with per-role id columns (crm 0002) migrate to SyncedRecord rows (crm 0003-0005) with
nothing lost, and back: every role present, jobs that wrote nothing, more jobs than one batch."""

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from crm.models import Role, SyncedRecord, SyncJob

BEFORE = ("crm", "0002_content_types_from_leads")
COPY = importlib.import_module("crm.migrations.0004_copy_written_ids")
SYNCED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
PUBLISHED = SYNCED - timedelta(seconds=5)

EVERY_ROLE = {"lead_salesforce_id": "003000000000001AAA",  # a Contact
              "task_salesforce_id": "00T000000000001AAA", "follow_up_task_salesforce_id": "00T000000000002AAA",
              "callback_task_salesforce_id": "00T000000000003AAA", "case_salesforce_id": "500000000000001AAA",
              "qualified_event_published_at": PUBLISHED}
ID_COLUMNS = [column for column in EVERY_ROLE if column.endswith("_salesforce_id")]


def migrate(*targets):
    """Every app at its latest migration except the targets'; returns the state's apps."""
    executor = MigrationExecutor(connection)
    apps_named = {app for app, _ in targets}
    nodes = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in apps_named] + list(targets)
    executor.migrate(nodes)
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def old_jobs(apps) -> dict[str, int]:
    Call, Job = apps.get_model("calls", "Call"), apps.get_model("crm", "SyncJob")
    made = {}
    for name, columns in (("every role", EVERY_ROLE), ("nothing written", {}),
                          ("lead and task", {"lead_salesforce_id": "00Q000000000009AAA",
                                             "task_salesforce_id": "00T000000000009AAA"})):
        call = Call.objects.create(vapi_call_id=f"call-{name}")
        made[name] = Job.objects.create(call=call, state="synced", synced_at=SYNCED, **columns).pk
    # More than a batch of jobs that wrote a Task: the copy goes on past its first batch.
    calls = Call.objects.bulk_create([Call(vapi_call_id=f"call-many-{n}") for n in range(COPY.BATCH + 5)])
    Job.objects.bulk_create([Job(call=call, state="synced", synced_at=SYNCED,
                                 task_salesforce_id=f"00T{n:015d}") for n, call in enumerate(calls)])
    return made


def written(job_pk: int) -> dict[str, tuple[str, str]]:
    return {record.role: (record.sobject, record.salesforce_id)
            for record in SyncedRecord.objects.filter(job_id=job_pk)}


@pytest.mark.django_db(transaction=True)
def test_every_per_role_id_becomes_a_synced_record_and_comes_back(settings):
    settings.CALLSYNC_QUALIFIED_EVENT = "AI_Call_Qualified__e"
    try:
        made = old_jobs(migrate(BEFORE))
        migrate_to_latest()

        assert written(made["every role"]) == {
            Role.LEAD: ("Contact", "003000000000001AAA"), Role.CALL_TASK: ("Task", "00T000000000001AAA"),
            Role.FOLLOW_UP: ("Task", "00T000000000002AAA"), Role.CALLBACK: ("Task", "00T000000000003AAA"),
            Role.CASE: ("Case", "500000000000001AAA"), Role.EVENT: ("AI_Call_Qualified__e", "")}
        job = SyncJob.objects.get(pk=made["every role"])
        assert job.written[Role.EVENT].written_at == PUBLISHED and job.written[Role.CASE].written_at == SYNCED
        assert written(made["nothing written"]) == {}
        assert written(made["lead and task"]) == {Role.LEAD: ("Lead", "00Q000000000009AAA"),
                                                  Role.CALL_TASK: ("Task", "00T000000000009AAA")}
        assert SyncedRecord.objects.filter(role=Role.CALL_TASK, salesforce_id__startswith="00T0").count() == \
            COPY.BATCH + 5 + 2  # the many, and the other two jobs' Tasks
        assert SyncedRecord.objects.count() == 6 + 2 + COPY.BATCH + 5

        apps = migrate(BEFORE)  # and back: the columns hold the ids again
        Job = apps.get_model("crm", "SyncJob")
        again = Job.objects.get(pk=made["every role"])
        assert {column: getattr(again, column) for column in EVERY_ROLE} == EVERY_ROLE
        empty = Job.objects.get(pk=made["nothing written"])
        assert [getattr(empty, column) for column in ID_COLUMNS] == [""] * 5
        assert empty.qualified_event_published_at is None
        assert Job.objects.filter(task_salesforce_id__startswith="00T0").count() == COPY.BATCH + 5 + 2
    finally:
        migrate_to_latest()
