from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("calls", "0004_call_list_indexes")]

    operations = [
        migrations.AddField(
            model_name="call",
            name="pii_redactions",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="call",
            name="pii_redaction_confidence",
            field=models.FloatField(blank=True, null=True),
        ),
    ]
