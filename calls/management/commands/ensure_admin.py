"""Create (or update) the admin user `make run` logs you in with, and print how to log in."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_FILE = settings.VAR_DIR / "admin-password"


def _password() -> str:
    """DJANGO_SUPERUSER_PASSWORD, else the one generated on the first run (kept under var/)."""
    if os.environ.get("DJANGO_SUPERUSER_PASSWORD"):
        return os.environ["DJANGO_SUPERUSER_PASSWORD"]
    if PASSWORD_FILE.exists():
        return PASSWORD_FILE.read_text().strip()
    password = secrets.token_urlsafe(12)
    PASSWORD_FILE.write_text(password + "\n")
    PASSWORD_FILE.chmod(0o600)
    return password


class Command(BaseCommand):
    help = "Create the admin user if missing (credentials from DJANGO_SUPERUSER_* or generated) and print them."

    def handle(self, *args, **options):
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "admin@example.com")
        password = _password()
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": email, "is_staff": True, "is_superuser": True}
        )
        if created or os.environ.get("DJANGO_SUPERUSER_PASSWORD"):
            user.set_password(password)
            user.save()
            shown = password
        elif PASSWORD_FILE.exists() and user.check_password(password):
            shown = password
        else:
            shown = "(unchanged: set DJANGO_SUPERUSER_PASSWORD to reset it)"
        self.stdout.write(
            self.style.SUCCESS(f"Admin: http://127.0.0.1:8000/admin/  user: {username}  password: {shown}")
        )
