from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

BATCH = 2000
# Twilio's recording callbacks are about the recording, not the call: the appliers do not count them either.
RECORDING_STATUS = "recording-status"


def fill(apps, schema_editor):
    """Each call's last word from its provider: the newest applied event's arrival, or, for a call no
    applied event names, updated_at (what the silent-call sweep read until now)."""
    Call, WebhookEvent = apps.get_model("calls", "Call"), apps.get_model("calls", "WebhookEvent")
    newest = (WebhookEvent.objects.filter(call=OuterRef("pk"), status="processed")
              .exclude(event_type=RECORDING_STATUS).order_by("-received_at").values("received_at")[:1])
    last_pk = 0
    while pks := list(Call.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:BATCH]):
        Call.objects.filter(pk__gte=pks[0], pk__lte=pks[-1]).update(
            last_provider_event_at=Coalesce(Subquery(newest), F("updated_at")))
        last_pk = pks[-1]


class Migration(migrations.Migration):
    # Batch by batch, each committed on its own: a large table is never held in one transaction. A run cut
    # short fills everything again when migrating again (the fill is idempotent). The index is built after
    # the fill, which then writes no index entries.
    atomic = False

    dependencies = [
        ("calls", "0012_last_provider_event_at"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="call",
            index=models.Index(condition=models.Q(("finalized_at__isnull", True), ("report_received_at__isnull", True)),
                               fields=["last_provider_event_at"], name="call_silence_idx"),
        ),
    ]
