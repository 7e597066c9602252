"""Test settings: the app's own settings, against real PostgreSQL and Redis.

TEST_DATABASE_URL and TEST_REDIS_URL point the suite elsewhere; a developer's
`.env` is not read, so tests see the same configuration everywhere.
"""

import os

os.environ["CALLSYNC_DOTENV"] = "false"
os.environ["DATABASE_URL"] = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/callsync")
os.environ["REDIS_URL"] = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "6jHMuIhnCB0XAuZKeztzpozGTrauGycPZhPYGYddmRQ=")  # tests only
os.environ["DJANGO_DEBUG"] = "false"
os.environ["PUBLIC_BASE_URL"] = "https://callsync.example.com"
for name in list(os.environ):
    # The suite sets provider credentials per test; none may leak in from the shell.
    if name.startswith(("VAPI_", "TWILIO_", "SALESFORCE_", "CALLSYNC_")) and name != "CALLSYNC_DOTENV":
        del os.environ[name]

from config.settings import *  # noqa: E402,F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "callsync.example.com"]
# The test client and the live server speak plain HTTP; the production HTTPS settings are
# checked by `manage.py check --deploy` in tests/test_security.py.
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast user creation
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# The cache (tokens, API budget, rate limiter) gets a Redis database of its own:
# clearing it between tests must not flush the broker's queues.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": os.environ.get("TEST_CACHE_URL", "redis://127.0.0.1:6379/14")}}
# The suite runs the applier's task itself after each webhook (tests/conftest.py: post_vapi); a
# run that lingered for late arrivals would add half a second to each. Tests of lingering set it.
CALLSYNC_WEBHOOK_APPLY_LINGER_SECONDS = 0.0
