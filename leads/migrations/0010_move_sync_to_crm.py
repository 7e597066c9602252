"""FieldMapping, SyncJob and SyncAttempt now belong to the crm app (crm/migrations/0001_initial.py).

State only: the tables, their rows, sequences, indexes and constraints stay as they are, and crm's
models name the same tables (db_table). crm 0001 depends on this migration, so the models never
exist in both apps' state at once. The roles migrations before this one grant permissions on the
models under the leads label, so they run first; crm 0002 then moves the content types."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("leads", "0009_encrypted_columns_uncompressed"),
        ("accounts", "0002_sales_ops_unlock_logins"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="FieldMapping"),
                migrations.RemoveField(model_name="syncjob", name="call"),
                migrations.DeleteModel(name="SyncAttempt"),
                migrations.DeleteModel(name="SyncJob"),
            ],
        ),
    ]
