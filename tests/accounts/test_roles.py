"""Roles: the groups the migration creates, `createuser`, and what each role may do in the admin."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import roles
from accounts.services import provision_user
from crm.models import FieldMapping

from tests.accounts.support import ROLES_MIGRATION as migration
from tests.accounts.support import ensure_roles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles_migrated():
    ensure_roles()


def group_permissions(name: str) -> set[str]:
    return {f"{app}.{codename}" for app, codename in
            Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename")}


def test_the_migration_copies_the_role_definitions_literally():
    assert {name: set(perms) for name, perms in migration.ROLE_PERMISSIONS.items()} == {
        name: set(perms) for name, perms in roles.ROLE_PERMISSIONS.items()}


def test_the_groups_exist_with_exactly_their_permissions():
    assert group_permissions(roles.MANAGERS) == set(roles.MANAGER_PERMISSIONS)
    assert group_permissions(roles.SALES_OPS) == set(roles.SALES_OPS_PERMISSIONS)
    managers = group_permissions(roles.MANAGERS)
    assert "calls.view_call" in managers and "leads.view_qualification" in managers
    assert not any(perm.split(".")[1].startswith(("add_", "change_", "delete_")) for perm in managers)
    sales_ops = group_permissions(roles.SALES_OPS)
    assert managers < sales_ops
    assert {"crm.change_fieldmapping", "leads.change_qualificationpolicy", "leads.add_dispositionrule",
            "leads.change_salesrep", "crm.change_syncjob", "leads.start_qualification_call"} <= sales_ops
    assert "calls.change_call" not in sales_ops and "leads.change_lead" not in sales_ops


def test_the_reverse_migration_removes_the_groups_and_the_forward_one_brings_them_back():
    migration.delete_roles(apps, None)
    assert not Group.objects.filter(name__in=[roles.MANAGERS, roles.SALES_OPS]).exists()
    migration.create_roles(apps, None)
    assert group_permissions(roles.SALES_OPS) == set(roles.SALES_OPS_PERMISSIONS)


# --- createuser --------------------------------------------------------------------------------------

def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("createuser", *args, stdout=out)
    return out.getvalue()


def test_createuser_makes_a_staff_user_named_by_email_with_a_printed_password():
    output = run("--role", "manager", "Maya.Manager@Example.com")
    user = User.objects.get()
    assert user.username == user.email == "maya.manager@example.com"
    assert user.is_staff and user.is_active and not user.is_superuser
    assert [group.name for group in user.groups.all()] == [roles.MANAGERS]
    password = output.split("Password: ")[1].split()[0]
    assert user.check_password(password)
    assert user.has_perm("calls.view_call") and not user.has_perm("crm.change_fieldmapping")


def test_createuser_again_changes_the_role_and_keeps_the_password_unless_given():
    run("--role", "manager", "sam@example.com", "--password", "a-long-pass-phrase-77")
    output = run("--role", "salesops", "SAM@example.com")
    user = User.objects.get()
    assert "Updated sam@example.com with the role Sales ops" in output and "Password unchanged" in output
    assert [group.name for group in user.groups.all()] == [roles.SALES_OPS]
    assert user.check_password("a-long-pass-phrase-77")
    run("--role", "manager", "sam@example.com", "--password", "another-long-phrase-88")
    user.refresh_from_db()
    assert [group.name for group in user.groups.all()] == [roles.MANAGERS]
    assert user.check_password("another-long-phrase-88")


def test_createuser_keeps_groups_that_are_not_roles():
    other = Group.objects.create(name="Auditors")
    done = provision_user(email="kim@example.com", role="salesops")
    done.user.groups.add(other)
    provision_user(email="kim@example.com", role="manager")
    assert {group.name for group in done.user.groups.all()} == {"Auditors", roles.MANAGERS}


@pytest.mark.parametrize("args, message", [
    (("--role", "boss", "kim@example.com"), "Unknown role 'boss': choose one of manager, salesops."),
    (("--role", "manager", "not-an-email"), "'not-an-email' is not an email address."),
    (("--role", "manager", "kim@example.com", "--password", "123"), "Password refused"),
])
def test_createuser_refuses_bad_input_clearly(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args)
    assert not User.objects.exists()


# --- what each role may do in the admin ---------------------------------------------------------------

@pytest.fixture
def mapping():
    return FieldMapping.objects.create(target_object="Lead", target_field="Title", source="caller.name", position=900)


def mapping_form(mapping, **changes) -> dict:
    return {"target_object": mapping.target_object, "target_field": mapping.target_field, "source": mapping.source,
            "transform": mapping.transform, "options": "{}", "enabled": "on", "position": str(mapping.position),
            "placeholder": "", "notes": "", **changes}


def test_a_manager_is_refused_the_mapping_pages(client, mapping):
    client.force_login(provision_user(email="maya@example.com", role="manager").user)
    url = reverse("admin:crm_fieldmapping_change", args=[mapping.pk])
    assert client.get(reverse("admin:crm_fieldmapping_changelist")).status_code == 403
    assert client.get(url).status_code == 403
    assert client.post(url, mapping_form(mapping, source="caller.company")).status_code == 403
    assert client.get(reverse("admin:crm_fieldmapping_add")).status_code == 403
    mapping.refresh_from_db()
    assert mapping.source == "caller.name"


def test_sales_ops_change_a_field_mapping(client, mapping):
    client.force_login(provision_user(email="omar@example.com", role="salesops").user)
    url = reverse("admin:crm_fieldmapping_change", args=[mapping.pk])
    response = client.post(url, mapping_form(mapping, source="caller.company"))
    assert response.status_code == 302, response.content.decode()[:2000]
    mapping.refresh_from_db()
    assert mapping.source == "caller.company"


def test_sales_ops_may_start_qualification_calls_and_managers_may_not():
    manager = provision_user(email="maya@example.com", role="manager").user
    sales_ops = provision_user(email="omar@example.com", role="salesops").user
    assert sales_ops.has_perm("leads.start_qualification_call")
    assert not User.objects.get(pk=manager.pk).has_perm("leads.start_qualification_call")
