"""What the benchmarks share: a fresh database, the app's processes, signed senders, percentiles."""

from __future__ import annotations

import http.client
import os
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


def app_environment(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of the app's processes: production settings, benchmark credentials."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("VAPI_", "TWILIO_", "SALESFORCE_", "CALLSYNC_"))},
        "CALLSYNC_DOTENV": "false",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "VAPI_WEBHOOK_HMAC_SECRET": SECRET,
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


def migrate(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)


def start_server(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"],
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


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def send_all(port: int, work: list[tuple[str, bytes]], concurrency: int):
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[int, int] = defaultdict(int)
    lock = threading.Lock()
    cursor = iter(range(len(work)))

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
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, statuses


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if len(values) > 1 else values[0] * 1000


