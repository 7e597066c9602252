"""gunicorn's settings beyond the command line: `gunicorn config.wsgi --config config/gunicorn.py`
(the Procfile, docs/deploy.md, the benchmarks).

In production gunicorn never faces the internet alone: a gthread worker gives a thread to a request
from its first byte until its body is read, so a dozen clients sending a body a byte at a time hold
every thread. nginx in front (docs/deploy/nginx.conf) reads each request whole, with short
timeouts, before gunicorn sees it. The limits here are the second line, and match nginx's."""

import gc
import os

# The request line and each header: at most 8 KiB, as nginx's `large_client_header_buffers 4 8k`
# (gunicorn's maximum), so nothing nginx lets through is refused here. Webhook bodies (1 MiB,
# WEBHOOK_MAX_BODY_BYTES) and Twilio's form posts are bodies: these limits do not touch them.
limit_request_line = 8190
limit_request_field_size = 8190
# Headers per request: Twilio sends about 15, browsers about 20, nginx adds three.
limit_request_fields = 100

# A worker whose main loop is silent this long is killed and replaced. Requests themselves run in
# threads (gthread) and are bounded by nginx's proxy_read_timeout (60 s).
timeout = 30
# On a restart (SIGTERM), requests in hand get this long to finish: longer than Vapi waits for an
# answer (20 s), shorter than systemd's TimeoutStopSec=30 (docs/deploy.md).
graceful_timeout = 25
# Idle connections from nginx stay open longer than nginx keeps them (keepalive_timeout 60s in the
# upstream block): the proxy, not gunicorn, closes them, so nginx never sends a webhook on a
# connection gunicorn has just closed (a POST is not retried: that would be a 502 and a lost event).
keepalive = 75

# The worker's heartbeat touches a file on every turn of its loop (twice per request): on a
# disk-backed /tmp a touch can stall the worker; in memory it cannot (gunicorn's advice for containers).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"


def post_worker_init(worker):
    # Django, DRF and the app are loaded now and live as long as the worker: frozen, they are
    # left out of every garbage collection.
    gc.freeze()


# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), shared by
# every gunicorn on the host (two web pools, the tests, the benchmarks): nothing here uses it.
control_socket_disable = True
