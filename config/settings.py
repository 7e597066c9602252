"""callsync settings: everything comes from the environment (see .env.example).

Embedded defaults (SQLite, a filesystem broker) make `make run` work on a bare
machine; DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.  Outside
DEBUG, secrets have no defaults.
"""

import base64
import hashlib
import ipaddress
import os
from datetime import timedelta
from pathlib import Path

from cryptography.fernet import Fernet
from kombu import Queue

from config.env import EnvReader, read_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
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

PUBLIC_BASE_URL = env.url("PUBLIC_BASE_URL")
_public_host = PUBLIC_BASE_URL.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0] if PUBLIC_BASE_URL else ""
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    [host for host in ("localhost", "127.0.0.1", "[::1]", _public_host) if host],
)
CSRF_TRUSTED_ORIGINS = [PUBLIC_BASE_URL] if PUBLIC_BASE_URL else []
# Behind the TLS-terminating proxy (docs/deploy/nginx.conf) the scheme arrives in this header, which
# the proxy sets on every request. Empty: trust no header (nothing in front, or TLS ends at gunicorn).
_proxy_ssl_header = env.str("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None)

# --- HTTPS and browser protections ---------------------------------------------
# Production is served over HTTPS (TLS at the proxy), with or without a PUBLIC_BASE_URL (Vapi
# alone needs none): outside DEBUG, cookies are HTTPS-only and HSTS is sent (Django sends it on
# HTTPS requests only) unless PUBLIC_BASE_URL says plain http://. Redirecting plain HTTP needs
# to know the site answers HTTPS: a https PUBLIC_BASE_URL says so (or DJANGO_SECURE_SSL_REDIRECT).
# Health checks and metrics stay reachable over plain HTTP for load balancers and scrapers inside.
_https = not DEBUG and not PUBLIC_BASE_URL.startswith("http://")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", _https and PUBLIC_BASE_URL.startswith("https://"))
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", _https)
# Preloading is a promise browsers keep for months: only on the owner's explicit say-so.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", _https)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The manager pages load nothing from elsewhere but the call recordings (Vapi's or
# Twilio's storage): a strict policy, so an injected script or frame has nowhere to go.
CALLSYNC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' https:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
CALLSYNC_CSP_PATHS = ("/calls/", "/dashboard/")

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
    "accounts",
    "audit",
    "privacy",  # after leads and audit: its operations and admin build on theirs
    "axes",  # login lockout (see "Logins" below)
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

# --- Logins -------------------------------------------------------------------
# django-axes: after CALLSYNC_LOGIN_FAILURE_LIMIT failed logins for one username, or from
# one address (whatever usernames it tried), that username or address is refused for
# CALLSYNC_LOGIN_COOLOFF_MINUTES after its last try, even with the right password. Superusers and
# sales ops lift a lockout early in the admin (Axes > Access attempts: delete the rows).
CALLSYNC_LOGIN_FAILURE_LIMIT = env.int("CALLSYNC_LOGIN_FAILURE_LIMIT", 5, minimum=1)
CALLSYNC_LOGIN_COOLOFF_MINUTES = env.int("CALLSYNC_LOGIN_COOLOFF_MINUTES", 15, minimum=1)
# How many reverse proxies in front of the app append to X-Forwarded-For. 0 (the default): the
# client's address is REMOTE_ADDR and the header is ignored, since anyone can write it.
CALLSYNC_TRUSTED_PROXY_COUNT = env.int("CALLSYNC_TRUSTED_PROXY_COUNT", 0, minimum=0)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = CALLSYNC_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=CALLSYNC_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: one user from anywhere, one address
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
AXES_HANDLER = "accounts.lockout.AuditedAxesHandler"  # axes' database handler, writing the audit log too
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"  # 429 with a page that says for how long
AXES_RESET_ON_SUCCESS = False  # a login that succeeds with one account must not wipe an address's failures

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

# --- Broker and Celery -------------------------------------------------------
REDIS_URL = env.url("REDIS_URL", schemes=("redis", "rediss"))
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Longer than any task's retry countdown, so a waiting task is not redelivered.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # A broker that needs no server: messages are files under var/broker.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        # Where kombu keeps its exchange tables (default: ./control, in the checkout).
        "control_folder": str(BROKER_DIR / "control"),
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A webhook must not hang on a dead broker: publishing gives up quickly and the
# beat sweeper re-queues what was not sent.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Applying webhook events, sync and maintenance get queues of their own, so separate worker pools can serve them
# (`-Q events`, `-Q sync`, `-Q maintenance`; see docs/deploy.md). A worker started without -Q consumes
# every queue listed here, so one worker still does everything on a single machine.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue("celery"), Queue("events"), Queue("sync"), Queue("maintenance")]
CELERY_TASK_ROUTES = {
    "calls.tasks.apply_waiting_webhook_events": {"queue": "events"},
    "leads.tasks.sync_call_job": {"queue": "sync"},
    "leads.tasks.requeue_stuck_sync_jobs": {"queue": "maintenance"},
    "calls.tasks.*": {"queue": "maintenance"},
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "retry-failed-webhook-events": {
        "task": "calls.tasks.retry_failed_webhook_events",
        "schedule": env.float("CALLSYNC_WEBHOOK_RETRY_INTERVAL_SECONDS", 60.0, minimum=1.0),
    },
    "requeue-stuck-sync-jobs": {
        "task": "leads.tasks.requeue_stuck_sync_jobs",
        "schedule": env.float("CALLSYNC_SYNC_SWEEP_INTERVAL_SECONDS", 60.0, minimum=1.0),
    },
    "finalize-silent-calls": {
        "task": "calls.tasks.finalize_silent_calls",
        "schedule": env.float("CALLSYNC_FINALIZE_INTERVAL_SECONDS", 120.0, minimum=1.0),
    },
    "purge-expired": {
        "task": "audit.tasks.purge_expired",  # privacy/tasks.py, under its old name for queued messages
        "schedule": env.float("CALLSYNC_PURGE_INTERVAL_SECONDS", 3600.0, minimum=60.0),
    },
}

# Token cache, API budget and the shared Salesforce rate limiter: Redis when there is
# one, else files under var/ so that web, worker and beat still share them.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}

# --- Providers ---------------------------------------------------------------
WEBHOOK_MAX_BODY_BYTES = 1024 * 1024
# Django refuses bigger bodies with a 400; the webhook views answer 413 themselves.
DATA_UPLOAD_MAX_MEMORY_SIZE = WEBHOOK_MAX_BODY_BYTES + 1024

VAPI_WEBHOOK_SECRET = env.str("VAPI_WEBHOOK_SECRET")
VAPI_WEBHOOK_BEARER_TOKEN = env.str("VAPI_WEBHOOK_BEARER_TOKEN")
# A Vapi HMAC credential (HmacAuthenticationPlan): each option is a setting, and the defaults are
# Vapi's, so a credential left at its defaults needs only its secret here.
VAPI_WEBHOOK_HMAC_SECRET = env.str("VAPI_WEBHOOK_HMAC_SECRET")
VAPI_WEBHOOK_HMAC_SECRET_IS_BASE64 = env.bool("VAPI_WEBHOOK_HMAC_SECRET_IS_BASE64", False)
VAPI_WEBHOOK_HMAC_ALGORITHM = env.choice("VAPI_WEBHOOK_HMAC_ALGORITHM", "sha256", ("sha256", "sha1", "sha512"))
VAPI_WEBHOOK_HMAC_SIGNATURE_HEADER = env.str("VAPI_WEBHOOK_HMAC_SIGNATURE_HEADER", "x-signature")
VAPI_WEBHOOK_TIMESTAMP_HEADER = env.str("VAPI_WEBHOOK_TIMESTAMP_HEADER", "x-timestamp")
VAPI_WEBHOOK_HMAC_SIGNATURE_PREFIX = env.str("VAPI_WEBHOOK_HMAC_SIGNATURE_PREFIX")
VAPI_WEBHOOK_HMAC_INCLUDE_TIMESTAMP = env.bool("VAPI_WEBHOOK_HMAC_INCLUDE_TIMESTAMP", True)
VAPI_WEBHOOK_HMAC_PAYLOAD_FORMAT = env.str("VAPI_WEBHOOK_HMAC_PAYLOAD_FORMAT", "{timestamp}.{body}")
VAPI_WEBHOOK_HMAC_MESSAGE_ID_HEADER = env.str("VAPI_WEBHOOK_HMAC_MESSAGE_ID_HEADER")
VAPI_WEBHOOK_HMAC_SIGNATURE_ENCODING = env.choice("VAPI_WEBHOOK_HMAC_SIGNATURE_ENCODING", "hex", ("hex", "base64"))
VAPI_WEBHOOK_TOLERANCE_SECONDS = env.int("VAPI_WEBHOOK_TOLERANCE_SECONDS", 300, minimum=1)
try:
    from integrations.vapi.auth import HmacPlan

    HmacPlan(secret=VAPI_WEBHOOK_HMAC_SECRET, secret_is_base64=VAPI_WEBHOOK_HMAC_SECRET_IS_BASE64,
             payload_format=VAPI_WEBHOOK_HMAC_PAYLOAD_FORMAT, message_id_header=VAPI_WEBHOOK_HMAC_MESSAGE_ID_HEADER)
except ValueError as _exc:  # stop the start with the reason, as for any malformed setting
    env.errors.append(f"The Vapi HMAC settings do not fit together: {_exc}.")
VAPI_API_KEY = env.str("VAPI_API_KEY")
VAPI_BASE_URL = env.url("VAPI_BASE_URL", "https://api.vapi.ai")
VAPI_ASSISTANT_ID = env.str("VAPI_ASSISTANT_ID")
VAPI_PHONE_NUMBER_ID = env.str("VAPI_PHONE_NUMBER_ID")
# Twilio waits 15 s for TwiML; Vapi gets this long before the caller is sent to
# the fallback, leaving room for the rest of the request.
VAPI_BYPASS_TIMEOUT_SECONDS = env.float("VAPI_BYPASS_TIMEOUT_SECONDS", 3.5, minimum=0.1)

TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN")
FALLBACK_PHONE_NUMBER = env.phone("FALLBACK_PHONE_NUMBER")
CALLSYNC_FALLBACK_MESSAGE = env.str(
    "CALLSYNC_FALLBACK_MESSAGE",
    "Thanks for calling. Our assistant is unavailable right now, so we are connecting you to our team.",
)
CALLSYNC_VOICEMAIL_MESSAGE = env.str(
    "CALLSYNC_VOICEMAIL_MESSAGE",
    "Thanks for calling. Please leave your name, number and a short message after the tone.",
)
# Region used to read phone numbers written without a country code.
CALLSYNC_DEFAULT_REGION = env.str("CALLSYNC_DEFAULT_REGION", "US").upper()
# The company's own numbers (comma-separated E.164): like the caller's, never redacted from what Salesforce gets.
CALLSYNC_COMPANY_PHONE_NUMBERS = env.list("CALLSYNC_COMPANY_PHONE_NUMBERS")
CALLSYNC_WEBHOOK_MAX_ATTEMPTS = env.int("CALLSYNC_WEBHOOK_MAX_ATTEMPTS", 5, minimum=1)
# Waiting webhook events one run of the applier takes before handing the rest to another run.
CALLSYNC_WEBHOOK_APPLY_BATCH = env.int("CALLSYNC_WEBHOOK_APPLY_BATCH", 2000, minimum=1)
# How long a run of the applier keeps looking for new events once none wait. Web processes that
# saw a run on its way skip the cache for half as long, so most webhooks cost one INSERT.
CALLSYNC_WEBHOOK_APPLY_LINGER_SECONDS = env.float("CALLSYNC_WEBHOOK_APPLY_LINGER_SECONDS", 0.5, minimum=0.0)

# --- Salesforce ---------------------------------------------------------------
# Client credentials (a connected app with the client-credentials flow enabled) or
# username + password; the password has the user's security token appended.
SALESFORCE_LOGIN_URL = env.url("SALESFORCE_LOGIN_URL", "https://login.salesforce.com")
SALESFORCE_CLIENT_ID = env.str("SALESFORCE_CLIENT_ID")
SALESFORCE_CLIENT_SECRET = env.str("SALESFORCE_CLIENT_SECRET")
SALESFORCE_USERNAME = env.str("SALESFORCE_USERNAME")
SALESFORCE_PASSWORD = env.str("SALESFORCE_PASSWORD")
SALESFORCE_API_VERSION = env.str("SALESFORCE_API_VERSION", "62.0")
SALESFORCE_CA_BUNDLE = env.str("SALESFORCE_CA_BUNDLE")
SALESFORCE_TIMEOUT_SECONDS = env.float("SALESFORCE_TIMEOUT_SECONDS", 10.0, minimum=0.1)
# Salesforce answers a token without its lifetime; the org's session timeout
# (2 hours by default) bounds it, so tokens are renewed well before.
SALESFORCE_TOKEN_TTL_SECONDS = env.int("SALESFORCE_TOKEN_TTL_SECONDS", 3600, minimum=60)

# Sync stops (jobs wait, nothing is dropped) when the org's remaining daily API
# budget falls under this share of its allocation, leaving room for other integrations.
CALLSYNC_SALESFORCE_API_RESERVE_PERCENT = env.float("CALLSYNC_SALESFORCE_API_RESERVE_PERCENT", 20.0)
CALLSYNC_SALESFORCE_MAX_REQUESTS_PER_SECOND = env.float("CALLSYNC_SALESFORCE_MAX_REQUESTS_PER_SECOND", 10.0, minimum=0.1)
CALLSYNC_SYNC_MAX_ATTEMPTS = env.int("CALLSYNC_SYNC_MAX_ATTEMPTS", 15, minimum=1)
CALLSYNC_SYNC_BACKOFF_BASE_SECONDS = env.float("CALLSYNC_SYNC_BACKOFF_BASE_SECONDS", 2.0, minimum=0.0)
# Well below the broker's visibility timeout (3600 s), so a waiting retry is never redelivered.
CALLSYNC_SYNC_BACKOFF_CAP_SECONDS = env.float("CALLSYNC_SYNC_BACKOFF_CAP_SECONDS", 600.0, minimum=0.0)
CALLSYNC_SYNC_BATCH_SIZE = env.int("CALLSYNC_SYNC_BATCH_SIZE", 200, minimum=1)
# How long a worker's claim on a job lasts: a worker killed mid-sync holds its jobs this long,
# then any worker takes them over. Keep it above the sync task's hard time limit (300 s).
CALLSYNC_SYNC_LEASE_SECONDS = env.int("CALLSYNC_SYNC_LEASE_SECONDS", 330, minimum=5)
# After REQUEST_LIMIT_EXCEEDED, jobs wait at least this long before trying again.
CALLSYNC_SYNC_LIMIT_WAIT_SECONDS = env.float("CALLSYNC_SYNC_LIMIT_WAIT_SECONDS", 60.0, minimum=0.0)
# The sweeper leaves a job alone this long after its message was queued (it may be on its way).
CALLSYNC_SYNC_QUEUED_RECENTLY_SECONDS = env.float("CALLSYNC_SYNC_QUEUED_RECENTLY_SECONDS", 120.0, minimum=0.0)
# After a status "ended" without a report, wait this long for the report before syncing
# what is known: one API request per call instead of two.
CALLSYNC_REPORT_GRACE_SECONDS = env.float("CALLSYNC_REPORT_GRACE_SECONDS", 30.0)
# A call that has sent nothing for this long without ending is finalised from Vapi's API.
CALLSYNC_CALL_SILENCE_MINUTES = env.int("CALLSYNC_CALL_SILENCE_MINUTES", 15, minimum=1)

# --- Qualification, routing and outbound calls --------------------------------
# The Platform Event published when a call finishes hot, for Flows to subscribe to; empty: none.
CALLSYNC_QUALIFIED_EVENT = env.str("CALLSYNC_QUALIFIED_EVENT", "AI_Call_Qualified__e")
CALLSYNC_TRANSFER_MESSAGE = env.str(
    "CALLSYNC_TRANSFER_MESSAGE", "Great, let me connect you with {rep}, who can help you from here. One moment please.")
# Where callers who are not hot go when the assistant asks to transfer; empty: a polite refusal.
CALLSYNC_DEFAULT_TRANSFER_NUMBER = env.phone("CALLSYNC_DEFAULT_TRANSFER_NUMBER")
# In-call look-ups answer only about the caller's own number or the call's own lead; true lets
# lookup_lead answer about any number or lead id (trusted internal assistants only).
CALLSYNC_TOOLS_LOOKUP_ANY_LEAD = env.bool("CALLSYNC_TOOLS_LOOKUP_ANY_LEAD", False)
# Time zone for callback times said without one, when the caller's number does not tell.
CALLSYNC_DEFAULT_CALLER_TIMEZONE = env.str("CALLSYNC_DEFAULT_CALLER_TIMEZONE", "America/New_York")
# Outbound qualification calls: a lead called more recently than this is not called again.
CALLSYNC_OUTBOUND_MIN_HOURS_BETWEEN_CALLS = env.float("CALLSYNC_OUTBOUND_MIN_HOURS_BETWEEN_CALLS", 24.0, minimum=0.0)
# "required": only leads who said yes are called (the safe default for AI voices under the TCPA);
# "unless-refused": leads whose consent is unknown are called too.
CALLSYNC_OUTBOUND_CONSENT = env.choice("CALLSYNC_OUTBOUND_CONSENT", "required", ("required", "unless-refused"))
VAPI_API_TIMEOUT_SECONDS = env.float("VAPI_API_TIMEOUT_SECONDS", 10.0, minimum=0.1)

# --- Retention and erasure -------------------------------------------------------
# Transcripts, recording links, summaries and the words behind scores go after this many
# days; the call rows, their times, dispositions and scores stay.
CALLSYNC_RETENTION_TRANSCRIPT_DAYS = env.int("CALLSYNC_RETENTION_TRANSCRIPT_DAYS", 90, minimum=1)
# Raw webhook bodies and headers go after this many days; the event rows stay.
CALLSYNC_RETENTION_WEBHOOK_BODY_DAYS = env.int("CALLSYNC_RETENTION_WEBHOOK_BODY_DAYS", 30, minimum=1)
CALLSYNC_RETENTION_BATCH_SIZE = env.int("CALLSYNC_RETENTION_BATCH_SIZE", 500, minimum=1)
# "Forget this person": "clear-transcripts" also blanks what was said in Salesforce (the
# mapped transcript and summary fields); "none" leaves Salesforce to its own process.
CALLSYNC_FORGET_IN_SALESFORCE = env.choice("CALLSYNC_FORGET_IN_SALESFORCE", "clear-transcripts",
                                           ("clear-transcripts", "none"))

# --- Logging -----------------------------------------------------------------
LOG_LEVEL = env.choice("DJANGO_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
# One JSON object per line in production (what log shippers parse), plain text in DEBUG. Every line
# carries the call it concerns (call_id) and no phone number: see observability/logs.py.
LOG_FORMAT = env.choice("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json", ("json", "plain"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "call_id": {"()": "observability.logs.CallIdFilter"},
        "redact": {"()": "observability.logs.RedactingFilter"},
    },
    "formatters": {
        "json": {"()": "observability.logs.JsonFormatter"},
        "plain": {"()": "observability.logs.PlainFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["call_id", "redact"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Metrics -------------------------------------------------------------------
# GET /metrics (Prometheus) answers these networks, and anyone with the bearer token; anyone else gets 403.
CALLSYNC_METRICS_TOKEN = env.str("CALLSYNC_METRICS_TOKEN")
CALLSYNC_METRICS_ALLOWED_NETWORKS = env.list("CALLSYNC_METRICS_ALLOWED_NETWORKS", ["127.0.0.1/32", "::1/128"])
for _cidr in CALLSYNC_METRICS_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_cidr, strict=False)
    except ValueError:
        env.errors.append(f"CALLSYNC_METRICS_ALLOWED_NETWORKS: {_cidr!r} is not a network (e.g. 10.0.0.0/8).")

env.raise_if_invalid()
