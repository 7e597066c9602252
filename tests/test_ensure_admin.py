import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.mark.django_db
def test_ensure_admin_creates_once_and_prints_credentials(monkeypatch, capsys, tmp_path, settings):
    monkeypatch.setattr("calls.management.commands.ensure_admin.PASSWORD_FILE", tmp_path / "admin-password")
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_admin")
    first = capsys.readouterr().out
    password = (tmp_path / "admin-password").read_text().strip()
    assert f"user: admin  password: {password}" in first
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    call_command("ensure_admin")
    assert f"password: {password}" in capsys.readouterr().out
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_ensure_admin_takes_the_password_from_the_environment(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr("calls.management.commands.ensure_admin.PASSWORD_FILE", tmp_path / "admin-password")
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "ops")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-password-from-env")
    call_command("ensure_admin")
    assert get_user_model().objects.get(username="ops").check_password("a-long-password-from-env")
