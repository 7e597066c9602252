"""A database of the previous layout (FieldMapping, SyncJob and SyncAttempt in leads) migrates to crm
with every row, id and permission grant kept (crm/migrations/0001 and 0002, leads 0010, accounts 0003);
its record ids end in crm.SyncedRecord (crm 0003-0005, tested on their own in test_migration_to_synced_records)."""

import importlib
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from crm.models import FieldMapping, Role, SyncAttempt, SyncJob

# Where leads and accounts stood at HEAD 59061ba, the last layout before crm existed.
LAST_OF_LEADS_LAYOUT = [("leads", "0009_encrypted_columns_uncompressed"), ("accounts", "0002_sales_ops_unlock_logins")]
OLD_ROLES = importlib.import_module("accounts.migrations.0002_sales_ops_unlock_logins")
STARTED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def migrate_to_leads_layout():
    """Every other app at its latest migration, leads and accounts as they were, no crm: the state's apps."""
    executor = MigrationExecutor(connection)
    nodes = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in ("leads", "accounts", "crm")]
    nodes += LAST_OF_LEADS_LAYOUT
    executor.migrate([*nodes, ("crm", None)])
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def old_rows(apps) -> dict:
    """Rows written through the historical leads models, as the last release would have."""
    Call = apps.get_model("calls", "Call")
    mapping = apps.get_model("leads", "FieldMapping").objects.create(
        target_object="Lead", target_field="Budget__c", source="analysis.structuredData.budget", transform="number",
        options={"decimals": 0}, privacy="raw", position=990, notes="kept across the move")
    call = Call.objects.create(vapi_call_id="call-before-crm", customer_number="+14155550123")
    job = apps.get_model("leads", "SyncJob").objects.create(
        call=call, state="dead", revision=3, synced_revision=2, attempts=2, error_code="INVALID_FIELD",
        error_fields="Budget__c", lead_salesforce_id="00Q000000000001AAA", task_salesforce_id="00T000000000001AAA")
    SyncAttempt = apps.get_model("leads", "SyncAttempt")
    attempts = [SyncAttempt.objects.create(job=job, started_at=STARTED, outcome=outcome, duration_ms=120 + n,
                                           api_requests=n + 1, request_summary={"n": n}, error_code=code)
                for n, (outcome, code) in enumerate((("retry", "UNABLE_TO_LOCK_ROW"), ("dead", "INVALID_FIELD")))]
    OLD_ROLES.create_roles(apps, None)  # a transactional test before this one may have flushed the groups
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    user = apps.get_model("auth", "User").objects.create(username="sales-ops-before-crm", is_staff=True)
    user.groups.add(Group.objects.get(name="Sales ops"))
    permissions = dict(Permission.objects.filter(content_type__app_label="leads",
                                                 codename__in=("change_fieldmapping", "change_syncjob"))
                       .values_list("codename", "pk"))
    return {"mapping": mapping.pk, "call": call.pk, "job": job.pk, "attempts": [a.pk for a in attempts],
            "user": user.pk, "permissions": permissions}


@pytest.mark.django_db(transaction=True)
def test_a_populated_leads_layout_database_keeps_every_row_and_grant_in_crm():
    try:
        before = old_rows(migrate_to_leads_layout())
        migrate_to_latest()

        mapping = FieldMapping.objects.get(pk=before["mapping"])
        assert (mapping.target_object, mapping.target_field, mapping.source, mapping.transform, mapping.options,
                mapping.privacy, mapping.position, mapping.notes) == (
            "Lead", "Budget__c", "analysis.structuredData.budget", "number", {"decimals": 0}, "raw", 990,
            "kept across the move")
        job = SyncJob.objects.get(pk=before["job"])
        assert job.call_id == before["call"] and job.call.vapi_call_id == "call-before-crm"
        assert (job.state, job.revision, job.synced_revision, job.attempts, job.error_code, job.error_fields,
                job.salesforce_id(Role.LEAD), job.salesforce_id(Role.CALL_TASK)) == (
            SyncJob.State.DEAD, 3, 2, 2, "INVALID_FIELD", "Budget__c", "00Q000000000001AAA", "00T000000000001AAA")
        attempts = SyncAttempt.objects.filter(job=job).order_by("pk")
        assert [a.pk for a in attempts] == before["attempts"]
        assert [(a.outcome, a.error_code, a.duration_ms, a.api_requests, a.request_summary, a.started_at)
                for a in attempts] == [("retry", "UNABLE_TO_LOCK_ROW", 120, 1, {"n": 0}, STARTED),
                                       ("dead", "INVALID_FIELD", 121, 2, {"n": 1}, STARTED)]

        user = User.objects.get(pk=before["user"])
        assert user.has_perm("crm.change_fieldmapping") and user.has_perm("crm.change_syncjob")
        assert not user.has_perm("leads.change_fieldmapping")
        # The same permission rows, renamed with their content types: grants elsewhere keep working too.
        assert dict(user.groups.get().permissions.filter(content_type__app_label="crm", codename__in=(
            "change_fieldmapping", "change_syncjob")).values_list("codename", "pk")) == before["permissions"]
        # New rows go on from the old tables' sequences.
        assert SyncAttempt.objects.create(job=job, started_at=STARTED, outcome="synced").pk > max(before["attempts"])
    finally:
        migrate_to_latest()
