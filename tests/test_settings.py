"""Configuration mistakes stop the start with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import EnvReader

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "name, value, read",
    [
        ("DJANGO_DEBUG", "maybe", lambda env: env.bool("DJANGO_DEBUG")),
        ("PUBLIC_BASE_URL", "callsync.example.com", lambda env: env.url("PUBLIC_BASE_URL")),
        ("REDIS_URL", "http://127.0.0.1:6379", lambda env: env.url("REDIS_URL", schemes=("redis", "rediss"))),
        ("FALLBACK_PHONE_NUMBER", "415-555-0100", lambda env: env.phone("FALLBACK_PHONE_NUMBER")),
        ("VAPI_BYPASS_TIMEOUT_SECONDS", "fast", lambda env: env.float("VAPI_BYPASS_TIMEOUT_SECONDS", 3.5)),
        ("DATABASE_URL", "mysqlx://nowhere", lambda env: env.database("DATABASE_URL", "sqlite:///x.db")),
    ],
)
def test_malformed_values_are_named(name, value, read):
    env = EnvReader({name: value})
    read(env)
    with pytest.raises(ImproperlyConfigured, match=name):
        env.raise_if_invalid()


def test_unknown_callsync_variables_are_refused_with_a_suggestion():
    env = EnvReader({"VAPI_WEBHOOK_SECERT": "x", "HOME": "/root"})
    env.str("VAPI_WEBHOOK_SECRET")
    with pytest.raises(ImproperlyConfigured, match="VAPI_WEBHOOK_SECERT.*Did you mean VAPI_WEBHOOK_SECRET"):
        env.raise_if_invalid()


def test_good_values_pass():
    env = EnvReader({"DJANGO_DEBUG": "yes", "PUBLIC_BASE_URL": "https://x.example.com/", "FALLBACK_PHONE_NUMBER": "+14155550100"})
    assert env.bool("DJANGO_DEBUG") is True
    assert env.url("PUBLIC_BASE_URL") == "https://x.example.com"
    assert env.phone("FALLBACK_PHONE_NUMBER") == "+14155550100"
    env.raise_if_invalid()


def _check(**overrides) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("VAPI_", "TWILIO_", "DJANGO_", "DATABASE_", "REDIS_"))}
    environ.update({"CALLSYNC_DOTENV": "false", "DJANGO_SETTINGS_MODULE": "config.settings", **overrides})
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60)


def test_production_start_without_a_secret_key_fails_naming_it():
    result = _check(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_start_without_an_encryption_key_fails_naming_it():
    result = _check(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="a-production-secret", FIELD_ENCRYPTION_KEY="")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY must be set" in result.stderr


def test_a_malformed_encryption_key_is_refused_at_start():
    result = _check(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="a-production-secret", FIELD_ENCRYPTION_KEY="not-a-key")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr


def test_debug_start_needs_no_configuration():
    result = _check(DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_env_example_lists_every_setting_the_app_reads():
    from config import settings as app_settings

    example = (ROOT / ".env.example").read_text()
    documented = {line.split("=", 1)[0].lstrip("# ").strip() for line in example.splitlines() if "=" in line}
    read_before_dotenv = {"CALLSYNC_DOTENV"}  # it decides whether .env is read at all
    assert sorted(app_settings.env.known - documented - read_before_dotenv) == []
