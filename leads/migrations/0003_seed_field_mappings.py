"""The default Salesforce footprint (ARCHITECTURE.md, "Default Salesforce footprint"), as FieldMapping rows sales ops can edit.

The rows are written out here, not imported from the app: a migration must seed the
same rows whatever the code looks like later.
"""

from django.db import migrations

PLACEHOLDER_NOTE = "Salesforce refuses a Lead without it; the placeholder is never written over a real value."

FOOTPRINT = {
    "Lead": [
        {"target_field": "Phone", "source": "caller.phone", "transform": "phone_e164", "create_only": True,
         "notes": "Create only: a Lead found by its MobilePhone keeps the main number it has."},
        {"target_field": "FirstName", "source": "caller.first_name", "transform": "truncate", "options": {"limit": 40}},
        {"target_field": "LastName", "source": "caller.last_name", "transform": "truncate", "options": {"limit": 80},
         "required": True, "placeholder": "Unknown", "notes": PLACEHOLDER_NOTE},
        {"target_field": "Company", "source": "caller.company", "transform": "truncate", "options": {"limit": 255},
         "required": True, "placeholder": "Unknown (AI call)", "notes": PLACEHOLDER_NOTE},
        {"target_field": "Email", "source": "caller.email", "transform": "email"},
        {"target_field": "AI_Qualification_Score__c", "source": "qualification.score", "transform": "number",
         "options": {"decimals": 0}},
        {"target_field": "Qualification_Status__c", "source": "qualification.status", "transform": "picklist",
         "options": {"map": {"hot": "Hot", "warm": "Warm", "cold": "Cold", "unqualified": "Unqualified"}}},
        {"target_field": "Intent__c", "source": "qualification.intent", "transform": "picklist",
         "options": {"map": {"sales": "Sales", "support": "Support", "billing": "Billing",
                             "partnership": "Partnership", "other": "Other"}, "default": "Other"}},
        {"target_field": "Intent_Confidence__c", "source": "qualification.intent_confidence", "transform": "number",
         "options": {"decimals": 4}},
        {"target_field": "Disposition__c", "source": "call.disposition"},
        {"target_field": "Last_AI_Contact__c", "source": "call.started_at", "transform": "iso_datetime"},
        {"target_field": "Consent_Record__c", "source": "consent.record", "transform": "truncate",
         "options": {"limit": 32768}},
        {"target_field": "Call_Transcript__c", "source": "transcript", "transform": "truncate",
         "options": {"limit": 131072}, "notes": "Long text area: at most 131,072 characters; longer ones are marked."},
    ],
    "Task": [
        {"target_field": "Vapi_Call_Id__c", "source": "call.id", "upsert_key": True, "required": True,
         "notes": "External id: the same call always updates the same Task."},
        {"target_field": "Subject", "source": "call.subject", "transform": "truncate", "options": {"limit": 255}},
        {"target_field": "TaskSubtype", "source": "const:Call", "create_only": True,
         "notes": "Salesforce refuses TaskSubtype on update."},
        {"target_field": "Status", "source": "const:Completed"},
        {"target_field": "CallType", "source": "call.direction", "transform": "picklist",
         "options": {"map": {"inbound": "Inbound", "outbound": "Outbound", "web": "Inbound"}}},
        {"target_field": "CallDurationInSeconds", "source": "call.duration_seconds", "transform": "number",
         "options": {"decimals": 0}},
        {"target_field": "CallDisposition", "source": "call.disposition", "transform": "truncate",
         "options": {"limit": 255}},
        {"target_field": "Description", "source": "call.summary", "transform": "truncate",
         "options": {"limit": 32000}, "notes": "Task.Description holds at most 32,000 characters."},
        {"target_field": "Recording_URL__c", "source": "call.recording_url", "transform": "truncate",
         "options": {"limit": 255}, "notes": "A URL is never cut: too long, it loses its query string or is left out."},
        {"target_field": "StartTime__c", "source": "call.started_at", "transform": "iso_datetime"},
        {"target_field": "EndTime__c", "source": "call.ended_at", "transform": "iso_datetime"},
    ],
    "Case": [
        {"target_field": "Vapi_Call_Id__c", "source": "call.id", "upsert_key": True, "required": True,
         "notes": "Cases are written for support calls only."},
        {"target_field": "Subject", "source": "call.subject", "transform": "truncate", "options": {"limit": 255}},
        {"target_field": "Description", "source": "call.summary", "transform": "truncate",
         "options": {"limit": 32000}},
        {"target_field": "Origin", "source": "const:Phone"},
        {"target_field": "SuppliedPhone", "source": "caller.phone", "transform": "phone_e164"},
    ],
}


def _field_mapping(apps):
    """leads' historical model while migrating; crm's, where the model lives since crm 0001, when
    called with the project's registry (test fixtures seed through these functions)."""
    try:
        return apps.get_model("leads", "FieldMapping")
    except LookupError:
        return apps.get_model("crm", "FieldMapping")


def seed(apps, schema_editor):
    FieldMapping = _field_mapping(apps)
    FieldMapping.objects.bulk_create(
        FieldMapping(target_object=target_object, position=(index + 1) * 10, **row)
        for target_object, rows in FOOTPRINT.items()
        for index, row in enumerate(rows)
    )


def unseed(apps, schema_editor):
    FieldMapping = _field_mapping(apps)
    for target_object, rows in FOOTPRINT.items():
        for row in rows:
            FieldMapping.objects.filter(target_object=target_object, target_field=row["target_field"]).delete()


class Migration(migrations.Migration):
    dependencies = [("leads", "0002_field_mapping")]

    operations = [migrations.RunPython(seed, unseed)]
