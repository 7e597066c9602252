"""Ingest benchmark: signed Vapi webhooks into gunicorn + PostgreSQL, then applied by a worker.

Starts gunicorn on a free port against a fresh PostgreSQL database, then posts
realistic messages (status updates, final transcripts, conversation updates,
end-of-call reports; each call distinct) from N concurrent keep-alive senders, in two
phases, and prints events/s and latency percentiles per message type for each:

- offered at --rate events/s (default 500): an open load, as webhooks arrive; latency
  counts from when each event was due;
- as fast as answered: each sender posts its next event as soon as the last is answered,
  so the server always has N waiting: the throughput at saturation (latency there is
  mostly queueing, N / throughput).

Then a Celery worker on the `events` queue applies what the webhooks stored, and the
time it took is printed.

    python bench/ingest.py [--events 6000] [--concurrency 32] [--rate 500] [--workers 2] [--threads 4]

Figures, not assertions: run it on a quiet machine and compare before/after.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    GUNICORN_THREADS, ROOT, app_environment, cpu_seconds, fresh_database, fresh_redis, free_port, migrate, pct, send_all,
    postgres_cpu_seconds, start_server, start_worker, stop,
)

FIXTURES = ROOT / "tests" / "fixtures" / "vapi"
MIX = ["status-update-in-progress", "transcript-final", "transcript-final-typed", "conversation-update", "end-of-call-report"]


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=6000, help="events per phase")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=GUNICORN_THREADS, help="threads per gunicorn worker")
    parser.add_argument("--rate", type=float, default=500.0, help="events/s the second phase offers")
    parser.add_argument("--apply-processes", type=int, default=2,
                        help="Celery processes that apply the stored events afterwards (0: skip that phase)")
    args = parser.parse_args()

    env = app_environment(fresh_database("callsync_bench"), fresh_redis(os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")))
    migrate(env)
    port = free_port()
    server = start_server(port, args.workers, env, threads=args.threads)
    print(f"ingest: signed Vapi webhooks from {args.concurrency} concurrent keep-alive senders to gunicorn "
          f"{args.workers} workers x {args.threads} threads (gthread), PostgreSQL; {os.cpu_count()} CPUs")
    try:
        warmup = 200
        send_all(port, payloads(warmup), args.concurrency)  # connections, imports; calls of its own
        first = warmup
        for title, rate in ((f"offered at {args.rate:g}/s", args.rate), ("as fast as answered", None)):
            report(title, server.pid, port, payloads(args.events, first=first), args.concurrency, rate)
            first += args.events
    finally:
        stop(server)
    if args.apply_processes:
        drain(env, args.apply_processes)


def report(title: str, server_pid: int, port: int, work, concurrency: int, rate: float | None) -> None:
    cpu_before, client_before, database_before = cpu_seconds(server_pid), time.process_time(), postgres_cpu_seconds()
    wall, latencies, statuses = send_all(port, work, concurrency, rate)
    server_cpu, client_cpu = cpu_seconds(server_pid) - cpu_before, time.process_time() - client_before
    database_cpu = postgres_cpu_seconds() - database_before
    every = [v for values in latencies.values() for v in values]
    print(f"- {title}: {len(work)} events, {len(work) / wall:.0f} events/s over {wall:.1f} s; "
          f"CPU per event: gunicorn {server_cpu * 1000 / len(work):.2f} ms, PostgreSQL {database_cpu * 1000 / len(work):.2f}, "
          f"the senders {client_cpu * 1000 / len(work):.2f}")
    print(f"  all       p50 {pct(every, 50):6.1f} ms  p95 {pct(every, 95):6.1f} ms  p99 {pct(every, 99):6.1f} ms  max {max(every) * 1000:6.1f} ms")
    for name in MIX:
        values = latencies[name]
        print(f"  {name:26} p50 {pct(values, 50):6.1f}  p95 {pct(values, 95):6.1f}  p99 {pct(values, 99):6.1f}  max {max(values) * 1000:6.1f}")
    print(f"  status codes: {dict(sorted(statuses.items()))}")


def drain(env: dict[str, str], processes: int) -> None:
    """What the webhooks stored, applied by a Celery worker on the `events` queue: calls, transcripts,
    scores; the sync jobs it opens are left queued (bench/sync.py measures the sync)."""
    import psycopg

    with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://"), autocommit=True) as conn:
        def waiting() -> int:
            return conn.execute("SELECT count(*) FROM calls_webhookevent WHERE status = 'received'").fetchone()[0]

        backlog, began = waiting(), time.perf_counter()
        worker = start_worker(env, processes, queues="events")
        try:
            while waiting():
                time.sleep(0.2)
        finally:
            stop(worker)
        took = time.perf_counter() - began
        outcomes = dict(conn.execute("SELECT status, count(*) FROM calls_webhookevent GROUP BY status").fetchall())
    print(f"- applied by a Celery worker ({processes} processes, queue events): {backlog} waiting events in "
          f"{took:.1f} s, {backlog / took:.0f} events/s, worker start included; events by status: {outcomes}")


if __name__ == "__main__":
    main()
