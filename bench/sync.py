"""Sync benchmark: finished calls through Celery workers to the local Salesforce sandbox.

Starts the sandbox (HTTPS), gunicorn and a Celery worker against a fresh PostgreSQL
database and Redis, then posts signed end-of-call reports and waits for each call's
Task in Salesforce:

  1. steady state: calls about leads Salesforce already has (outbound calls carry the
     lead id), posted one at a time;
  2. first contact: calls from numbers nobody has seen, one at a time (a phone look-up
     comes first);
  3. burst: a backlog of calls from new numbers (posted while the worker is stopped,
     as after an outage), then drained by the worker.

It prints Salesforce API requests per call and end-of-call report -> Salesforce
latency (p50/p95; from the report's arrival to the job's success, both stamped by
the database), and the burst's drain time.

    python bench/sync.py [--calls 1000] [--new 200] [--burst 1000] [--worker-processes 2]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    ROOT, SECRET, app_environment, fresh_database, fresh_redis, free_port, migrate, pct, send_all, start_server, start_worker,
    stop,
)

from devtools.salesforce_sandbox import SalesforceSandbox  # noqa: E402
from integrations.vapi.auth import sign  # noqa: E402

REPORT = json.loads((ROOT / "tests" / "fixtures" / "vapi" / "end-of-call-report.json").read_text())
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")


def report(index: int, phase: str, *, lead_id: str = "") -> tuple[str, bytes]:
    message = copy.deepcopy(REPORT)
    call = message["message"]["call"]
    call["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-sync-{phase}-{index}"))
    call["phoneCallProviderId"] = "CA" + uuid.uuid5(uuid.NAMESPACE_URL, call["id"]).hex
    call["customer"] = {"number": phone(index, phase)}
    if lead_id:
        call["type"] = "outboundPhoneCall"
        call["assistantOverrides"] = {"metadata": {"salesforceLeadId": lead_id}}
    return call["id"], json.dumps(message).encode()


def phone(index: int, phase: str) -> str:
    area = {"known": 206, "new": 312, "burst": 646, "warmup": 212}[phase]
    return f"+1{area}555{index:04d}"


def post_one(port: int, body: bytes) -> None:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/webhooks/vapi/", body, {"Content-Type": "application/json", "X-Vapi-Signature": sign(body, SECRET)})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"webhook answered {response.status}")


def wait_synced(call_ids: list[str], timeout: float = 600.0) -> None:
    from crm.models import SyncJob

    deadline = time.monotonic() + timeout
    # One query: with two, a job created between them (its report applied meanwhile) looked synced.
    while SyncJob.objects.filter(call__vapi_call_id__in=call_ids, state=SyncJob.State.SYNCED).count() < len(call_ids):
        if time.monotonic() > deadline:
            raise SystemExit("calls did not sync in time: is the worker running?")
        time.sleep(0.005)


def latencies(call_ids: list[str]) -> list[float]:
    from calls.models import WebhookEvent
    from crm.models import SyncJob

    received = dict(WebhookEvent.objects.filter(provider_call_id__in=call_ids, event_type="end-of-call-report")
                    .values_list("provider_call_id", "received_at"))
    synced = dict(SyncJob.objects.filter(call__vapi_call_id__in=call_ids).values_list("call__vapi_call_id", "synced_at"))
    return [(synced[call_id] - received[call_id]).total_seconds() for call_id in call_ids]


def one_at_a_time(port: int, sandbox, work: list[tuple[str, bytes]]) -> tuple[float, list[float]]:
    used = sandbox.org.api_calls_used
    for call_id, body in work:
        post_one(port, body)
        wait_synced([call_id])
    ids = [call_id for call_id, _ in work]
    return (sandbox.org.api_calls_used - used) / len(work), latencies(ids)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="steady-state calls, one at a time")
    parser.add_argument("--new", type=int, default=200, help="first-contact calls, one at a time")
    parser.add_argument("--burst", type=int, default=1000, help="calls in the backlog")
    parser.add_argument("--worker-processes", type=int, default=2)
    args = parser.parse_args()

    cert_dir = tempfile.mkdtemp(prefix="bench-sandbox-")
    sandbox = SalesforceSandbox(daily_api_limit=10_000_000, cert_dir=cert_dir).start()
    env = app_environment(
        fresh_database("callsync_bench_sync"), fresh_redis(REDIS_URL),
        SALESFORCE_LOGIN_URL=sandbox.login_url, SALESFORCE_CLIENT_ID=sandbox.client_id,
        SALESFORCE_CLIENT_SECRET=sandbox.client_secret, SALESFORCE_CA_BUNDLE=sandbox.ca_bundle,
        CALLSYNC_SALESFORCE_MAX_REQUESTS_PER_SECOND="1000",
    )
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    migrate(env)
    port = free_port()
    server = start_server(port, 2, env)
    worker = start_worker(env, args.worker_processes)
    try:
        one_at_a_time(port, sandbox, [report(i, "warmup") for i in range(5)])  # describe cache, connections
        lead_ids = [sandbox.org.insert("Lead", {"LastName": f"Known {i}", "Company": "Bench Co", "Phone": phone(i, "known")})
                    for i in range(args.calls)]
        steady = one_at_a_time(port, sandbox, [report(i, "known", lead_id=lead_ids[i]) for i in range(args.calls)])
        first = one_at_a_time(port, sandbox, [report(i, "new") for i in range(args.new)])

        stop(worker)
        burst = [report(i, "burst") for i in range(args.burst)]
        send_all(port, [("end-of-call-report", body) for _, body in burst], 16)
        used = sandbox.org.api_calls_used
        started = time.perf_counter()
        worker = start_worker(env, args.worker_processes)
        wait_synced([call_id for call_id, _ in burst])
        drain = time.perf_counter() - started
        burst_requests = (sandbox.org.api_calls_used - used) / args.burst
    finally:
        stop(worker)
        stop(server)
        sandbox.stop()

    print(f"sync: Celery worker ({args.worker_processes} processes) -> local Salesforce sandbox over HTTPS; PostgreSQL, Redis")
    for label, count, (requests, seconds) in (
        ("steady state (known leads), one at a time", args.calls, steady),
        ("first contact (new numbers), one at a time", args.new, first),
    ):
        print(f"  {label}: {count} calls")
        print(f"    API requests per call: {requests:.2f}")
        print(f"    end-of-call report -> Salesforce: p50 {pct(seconds, 50):.0f} ms  p95 {pct(seconds, 95):.0f} ms  "
              f"max {max(seconds) * 1000:.0f} ms")
    print(f"  burst: {args.burst} waiting calls from new numbers")
    print(f"    API requests per call: {burst_requests:.3f}")
    print(f"    drained in {drain:.1f} s ({args.burst / drain:.0f} calls/s)")


if __name__ == "__main__":
    main()
