from django.db import migrations

from privacy.fields import store_uncompressed


class Migration(migrations.Migration):
    """Encrypted columns are stored as they are: PostgreSQL's attempt to compress ciphertext is
    wasted CPU on every large INSERT (privacy/fields.py: store_uncompressed)."""

    dependencies = [
        ("calls", "0007_encrypt_spoken_text"),
    ]

    operations = [
        store_uncompressed("calls_webhookevent", "body"),
        store_uncompressed("calls_toolinvocation", "arguments"),
        store_uncompressed("calls_transcriptsegment", "text"),
    ]
