#!/usr/bin/env bash
# `make run`: web, a Celery worker and beat. Without Salesforce credentials, also the
# local Salesforce sandbox (demo data, never a real org), with the app pointed at it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
# Web and worker processes keep their Prometheus counters here; /metrics adds them up. A new
# start begins at zero (Prometheus handles counter resets), so the files of the last run go.
export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-$PWD/var/prometheus}"
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -name '*.db' -delete

salesforce_configured() {
    python - <<'PY'
import os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from integrations.salesforce.config import SalesforceConfig
raise SystemExit(0 if SalesforceConfig.from_settings().configured else 1)
PY
}

if salesforce_configured; then
    exec honcho start -f Procfile web worker beat
fi
echo "No Salesforce credentials set: syncing to the local Salesforce sandbox at https://127.0.0.1:8443."
export SALESFORCE_LOGIN_URL="https://127.0.0.1:8443"
export SALESFORCE_CLIENT_ID="callsync-sandbox-client-id"
export SALESFORCE_CLIENT_SECRET="callsync-sandbox-client-secret"
export SALESFORCE_CA_BUNDLE="$PWD/var/salesforce-sandbox/ca.pem"
exec honcho start -f Procfile web worker beat salesforce
