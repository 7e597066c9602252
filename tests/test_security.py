"""Production settings pass Django's deployment checklist; manager pages carry a strict CSP."""

import json
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


def https_settings(**env: str) -> dict:
    """What production settings make of the environment, for HTTPS: read by a fresh process."""
    code = ("import json; from django.conf import settings as s; print(json.dumps({name: getattr(s, name) for name in "
            "('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', "
            "'SECURE_PROXY_SSL_HEADER')}))")
    result = manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_tls_deployment_without_twilio_gets_secure_cookies_and_hsts():
    # No PUBLIC_BASE_URL (Vapi alone needs none), TLS at the proxy: nothing says plain HTTP.
    values = https_settings(PUBLIC_BASE_URL="")
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # Redirecting needs to know the site answers HTTPS: only a https PUBLIC_BASE_URL (or the switch) says so.
    assert values["SECURE_SSL_REDIRECT"] is False
    assert https_settings(PUBLIC_BASE_URL="", DJANGO_SECURE_SSL_REDIRECT="true")["SECURE_SSL_REDIRECT"] is True


def test_a_plain_http_public_url_keeps_cookies_usable_over_http():
    values = https_settings(PUBLIC_BASE_URL="http://10.0.0.5:8000")
    assert not values["SESSION_COOKIE_SECURE"] and not values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] == 0 and values["SECURE_SSL_REDIRECT"] is False


def test_the_cookie_and_proxy_header_switches_win_over_the_defaults():
    assert https_settings(DJANGO_SECURE_COOKIES="false")["SESSION_COOKIE_SECURE"] is False
    forced = https_settings(PUBLIC_BASE_URL="http://10.0.0.5:8000", DJANGO_SECURE_COOKIES="true")
    assert forced["SESSION_COOKIE_SECURE"] and forced["CSRF_COOKIE_SECURE"]
    # gunicorn terminating TLS itself, or nothing in front: no header is trusted to say https.
    assert https_settings(DJANGO_SECURE_PROXY_SSL_HEADER="")["SECURE_PROXY_SSL_HEADER"] is None
    assert https_settings(DJANGO_SECURE_PROXY_SSL_HEADER="X-Scheme")["SECURE_PROXY_SSL_HEADER"] == [
        "HTTP_X_SCHEME", "https"]
