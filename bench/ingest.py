"""Ingest benchmark: signed Vapi webhooks into gunicorn + PostgreSQL.

Starts gunicorn on a free port against a fresh PostgreSQL database, then posts
realistic messages (status updates, final transcripts, conversation updates,
end-of-call reports; each call distinct) from N concurrent keep-alive senders,
and prints events/s and latency percentiles per message type.

    python bench/ingest.py [--events 4000] [--concurrency 32] [--workers 2]

Figures, not assertions: run it on a quiet machine and compare before/after.
"""

from __future__ import annotations

import argparse
import copy
import http.client
import json
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

FIXTURES = ROOT / "tests" / "fixtures" / "vapi"
SECRET = "bench-hmac-secret"
MIX = ["status-update-in-progress", "transcript-final", "transcript-final-typed", "conversation-update", "end-of-call-report"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def payloads(count: int, first: int = 0) -> list[tuple[str, bytes]]:
    """`count` events of distinct calls, numbered from `first` (so runs never repeat each other)."""
    templates = {name: json.loads((FIXTURES / f"{name}.json").read_text()) for name in MIX}
    out = []
    for i in range(first, first + count):
        name = MIX[i % len(MIX)]
        message = copy.deepcopy(templates[name])
        call_index = i // len(MIX)
        message["message"]["call"]["id"] = f"bench-{call_index:08d}"
        message["message"]["call"]["phoneCallProviderId"] = f"CAbench{call_index:026d}"
        message["message"]["timestamp"] = 1763564645000 + i
        out.append((name, json.dumps(message).encode()))
    return out


def start_server(port: int, workers: int, database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "CALLSYNC_DOTENV": "false",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "VAPI_WEBHOOK_HMAC_SECRET": SECRET,
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    admin_url = os.environ.get("BENCH_DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    database_url = admin_url.rsplit("/", 1)[0] + "/callsync_bench"
    import psycopg

    with psycopg.connect(admin_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS callsync_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE callsync_bench")

    port = free_port()
    server = start_server(port, args.workers, database_url)
    try:
        warmup = 200
        send_all(port, payloads(warmup), args.concurrency)  # connections, imports; calls of its own
        wall, latencies, statuses = send_all(port, payloads(args.events, first=warmup), args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=10)

    every = [v for values in latencies.values() for v in values]
    print(f"ingest: {args.events} signed Vapi webhooks, {args.concurrency} concurrent senders, gunicorn {args.workers} sync workers, PostgreSQL")
    print(f"  throughput: {args.events / wall:.0f} events/s over {wall:.1f} s")
    print(f"  all       p50 {pct(every, 50):6.1f} ms  p95 {pct(every, 95):6.1f} ms  p99 {pct(every, 99):6.1f} ms  max {max(every) * 1000:6.1f} ms")
    for name in MIX:
        values = latencies[name]
        print(f"  {name:26} p50 {pct(values, 50):6.1f}  p95 {pct(values, 95):6.1f}  p99 {pct(values, 99):6.1f}  max {max(values) * 1000:6.1f}")
    print(f"  status codes: {dict(sorted(statuses.items()))}")


if __name__ == "__main__":
    main()
