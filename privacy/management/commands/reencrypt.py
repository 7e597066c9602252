from django.apps import apps
from django.core.management.base import BaseCommand

from privacy.fields import EncryptedJSONField, EncryptedTextField, rewrite_values


def encrypted_fields():
    for model in apps.get_models():
        names = [field.name for field in model._meta.get_fields()
                 if isinstance(field, (EncryptedTextField, EncryptedJSONField))]
        if names:
            yield model, names


class Command(BaseCommand):
    help = ("Write every encrypted value again with the first key of FIELD_ENCRYPTION_KEY (after a key rotation, "
            "or to encrypt values stored before encryption was on). Safe to run twice.")

    def handle(self, *args, **options):
        for model, names in encrypted_fields():
            count = rewrite_values(model, names)
            self.stdout.write(f"{model._meta.label}: {count} row(s) re-encrypted ({', '.join(names)}).")
