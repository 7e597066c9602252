"""The content types of the moved models change app: leads.fieldmapping becomes crm.fieldmapping, etc.

Renamed in place rather than created afresh, so each Permission row keeps its id and every group
or user that holds it (Sales ops: change_fieldmapping, change_syncjob...) keeps it, as do admin
log entries. A crm row that post_migrate created early (a database migrated up to crm 0001
alone) holds no grants worth keeping: it gives way to the renamed one.
"""

from django.db import migrations

MOVED = ("fieldmapping", "syncjob", "syncattempt")


def _move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        moving = ContentType.objects.filter(app_label=source, model=model).first()
        if moving is None:
            continue  # a fresh database: post_migrate creates the crm ones
        ContentType.objects.filter(app_label=target, model=model).delete()
        moving.app_label = target
        moving.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def to_crm(apps, schema_editor):
    _move(apps, "leads", "crm")


def to_leads(apps, schema_editor):
    _move(apps, "crm", "leads")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("crm", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_crm, to_leads)]
