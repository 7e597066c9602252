"""The crm app takes over FieldMapping, SyncJob and SyncAttempt from leads, with their tables.

State only (SeparateDatabaseAndState with no database operations): leads 0010 removed the models
from leads' state, and these create them in crm's, on the tables they already have (db_table).
Every row, id, sequence, index and foreign key stays where it was. 0002 moves their content types,
so permissions (and the groups holding them) follow.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('calls', '0011_mask_echoed_secrets'),
        ('leads', '0010_move_sync_to_crm'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='FieldMapping',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('target_object', models.CharField(choices=[('Lead', 'Lead'), ('Task', "Task (the call's activity, upserted by its external id)"), ('Case', 'Case (support calls only)')], max_length=16)),
                        ('target_field', models.CharField(help_text='Salesforce API name, e.g. LastName or Intent__c.', max_length=80, verbose_name='target field (API name)')),
                        ('source', models.CharField(help_text='Dotted path into the call document (caller.last_name, analysis.structuredData.budget) or const:<value> for a constant. Every path is listed in docs/mapping.md.', max_length=200)),
                        ('transform', models.CharField(choices=[('none', 'None: send as is'), ('phone_e164', 'Phone number in E.164'), ('iso_datetime', 'Date/time in ISO 8601, UTC'), ('picklist', 'Picklist: map call values to Salesforce values'), ('truncate', 'Text truncated to a limit, with a marker'), ('boolean', 'Checkbox: true or false'), ('number', 'Number'), ('email', 'Email address (left out when malformed)')], default='none', max_length=16)),
                        ('options', models.JSONField(blank=True, default=dict, help_text='For the transform: picklist {"map": {"hot": "Hot"}, "default": "Cold"}; truncate {"limit": 255}; number {"decimals": 0}; iso_datetime {"date_only": true}; phone_e164 {"region": "GB"}.')),
                        ('required', models.BooleanField(default=False, help_text='Salesforce refuses a new record without it.')),
                        ('placeholder', models.CharField(blank=True, help_text='Sent on create when the field is required and the call has no value.', max_length=255)),
                        ('upsert_key', models.BooleanField(default=False, help_text="This field is the object's external id: one per Task or Case, none on Lead.", verbose_name='upsert key')),
                        ('create_only', models.BooleanField(default=False, help_text='Sent when the record is created, never on update (e.g. Task.TaskSubtype).')),
                        ('privacy', models.CharField(blank=True, choices=[('redacted', 'Redacted: cards, SSNs, emails, other phone numbers, IBANs, birth dates replaced'), ('raw', 'Raw: sent as it is'), ('never', 'Never sent')], help_text='What leaves callsync. Blank: redacted for transcripts, summaries and structured data, raw for everything else.', max_length=8)),
                        ('enabled', models.BooleanField(default=True)),
                        ('position', models.PositiveIntegerField(default=0, help_text="Order within the object's payload.")),
                        ('notes', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'verbose_name': 'field mapping',
                        'db_table': 'leads_fieldmapping',
                        'ordering': ['target_object', 'position', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='SyncJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', models.CharField(choices=[('pending', 'Pending'), ('in_flight', 'In flight'), ('retrying', 'Waiting to retry'), ('waiting_budget', 'Waiting: Salesforce API budget'), ('not_configured', 'Waiting: Salesforce not configured'), ('synced', 'Synced'), ('dead', 'Dead letter')], default='pending', max_length=16)),
                        ('due_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('revision', models.PositiveIntegerField(default=1)),
                        ('synced_revision', models.PositiveIntegerField(default=0)),
                        ('attempts', models.PositiveSmallIntegerField(default=0, help_text='Failed attempts since the last success or replay.')),
                        ('claim_token', models.UUIDField(blank=True, null=True)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('enqueued_at', models.DateTimeField(blank=True, null=True)),
                        ('error_code', models.CharField(blank=True, max_length=64)),
                        ('error_fields', models.CharField(blank=True, max_length=255)),
                        ('last_error', models.TextField(blank=True)),
                        ('lead_salesforce_id', models.CharField(blank=True, max_length=18)),
                        ('task_salesforce_id', models.CharField(blank=True, max_length=18)),
                        ('task_created', models.BooleanField(default=False)),
                        ('follow_up_task_salesforce_id', models.CharField(blank=True, max_length=18)),
                        ('callback_task_salesforce_id', models.CharField(blank=True, max_length=18)),
                        ('case_salesforce_id', models.CharField(blank=True, max_length=18)),
                        ('qualified_event_published_at', models.DateTimeField(blank=True, null=True)),
                        ('incomplete', models.BooleanField(default=False, help_text='Last synced without an end-of-call report.')),
                        ('synced_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('call', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='sync_job', to='calls.call')),
                    ],
                    options={
                        'db_table': 'leads_syncjob',
                        'ordering': ['-updated_at'],
                    },
                ),
                migrations.CreateModel(
                    name='SyncAttempt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('started_at', models.DateTimeField()),
                        ('duration_ms', models.PositiveIntegerField(default=0)),
                        ('outcome', models.CharField(choices=[('synced', 'Synced'), ('retry', 'Will retry'), ('waiting', 'Waiting'), ('dead', 'Dead letter')], max_length=16)),
                        ('batch_size', models.PositiveSmallIntegerField(default=1)),
                        ('api_requests', models.PositiveSmallIntegerField(default=0, help_text='Salesforce API requests the attempt made (shared by its batch).')),
                        ('request_summary', models.JSONField(blank=True, default=dict)),
                        ('status_code', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('error_code', models.CharField(blank=True, max_length=64)),
                        ('error', models.TextField(blank=True)),
                        ('job', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attempts_made', to='crm.syncjob')),
                    ],
                    options={
                        'db_table': 'leads_syncattempt',
                        'ordering': ['-started_at'],
                    },
                ),
                migrations.AddIndex(
                    model_name='syncjob',
                    index=models.Index(fields=['state', 'due_at'], name='syncjob_due_idx'),
                ),
                migrations.AddIndex(
                    model_name='syncjob',
                    index=models.Index(fields=['error_code'], name='syncjob_error_idx'),
                ),
            ],
        ),
    ]
