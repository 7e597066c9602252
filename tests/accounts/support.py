import importlib

from django.apps import apps
from django.contrib.auth.models import Group

from accounts.roles import ROLE_PERMISSIONS

# The latest migration that sets the roles: it holds their literal definition.
ROLES_MIGRATION = importlib.import_module("accounts.migrations.0003_crm_permissions")


def ensure_roles() -> None:
    """The groups as migrated: a transactional test's flush elsewhere in the run removes the migration's rows."""
    if Group.objects.filter(name__in=ROLE_PERMISSIONS).count() < len(ROLE_PERMISSIONS):
        ROLES_MIGRATION.create_roles(apps, None)
