"""In-call latency: the messages a caller waits on, answered by gunicorn + PostgreSQL.

Posts signed tool-calls (score_lead, lookup_lead), assistant-request and
transfer-destination-request deliveries, one call each, first one at a time (what
one caller feels) and then from several concurrent senders (a busy line), and
prints latency percentiles per message. The targets: tool calls under 100 ms,
assistant-request well under Vapi's 7.5 s (we aim for 1 s).

    python bench/in_call.py [--requests 400] [--concurrency 8] [--workers 2]

Figures, not assertions.
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
    GUNICORN_THREADS, ROOT, app_environment, fresh_database, fresh_redis, free_port, migrate, pct, send_all, start_server, stop,
)

FIXTURES = ROOT / "tests" / "fixtures" / "vapi"
ANSWERS = {
    "budget": "We have about $40k set aside this quarter",
    "authority": "I'm the VP of Operations and I sign off on this",
    "need": "We need to automate our dispatch calls",
    "timeline": "We want it live within 6 weeks",
}


def _tool_calls(template: dict, name: str, arguments: dict) -> dict:
    message = copy.deepcopy(template)
    message["message"].pop("toolWithToolCallList", None)
    message["message"]["toolCallList"] = [{"id": "tool-1", "type": "function",
                                           "function": {"name": name, "arguments": json.dumps(arguments)}}]
    return message


def payloads(count: int, run: str) -> list[tuple[str, bytes]]:
    tool_calls = json.loads((FIXTURES / "tool-calls.json").read_text())
    kinds = {
        "score_lead": _tool_calls(tool_calls, "score_lead", ANSWERS),
        "lookup_lead": _tool_calls(tool_calls, "lookup_lead", {}),
        "assistant-request": json.loads((FIXTURES / "assistant-request.json").read_text()),
        "transfer-destination": json.loads((FIXTURES / "transfer-destination-request.json").read_text()),
    }
    out = []
    names = list(kinds)
    for i in range(count):
        name = names[i % len(names)]
        message = copy.deepcopy(kinds[name])
        message["message"]["call"]["id"] = f"in-call-{run}-{i:06d}"
        message["message"]["call"]["phoneCallProviderId"] = f"CAincall{run}{i:020d}"
        message["message"]["timestamp"] = 1763564645000 + i
        out.append((name, json.dumps(message).encode()))
    return out


def report(title: str, wall: float, count: int, latencies: dict, statuses: dict) -> None:
    print(f"  {title}: {count / wall:.0f} requests/s; status codes {dict(sorted(statuses.items()))}")
    for name, values in latencies.items():
        print(f"    {name:22} p50 {pct(values, 50):6.1f} ms  p95 {pct(values, 95):6.1f} ms  "
              f"p99 {pct(values, 99):6.1f} ms  max {max(values) * 1000:6.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    env = app_environment(fresh_database("callsync_bench_in_call"),
                          fresh_redis(os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")),
                          VAPI_ASSISTANT_ID="bench-assistant", CALLSYNC_DEFAULT_TRANSFER_NUMBER="+14155550999")
    migrate(env)
    port = free_port()
    server = start_server(port, args.workers, env)
    try:
        send_all(port, payloads(40, "warm"), 4)  # connections and imports
        alone = send_all(port, payloads(args.requests, "alone"), 1)
        busy = send_all(port, payloads(args.requests, "busy"), args.concurrency)
    finally:
        stop(server)
    print(f"in-call: {args.requests} signed deliveries per run, gunicorn {args.workers} workers x {GUNICORN_THREADS} threads (gthread), PostgreSQL")
    report("one caller at a time", alone[0], args.requests, alone[1], alone[2])
    report(f"{args.concurrency} concurrent senders", busy[0], args.requests, busy[1], busy[2])


if __name__ == "__main__":
    main()
