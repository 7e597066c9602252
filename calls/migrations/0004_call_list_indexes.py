"""Indexes for the manager pages' call list: a filter on a rare disposition or direction reads its
own rows newest first instead of walking every call by date."""

from django.db import migrations, models

INDEXES = (
    models.Index(fields=["disposition", "-created_at"], name="call_disposition_idx"),
    models.Index(fields=["direction", "-created_at"], name="call_direction_idx"),
)


class Migration(migrations.Migration):

    dependencies = [
        ("calls", "0003_call_tools_and_outcome"),
    ]

    operations = [migrations.AddIndex(model_name="call", index=index) for index in INDEXES]
