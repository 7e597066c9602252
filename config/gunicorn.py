"""gunicorn's settings beyond the command line: `gunicorn config.wsgi --config config/gunicorn.py`
(the Procfile, docs/deploy.md, the benchmarks)."""

import gc
import os

# The worker's heartbeat touches a file on every turn of its loop (twice per request): on a
# disk-backed /tmp a touch can stall the worker; in memory it cannot (gunicorn's advice for containers).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"


def post_worker_init(worker):
    # Django, DRF and the app are loaded now and live as long as the worker: frozen, they are
    # left out of every garbage collection.
    gc.freeze()
