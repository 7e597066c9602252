"""Logins lock out after CALLSYNC_LOGIN_FAILURE_LIMIT failures (5) per username and per address, for
CALLSYNC_LOGIN_COOLOFF_MINUTES (15); each failure and each lockout is in the audit log.

Policy: a username that failed 5 times is refused from every address, and an address that failed
5 times is refused for every username (password spraying), until 15 minutes pass without a try
or a superuser or sales ops delete the access attempts in the admin."""

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.services import provision_user
from audit.models import AuditEntry
from tests.accounts.support import ensure_roles

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a-long-pass-phrase-77"
WRONG = "not-the-pass-phrase-1"
LOCKED = "Login locked for 15 minutes"


@pytest.fixture(autouse=True)
def roles():
    ensure_roles()


@pytest.fixture
def maya():
    return provision_user(email="maya@example.com", role="manager", password=PASSWORD).user


def log_in(client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/calls/"}, **extra)


def fail(client, username: str, times: int, **extra) -> list[int]:
    return [log_in(client, username, WRONG, **extra).status_code for _ in range(times)]


def logged_in(client) -> bool:
    return client.get("/calls/").status_code == 200


def test_five_wrong_passwords_then_the_right_one_is_refused_with_a_page_that_says_for_how_long(client, maya):
    first_four = [log_in(client, maya.username, WRONG) for _ in range(4)]
    assert all(response.status_code == 200 and "Please enter the correct username and password"
               in response.content.decode() for response in first_four)
    assert fail(client, maya.username, 1) == [429]  # the fifth failure starts the lockout
    response = log_in(client, maya.username, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html and "superuser or someone in sales ops" in html
    assert not logged_in(client)


def test_four_wrong_passwords_still_let_the_right_one_in(client, maya):
    fail(client, maya.username, 4)
    response = log_in(client, maya.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/calls/"
    assert logged_in(client)


def test_the_manager_pages_login_is_the_same_form_and_locks_the_same_way(client, maya):
    login_page = client.get("/calls/")["Location"]
    assert login_page.startswith(LOGIN)
    for _ in range(5):
        client.post(login_page, {"username": maya.username, "password": WRONG})
    assert client.post(login_page, {"username": maya.username, "password": PASSWORD}).status_code == 429


def test_the_audit_log_lists_each_failure_and_the_lockout_with_username_and_address_never_the_password(client,
                                                                                                        maya):
    fail(client, maya.username, 5)
    log_in(client, maya.username, PASSWORD)
    failures = list(AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).order_by("id"))
    assert [entry.details["failures"] for entry in failures] == [1, 2, 3, 4, 5, 6]
    assert {entry.target for entry in failures} == {maya.username}
    assert {entry.remote_addr for entry in failures} == {"127.0.0.1"}
    assert "refused" not in failures[4].details and failures[5].details["refused"] == "locked out"
    lockout = AuditEntry.objects.get(action=AuditEntry.Action.LOCKED_OUT)
    assert lockout.target == maya.username and lockout.details == {"username": maya.username, "failures": 5,
                                                                   "minutes": 15}
    stored = json.dumps([[entry.target, entry.details] for entry in AuditEntry.objects.all()])
    assert WRONG not in stored and PASSWORD not in stored
    assert str(failures[0]).endswith(f"Failed to log in {maya.username}")


def test_a_failed_login_for_a_username_that_does_not_exist_is_audited_too(client):
    fail(client, "nobody@example.com", 1)
    assert AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED).target == "nobody@example.com"


def test_another_user_from_the_locked_address_is_refused_too(client, maya):
    dana = provision_user(email="dana@example.com", role="manager", password=PASSWORD).user
    for username in ("a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com"):
        fail(client, username, 1)  # spraying: one try per username
    assert log_in(client, maya.username, PASSWORD).status_code == 429
    assert log_in(client, dana.username, PASSWORD).status_code == 429
    # The same people from another address are not locked: the lockout is the address's.
    assert log_in(Client(), dana.username, PASSWORD, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_a_locked_username_is_refused_from_every_address(client, maya):
    for index in range(5):
        fail(client, maya.username, 1, REMOTE_ADDR=f"203.0.113.{index + 1}")
    assert log_in(Client(), maya.username, PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 429


def test_x_forwarded_for_is_ignored_unless_proxies_are_trusted(client, maya):
    for index in range(5):  # a header the client writes itself cannot make each try look new
        fail(client, f"user{index}@example.com", 1, HTTP_X_FORWARDED_FOR=f"192.0.2.{index + 1}")
    assert log_in(client, maya.username, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    assert set(AuditEntry.objects.values_list("remote_addr", flat=True)) == {"127.0.0.1"}


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(client, maya, settings):
    settings.CALLSYNC_TRUSTED_PROXY_COUNT = 1
    behind_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for index in range(5):  # what stands left of the proxy's entry was written by the client
        fail(client, f"user{index}@example.com", 1, HTTP_X_FORWARDED_FOR=f"10.9.9.{index}, 198.51.100.7",
             **behind_proxy)
    assert log_in(client, maya.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **behind_proxy) \
        .status_code == 429
    # Another person behind the same proxy is not locked out by the first one's failures.
    assert log_in(Client(), maya.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8", **behind_proxy) \
        .status_code == 302
    assert set(AuditEntry.objects.values_list("remote_addr", flat=True)) == {"198.51.100.7"}


def test_the_lockout_ends_after_the_cooloff(client, maya):
    fail(client, maya.username, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, maya.username, PASSWORD).status_code == 302


def test_a_superuser_sees_the_lockout_in_the_admin_and_unlocks_it(client, maya, admin_client):
    fail(client, maya.username, 5)
    page = admin_client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and maya.username in page.content.decode()
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = admin_client.post("/admin/axes/accessattempt/", {
        "action": "delete_selected", "_selected_action": attempts, "post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert log_in(client, maya.username, PASSWORD).status_code == 302


def test_sales_ops_may_unlock_and_managers_may_not(client, maya):
    fail(client, maya.username, 5)
    ops = Client()
    ops.force_login(provision_user(email="ops@example.com", role="salesops", password=None).user)
    assert ops.get("/admin/axes/accessattempt/").status_code == 200
    attempt = AccessAttempt.objects.get()
    assert ops.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    manager = Client()
    manager.force_login(provision_user(email="dana@example.com", role="manager", password=None).user)
    assert manager.get("/admin/axes/accessattempt/").status_code == 403


def test_api_tokens_still_authenticate_and_are_not_locked_out(client, maya):
    user = User.objects.create_user("sam", password=PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="start_qualification_call"))
    fail(client, "sam", 5)
    api = Client(headers={"Authorization": f"Token {Token.objects.create(user=user).key}"})
    response = api.post("/api/leads/00Q000000000000AAA/qualify/", content_type="application/json")
    assert response.status_code not in (401, 403, 429)
    assert Client().post("/api/leads/00Q000000000000AAA/qualify/").status_code == 401
