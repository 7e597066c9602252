"""What the benchmarks share: a fresh database, the app's processes, signed senders, percentiles."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
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
        [gunicorn, "config.wsgi", "--config", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
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


def start_worker(env: dict[str, str], processes: int, queues: str = "") -> subprocess.Popen:
    """A Celery worker of `processes` processes, on every queue unless `queues` names some."""
    celery = str(Path(sys.executable).with_name("celery"))
    return subprocess.Popen(
        [celery, "-A", "config", "--quiet", "worker", "--concurrency", str(processes), "--loglevel", "WARNING",
         "--without-heartbeat", "--without-gossip", "--without-mingle", *(["-Q", queues] if queues else [])],
        cwd=ROOT, env=env,
    )


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


def postgres_cpu_seconds() -> float:
    """CPU time of this machine's PostgreSQL processes (the server and its backends), in seconds;
    compare two readings taken while the same connections are open."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, fields = stat.read_text().rsplit(")", 1)
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
        if name.endswith("(postgres"):
            fields = fields.split()
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
    sender counts too.

    The senders are coroutines on one event loop, each with its connection, and every request is
    signed and encoded, and every connection opened, before the clock starts: on a 2-core machine
    the load generator competes with the server for CPU, so it must cost little (0.3 ms a request
    here, against 0.4 for 32 threads on http.client) and never hold a finished response waiting
    for a thread to run."""
    return asyncio.run(_send_all(port, [(name, _request(port, body)) for name, body in work], concurrency, rate))


def _request(port: int, body: bytes) -> bytes:
    head = (f"POST /webhooks/vapi/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"X-Vapi-Signature: {sign(body, SECRET)}\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def _send_all(port: int, work: list[tuple[str, bytes]], concurrency: int, rate: float | None):
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[int, int] = defaultdict(int)
    cursor = iter(range(len(work)))
    loop = asyncio.get_running_loop()
    # Connected before the clock starts: the figures are the steady state, not 32 handshakes at once.
    connections = []
    for _ in range(concurrency):
        connections.append(await asyncio.open_connection("127.0.0.1", port))
        await asyncio.sleep(0.005)  # one at a time, as senders come: gunicorn's workers share them out
    begin = loop.time()

    async def sender(connection):
        for index in cursor:  # one iterator shared by all senders: each request is sent once
            name, request = work[index]
            started = loop.time()
            if rate:
                due = begin + index / rate
                if due > started:
                    await asyncio.sleep(due - started)
                started = due
            try:
                connection = connection or await asyncio.open_connection("127.0.0.1", port)
                status, kept_open = await _exchange(*connection, request)
                if not kept_open:  # the server closes after each answer (no keep-alive): connect again
                    connection[1].close()
                    connection = None
            except (OSError, ValueError, asyncio.IncompleteReadError):
                if connection:
                    connection[1].close()
                connection, status = None, 0
            latencies[name].append(loop.time() - started)
            statuses[status] += 1
        if connection:
            connection[1].close()

    await asyncio.gather(*(sender(connection) for connection in connections))
    return loop.time() - begin, latencies, statuses


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bool]:
    """Send one request and read its whole response; returns the status code and whether the
    connection stays open."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status, b"connection: close" not in head.lower()


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if len(values) > 1 else values[0] * 1000


