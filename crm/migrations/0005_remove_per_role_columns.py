"""The per-role id columns go: SyncedRecord holds what a sync wrote (0004 copied them there).

Backwards they come back empty, and 0004 reversed fills them from the rows."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('crm', '0004_copy_written_ids'),
    ]

    operations = [
        migrations.RemoveField(model_name='syncjob', name='callback_task_salesforce_id'),
        migrations.RemoveField(model_name='syncjob', name='case_salesforce_id'),
        migrations.RemoveField(model_name='syncjob', name='follow_up_task_salesforce_id'),
        migrations.RemoveField(model_name='syncjob', name='lead_salesforce_id'),
        migrations.RemoveField(model_name='syncjob', name='qualified_event_published_at'),
        migrations.RemoveField(model_name='syncjob', name='task_salesforce_id'),
    ]
