"""Sales ops may unlock logins that django-axes locked (view and delete its access attempts).

A literal copy of accounts/roles.py as it is now (a test compares them), set on the groups
exactly, like 0001_roles.py; the axes permissions are created first, as 0001 does for its apps.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGER_PERMISSIONS = (
    "calls.view_call",
    "calls.view_transcriptsegment",
    "calls.view_toolinvocation",
    "calls.view_recording",
    "calls.view_webhookevent",
    "calls.view_dispositionchange",
    "leads.view_lead",
    "leads.view_qualification",
    "leads.view_qualificationpolicy",
    "leads.view_qualificationcriterion",
    "leads.view_dispositionrule",
    "leads.view_intentrule",
    "leads.view_salesrep",
    "leads.view_syncjob",
    "leads.view_syncattempt",
)
SALES_OPS_PERMISSIONS = MANAGER_PERMISSIONS + (
    "leads.view_fieldmapping",
    "leads.add_fieldmapping", "leads.change_fieldmapping", "leads.delete_fieldmapping",
    "leads.add_qualificationpolicy", "leads.change_qualificationpolicy", "leads.delete_qualificationpolicy",
    "leads.add_qualificationcriterion", "leads.change_qualificationcriterion", "leads.delete_qualificationcriterion",
    "leads.add_dispositionrule", "leads.change_dispositionrule", "leads.delete_dispositionrule",
    "leads.add_intentrule", "leads.change_intentrule", "leads.delete_intentrule",
    "leads.add_salesrep", "leads.change_salesrep", "leads.delete_salesrep",
    "leads.change_syncjob",
    "leads.start_qualification_call",
    "axes.view_accessattempt", "axes.delete_accessattempt",
)
ROLE_PERMISSIONS = {"Managers": MANAGER_PERMISSIONS, "Sales ops": SALES_OPS_PERMISSIONS}


def create_roles(apps, schema_editor):
    for label in ("calls", "leads", "axes"):
        app_config = apps.get_app_config(label)
        models_module = getattr(app_config, "models_module", None)
        # create_permissions skips app configs without a models module, as the migration state's are.
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [permission.split(".", 1) for permission in permissions]
        found = [Permission.objects.get(content_type__app_label=app_label, codename=codename)
                 for app_label, codename in wanted]
        group.permissions.set(found)


def remove_unlock(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="Sales ops").first()
    if group:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="axes"))


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_roles"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_roles, remove_unlock)]
