"""The broker, Celery's queues and beat schedule, and the shared cache."""

from kombu import Queue

from config.settings.base import VAR_DIR, env

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
# The sync tasks live in crm/tasks.py but keep their registered names from when they were in
# leads/tasks.py (see crm/tasks.py): messages queued before a deploy and this schedule still find them.
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
