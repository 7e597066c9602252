import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    # The column is added with one value for every existing row (when this ran); 0013 fills each call's own.
    dependencies = [
        ("calls", "0011_mask_echoed_secrets"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="call",
            name="call_unreported_idx",
        ),
        migrations.AddField(
            model_name="call",
            name="last_provider_event_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
    ]
