"""The app as it runs in production, in processes a chaos test can break.

gunicorn (bench/harness.py starts it), two `celery -A config worker` processes and
`celery -A config beat`, all with production settings, against the test database, the
Salesforce sandbox (in this process, over HTTPS) and a PRIVATE redis-server that a test
may stop and start again: the shared Redis on 6379 is never touched."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from django.db import connection

from bench.harness import ROOT, SECRET, app_environment, free_port, start_server, stop
from crm.models import SyncAttempt, SyncJob
from devtools.simulation.sender import Credentials, Sender

BIN = Path(sys.executable).parent
TWILIO_TOKEN = "chaos-twilio-auth-token"


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str, poll: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(poll)


class PrivateRedis:
    """A redis-server of this test's own, on a free port, with no persistence."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        server = shutil.which("redis-server")
        if server is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, timeout=10, what=f"redis-server on port {self.port}")
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class App:
    """gunicorn, Celery workers and beat with production settings; `post` sends signed Vapi requests."""

    def __init__(self, *, redis: PrivateRedis, sandbox, **settings: str):
        self.port = free_port()
        self.schedule_dir = tempfile.mkdtemp(prefix="chaos-beat-")
        database = connection.settings_dict
        database_url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        self.env = app_environment(
            database_url, redis.url,
            DJANGO_SETTINGS_MODULE="config.settings",
            PUBLIC_BASE_URL=f"http://127.0.0.1:{self.port}",
            SALESFORCE_LOGIN_URL=sandbox.login_url, SALESFORCE_CLIENT_ID=sandbox.client_id,
            SALESFORCE_CLIENT_SECRET=sandbox.client_secret, SALESFORCE_CA_BUNDLE=sandbox.ca_bundle,
            SALESFORCE_API_VERSION=sandbox.api_version,
            TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
            CALLSYNC_SALESFORCE_MAX_REQUESTS_PER_SECOND="1000",
            CALLSYNC_SYNC_BACKOFF_BASE_SECONDS="0.05",
            CALLSYNC_SYNC_BACKOFF_CAP_SECONDS="1",
            CALLSYNC_REPORT_GRACE_SECONDS="1",
            # Beat: sweep for lost or abandoned jobs every second; leave the other jobs alone.
            CALLSYNC_SYNC_SWEEP_INTERVAL_SECONDS="1",
            CALLSYNC_FINALIZE_INTERVAL_SECONDS="3600",
            **settings,
        )
        self.server: subprocess.Popen | None = None
        self.workers: dict[str, subprocess.Popen] = {}
        self.beat: subprocess.Popen | None = None

    def start(self, *, workers: int = 2, beat: bool = True) -> App:
        self.server = start_server(self.port, 2, self.env)
        for index in range(workers):
            self.start_worker(f"w{index + 1}")
        if beat:
            self.beat = subprocess.Popen(
                [str(BIN / "celery"), "-A", "config", "--quiet", "beat", "--loglevel", "WARNING",
                 "-s", os.path.join(self.schedule_dir, "schedule")], cwd=ROOT, env=self.env)
        return self

    def start_worker(self, name: str) -> subprocess.Popen:
        """One worker process (solo pool: the process that syncs is the one a test kills)."""
        self.workers[name] = subprocess.Popen(
            [str(BIN / "celery"), "-A", "config", "--quiet", "worker", "--pool", "solo", "-n", f"{name}@%h",
             "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=self.env)
        return self.workers[name]

    def kill_worker(self, name: str) -> None:
        worker = self.workers.pop(name)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    def stop(self) -> None:
        for process in [*self.workers.values(), self.beat, self.server]:
            if process is not None:
                stop(process)
        self.workers.clear()
        self.beat = self.server = None
        shutil.rmtree(self.schedule_dir, ignore_errors=True)

    def sender(self, concurrency: int = 8) -> Sender:
        base_url = f"http://127.0.0.1:{self.port}"
        return Sender(base_url, Credentials(SECRET, TWILIO_TOKEN, base_url), concurrency=concurrency)


def sync_states(call_ids: list[str]) -> Counter:
    return Counter(SyncJob.objects.filter(call__vapi_call_id__in=call_ids).values_list("state", flat=True))


def wait_synced(call_ids: list[str], *, timeout: float) -> None:
    def all_synced() -> bool:
        return sync_states(call_ids) == Counter({SyncJob.State.SYNCED: len(call_ids)})

    wait_for(all_synced, timeout=timeout, what=f"{len(call_ids)} calls to sync (now {dict(sync_states(call_ids))})")


def tasks_by_call(sandbox, call_ids: list[str]) -> Counter:
    """How many call Tasks the org holds for each call."""
    wanted = set(call_ids)
    return Counter(task["Vapi_Call_Id__c"] for task in sandbox.org.records("Task")
                   if task.get("TaskSubtype") == "Call" and task.get("Vapi_Call_Id__c") in wanted)


def leads_by_phone(sandbox, numbers: list[str]) -> Counter:
    wanted = set(numbers)
    return Counter(lead["Phone"] for lead in sandbox.org.records("Lead") if lead.get("Phone") in wanted)


def attempt_outcomes(call_id: str) -> list[str]:
    return list(SyncAttempt.objects.filter(job__call__vapi_call_id=call_id).order_by("pk")
                .values_list("outcome", flat=True))
