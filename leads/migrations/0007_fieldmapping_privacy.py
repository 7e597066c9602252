"""FieldMapping.privacy: free text (transcripts, summaries, structured data) leaves callsync redacted.

Existing rows get the default for their source; a disabled Lead.PII_Redaction_Confidence__c row is
added for orgs that want the redaction's confidence on the Lead. Written out here, not imported
from the app: a migration must do the same whatever the code looks like later.
"""

from django.db import migrations, models

FREE_TEXT_SOURCES = ("transcript", "call.summary", "analysis.summary", "analysis.structuredData",
                     "call.success_evaluation", "analysis.successEvaluation")
CONFIDENCE_ROW = {
    "target_object": "Lead", "target_field": "PII_Redaction_Confidence__c", "source": "privacy.redaction_confidence",
    "transform": "number", "options": {"decimals": 4}, "enabled": False, "privacy": "raw",
    "notes": "How sure the redaction is that no card number, SSN, email, phone number, IBAN or birth date was "
             "missed (0-1). Enable it when the org has the field.",
}


def _is_free_text(source):
    return any(source == path or source.startswith(path + ".") for path in FREE_TEXT_SOURCES)


def forwards(apps, schema_editor):
    FieldMapping = apps.get_model("leads", "FieldMapping")
    for row in FieldMapping.objects.filter(privacy=""):
        row.privacy = "redacted" if _is_free_text(row.source) else "raw"
        row.save(update_fields=["privacy"])
    if not FieldMapping.objects.filter(target_object="Lead", target_field=CONFIDENCE_ROW["target_field"]).exists():
        last = FieldMapping.objects.filter(target_object="Lead").order_by("-position").first()
        FieldMapping.objects.create(position=(last.position if last else 0) + 10, **CONFIDENCE_ROW)


def backwards(apps, schema_editor):
    FieldMapping = apps.get_model("leads", "FieldMapping")
    FieldMapping.objects.filter(target_object="Lead", target_field=CONFIDENCE_ROW["target_field"],
                                source=CONFIDENCE_ROW["source"]).delete()


class Migration(migrations.Migration):
    dependencies = [("leads", "0006_seed_qualification")]

    operations = [
        migrations.AddField(
            model_name="fieldmapping",
            name="privacy",
            field=models.CharField(
                blank=True,
                choices=[("redacted", "Redacted: cards, SSNs, emails, other phone numbers, IBANs, birth dates replaced"),
                         ("raw", "Raw: sent as it is"), ("never", "Never sent")],
                help_text="What leaves callsync. Blank: redacted for transcripts, summaries and structured data, raw "
                "for everything else.",
                max_length=8,
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
