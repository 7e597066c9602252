"""Logs and the metrics endpoint."""

import ipaddress

from config.settings.base import DEBUG, env

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
