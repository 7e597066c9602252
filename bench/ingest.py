"""Ingest benchmark: signed Vapi webhooks into gunicorn + PostgreSQL.

Starts gunicorn on a free port against a fresh PostgreSQL database, then posts
realistic messages (status updates, final transcripts, conversation updates,
end-of-call reports; each call distinct) from N concurrent keep-alive senders,
and prints events/s and latency percentiles per message type.

    python bench/ingest.py [--events 4000] [--concurrency 32] [--workers 2] [--threads 4] [--rate 100]

Without --rate each sender posts its next event as soon as the last is answered, so the
server always has 32 waiting and latency is mostly queueing (32 / throughput); --rate
offers a fixed number of events per second instead, and shows the latency at that rate.

Figures, not assertions: run it on a quiet machine and compare before/after.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    GUNICORN_THREADS, ROOT, app_environment, cpu_seconds, fresh_database, fresh_redis, free_port, migrate, pct, send_all,
    start_server, stop,
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
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=GUNICORN_THREADS, help="threads per gunicorn worker")
    parser.add_argument("--rate", type=float, default=None,
                        help="events/s to offer (an open load: latency at that rate); default: as fast as answered")
    args = parser.parse_args()

    env = app_environment(fresh_database("callsync_bench"), fresh_redis(os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")))
    migrate(env)
    port = free_port()
    server = start_server(port, args.workers, env, threads=args.threads)
    try:
        warmup = 200
        send_all(port, payloads(warmup), args.concurrency)  # connections, imports; calls of its own
        cpu_before = cpu_seconds(server.pid)
        wall, latencies, statuses = send_all(port, payloads(args.events, first=warmup), args.concurrency, args.rate)
        server_cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        stop(server)

    every = [v for values in latencies.values() for v in values]
    offered = f" offered at {args.rate:g}/s" if args.rate else ""
    print(f"ingest: {args.events} signed Vapi webhooks{offered}, {args.concurrency} concurrent senders, "
          f"gunicorn {args.workers} workers x {args.threads} threads (gthread), PostgreSQL")
    print(f"  throughput: {args.events / wall:.0f} events/s over {wall:.1f} s; "
          f"gunicorn CPU {server_cpu * 1000 / args.events:.1f} ms/event")
    print(f"  all       p50 {pct(every, 50):6.1f} ms  p95 {pct(every, 95):6.1f} ms  p99 {pct(every, 99):6.1f} ms  max {max(every) * 1000:6.1f} ms")
    for name in MIX:
        values = latencies[name]
        print(f"  {name:26} p50 {pct(values, 50):6.1f}  p95 {pct(values, 95):6.1f}  p99 {pct(values, 99):6.1f}  max {max(values) * 1000:6.1f}")
    print(f"  status codes: {dict(sorted(statuses.items()))}")


if __name__ == "__main__":
    main()
