"""SyncedRecord: one row per record a call's sync wrote (its Lead, Task, follow-up, callback, Case, event).

Three migrations, not one: 0004 inserts rows whose foreign key checks PostgreSQL defers to the end
of the transaction, and 0005's ALTER TABLE on leads_syncjob in that same transaction would fail
("pending trigger events"). Apart, each runs in its own transaction."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('crm', '0002_content_types_from_leads'),
    ]

    operations = [
        migrations.CreateModel(
            name='SyncedRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('lead', 'Lead or Contact'), ('task', 'Call task'), ('follow_up_task', 'Follow-up task'), ('callback_task', 'Callback task'), ('case', 'Case'), ('qualified_event', 'Qualified event')], max_length=24)),
                ('sobject', models.CharField(max_length=80)),
                ('salesforce_id', models.CharField(blank=True, max_length=18)),
                ('written_at', models.DateTimeField(default=django.utils.timezone.now, help_text='When Salesforce gave this id.')),
                ('job', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='synced_records', to='crm.syncjob')),
            ],
            options={
                'verbose_name': 'synced record',
                'ordering': ['job', 'role'],
                'indexes': [models.Index(fields=['salesforce_id'], name='syncedrecord_id_idx')],
                'constraints': [models.UniqueConstraint(fields=('job', 'role'), name='syncedrecord_one_per_role')],
            },
        ),
    ]
