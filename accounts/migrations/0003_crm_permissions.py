"""The roles name the moved models' permissions under crm (crm/migrations/0002 renamed their content
types, so the groups already hold them): a literal copy of accounts/roles.py as it is now (a test
compares them), set on the groups exactly, like 0002_sales_ops_unlock_logins.py. Written out again
rather than imported, as migrations are: a later edit of the roles must not change this one."""

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
    "crm.view_syncjob",
    "crm.view_syncattempt",
)
SALES_OPS_PERMISSIONS = MANAGER_PERMISSIONS + (
    "crm.view_fieldmapping",
    "crm.add_fieldmapping", "crm.change_fieldmapping", "crm.delete_fieldmapping",
    "leads.add_qualificationpolicy", "leads.change_qualificationpolicy", "leads.delete_qualificationpolicy",
    "leads.add_qualificationcriterion", "leads.change_qualificationcriterion", "leads.delete_qualificationcriterion",
    "leads.add_dispositionrule", "leads.change_dispositionrule", "leads.delete_dispositionrule",
    "leads.add_intentrule", "leads.change_intentrule", "leads.delete_intentrule",
    "leads.add_salesrep", "leads.change_salesrep", "leads.delete_salesrep",
    "crm.change_syncjob",
    "leads.start_qualification_call",
    "axes.view_accessattempt", "axes.delete_accessattempt",
)
ROLE_PERMISSIONS = {"Managers": MANAGER_PERMISSIONS, "Sales ops": SALES_OPS_PERMISSIONS}


def create_roles(apps, schema_editor):
    for label in ("calls", "leads", "crm", "axes"):
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


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_sales_ops_unlock_logins"),
        ("crm", "0002_content_types_from_leads"),
    ]

    # Backwards, crm 0002 renames the same permission rows back to leads: the groups keep them.
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
