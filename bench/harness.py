"""What the benchmarks share: a fresh database, the app's processes, signed senders, percentiles."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from integrations.vapi.auth import sign  # noqa: E402

SECRET = "bench-hmac-secret"
# As in the Procfile: threads overlap one request's database waits with another's work.
GUNICORN_THREADS = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(name: str) -> str:
    """Drop and create a PostgreSQL database; returns its URL."""
    import psycopg

    admin_url = os.environ.get("BENCH_DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return admin_url.rsplit("/", 1)[0] + "/" + name


def fresh_redis(url: str) -> str:
    """Empty a Redis database for the broker: no messages left over from an earlier run."""
    import redis

    redis.Redis.from_url(url).flushdb()
    return url


def metrics_directory(name: str) -> str:
    """An empty directory for the app's processes to keep their Prometheus values in (multiprocess mode)."""
    path = ROOT / "var" / "bench-metrics" / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return str(path)


def app_environment(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of the app's processes: production settings, benchmark credentials, metrics on
    (as in production: the benchmarks pay for counting)."""
    return {
        "PROMETHEUS_MULTIPROC_DIR": metrics_directory(database_url.rsplit("/", 1)[-1]),
        **{k: v for k, v in os.environ.items() if not k.startswith(("VAPI_", "TWILIO_", "SALESFORCE_", "CALLSYNC_"))},
        "CALLSYNC_DOTENV": "false",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only",
        # A fixed key: benchmark data is throwaway, and encryption's cost belongs in the figures.
        "FIELD_ENCRYPTION_KEY": os.environ.get("FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1rZXktLS0tLS0tLS0tLS0tLS0tLS0="),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "VAPI_WEBHOOK_HMAC_SECRET": SECRET,
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


def migrate(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)


def start_server(port: int, workers: int, env: dict[str, str], threads: int = GUNICORN_THREADS) -> subprocess.Popen:
    """gunicorn as the Procfile runs it: `workers` processes of `threads` threads each (gthread)."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "gthread", "--threads", str(threads), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children still running (Linux /proc), in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for child in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def send_all(port: int, work: list[tuple[str, bytes]], concurrency: int, rate: float | None = None):
    """Post `work` from `concurrency` keep-alive senders, each sending its next request as soon as
    the last is answered; with `rate`, request i is due at i / rate seconds instead (an open load, as
    webhooks arrive), and its latency counts from when it was due, so time spent waiting for a free
    sender counts too."""
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[int, int] = defaultdict(int)
    lock = threading.Lock()
    cursor = iter(range(len(work)))
    begin = time.perf_counter()

    def sender():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            name, body = work[index]
            headers = {"Content-Type": "application/json", "X-Vapi-Signature": sign(body, SECRET)}
            started = time.perf_counter()
            if rate:
                due = begin + index / rate
                time.sleep(max(0.0, due - started))
                started = due
            try:
                conn.request("POST", "/webhooks/vapi/", body, headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                latencies[name].append(elapsed)
                statuses[status] += 1

    threads = [threading.Thread(target=sender) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - begin, latencies, statuses


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if len(values) > 1 else values[0] * 1000


