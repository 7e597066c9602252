from django.db import migrations

from privacy.fields import store_uncompressed


class Migration(migrations.Migration):
    """Encrypted columns are stored as they are (privacy/fields.py: store_uncompressed)."""

    dependencies = [
        ("leads", "0008_encrypt_evidence"),
    ]

    operations = [
        store_uncompressed("leads_qualification", "dimensions", "intent_evidence"),
    ]
