"""Production settings pass Django's deployment checklist; manager pages carry a strict CSP."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "CALLSYNC_DOTENV": "false",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "PUBLIC_BASE_URL": "https://callsync.example.com",
    "DJANGO_SECURE_HSTS_PRELOAD": "true",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/callsync",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("VAPI_", "TWILIO_", "SALESFORCE_", "CALLSYNC_", "DJANGO_"))}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **PRODUCTION, **env}, timeout=60)


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_without_preload_the_only_remark_is_the_preload_choice():
    result = manage("check", "--deploy", DJANGO_SECURE_HSTS_PRELOAD="false")
    output = result.stderr + result.stdout
    assert "security.W021" in output and "1 issue" in output


@pytest.mark.django_db
def test_manager_pages_carry_a_strict_content_security_policy(client, admin_client):
    policy = admin_client.get("/calls/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert "Content-Security-Policy" not in admin_client.get("/admin/")
    response = client.get("/healthz")
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
