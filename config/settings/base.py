"""The core: where the environment is read from, the secrets, the apps, the database, the API.

Every other part of config/settings/ reads the environment through `env` from here, so that
config/settings/__init__.py can check all of it at once when the parts are composed.
"""

import base64
import hashlib
import os
from pathlib import Path

from cryptography.fernet import Fernet

from config.env import EnvReader, read_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)  # SQLite, broker, beat schedule, static files

if os.environ.get("CALLSYNC_DOTENV", "true").lower() not in ("0", "false", "no", "off"):
    read_dotenv(BASE_DIR / ".env")
env = EnvReader()
env.bool("CALLSYNC_DOTENV", True)  # read above, before .env could set it; declared here as known

# --- Core -------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-debug-only-key-never-use-in-production"
env.require("DJANGO_SECRET_KEY", SECRET_KEY, "unless DJANGO_DEBUG is true")

# Keys that encrypt transcripts, raw webhook bodies and quoted evidence at rest (Fernet,
# comma-separated: the first encrypts, all decrypt; see privacy/encryption.py for rotation).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEY")
if not FIELD_ENCRYPTION_KEYS and DEBUG:
    # Development only: a key derived from the (debug) secret key, stable across restarts.
    FIELD_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(hashlib.sha256(("field-encryption:" + SECRET_KEY).encode())
                                                      .digest()).decode()]
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except (ValueError, TypeError):
        env.errors.append("FIELD_ENCRYPTION_KEY holds a value that is not a Fernet key (32 bytes, url-safe base64).")
env.require("FIELD_ENCRYPTION_KEY", ",".join(FIELD_ENCRYPTION_KEYS),
            "unless DJANGO_DEBUG is true (generate one: python -c \"from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())\")")

# --- Apps, requests, templates --------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from here: no CDN
    "calls",
    "leads",
    "crm",
    "accounts",
    "audit",
    "privacy",  # after leads and audit: its operations and admin build on theirs
    "observability",  # no models: its ready() connects the metrics to the Salesforce client
    "axes",  # login lockout (see "Logins" below)
    # Commands only (simulate_calls, salesforce_sandbox), installed everywhere: `make run`,
    # the tests, bench/ and a staging load test all need them, some with DEBUG off. Nothing
    # in production code imports devtools, so installing it loads none of its code.
    "devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a refused login into the lockout page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------
DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'callsync.sqlite3'}")}
# Persistent connections: about 5x the webhook throughput of one connection per
# request on this class of machine (see ../shared/ARCHITECTURE.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The manager pages' stylesheet (static/css/app.css); whitenoise serves it, no CDN.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
LOGIN_URL = "admin:login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "callsync",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Bridges Vapi voice-call webhooks (and Twilio call callbacks) to Salesforce. Webhooks authenticate with "
        "the provider's own scheme (Vapi: HMAC signature, shared secret or bearer token; Twilio: X-Twilio-Signature); "
        "the leads API with a DRF token or a session."
    ),
    # The schema describes the API; it is served to anyone (see README), the request bodies need no Django user.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "calls.webhooks.openapi.add_security_schemes",
    ],
}
