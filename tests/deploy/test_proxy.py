"""The documented production stack (docs/deploy/nginx.conf in front of gunicorn with
config/gunicorn.py) against the slow-body attack: 32 connections that announce a 100,000-byte
webhook body and send it a byte at a time. gunicorn alone goes offline; behind the proxy
/healthz answers within 1 s and signed Vapi and Twilio webhooks are answered and stored."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from bench.harness import app_environment, free_port, start_server, stop
from calls.models import WebhookEvent
from tests.chaos.support import PrivateRedis
from tests.deploy.proxy import Nginx, answers_within, connections_to, request, slow_bodies
from tests.support import signing

pytestmark = pytest.mark.django_db(transaction=True)

# The figure: 12 slow bodies against the 8 threads of the Procfile's gthread 2 x 4.
ATTACKERS = 12
THREADS = 8
DIRECT = "127.0.0.1"  # the Host of requests sent to gunicorn itself


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis().start()  # the webhooks' task messages go here, not to a shared Redis
    yield redis
    redis.stop()


@pytest.fixture
def gunicorn(private_redis) -> Iterator[Callable[..., int]]:
    """Start gunicorn as the Procfile does, production settings, on the test database; returns its port."""
    started = []

    def start(public_base_url: str = "", workers: int = 2) -> int:
        port = free_port()
        database = connection.settings_dict  # the test database, as tests/chaos uses it
        database_url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        env = app_environment(
            database_url, private_redis.url,
            DJANGO_SETTINGS_MODULE="config.settings", PUBLIC_BASE_URL=public_base_url or f"http://127.0.0.1:{port}",
            VAPI_WEBHOOK_HMAC_SECRET=signing.VAPI_HMAC_SECRET, TWILIO_AUTH_TOKEN=signing.TWILIO_TOKEN)
        started.append(start_server(port, workers, env, threads=THREADS // workers))
        deadline = time.monotonic() + 20
        while not answers_within(port, "/healthz", 1.0, host=DIRECT):  # the workers have booted
            assert time.monotonic() < deadline, "gunicorn did not answer /healthz"
            time.sleep(0.1)
        return port

    yield start
    for process in started:
        stop(process)


@pytest.fixture
def proxy(tmp_path, gunicorn) -> Iterator[Nginx]:
    """nginx with the documented config in front of gunicorn, whose PUBLIC_BASE_URL is the proxy's https URL."""
    nginx = Nginx(tmp_path, gunicorn(signing.PUBLIC_BASE_URL)).start()
    yield nginx
    nginx.stop()


def test_gunicorn_alone_is_taken_offline_by_slow_bodies(gunicorn):
    # The same 8 threads in one worker: which of two workers accepts each connection is a race
    # (one that has just booted takes none), and the point is the threads, not the race.
    port = gunicorn(workers=1)
    with slow_bodies(port, ATTACKERS, host=DIRECT):
        time.sleep(0.5)  # every thread is now reading a body that will not come
        assert not answers_within(port, "/healthz", 1.0, host=DIRECT)
    assert answers_within(port, "/healthz", 5.0, host=DIRECT)  # the attackers gone, it answers again


def test_behind_the_proxy_slow_bodies_leave_healthz_and_signed_webhooks_answering(proxy):
    tls = proxy.client_context()
    with slow_bodies(proxy.https_port, 4 * ATTACKERS, tls) as attack:  # with room to spare
        for _ in range(3):
            attack.trickle()
            assert answers_within(proxy.https_port, "/healthz", 1.0, tls)
            # nginx holds the slow bodies: gunicorn sees none of them, only nginx's kept-alive connections.
            assert connections_to(proxy.upstream_port) < THREADS
            time.sleep(2)

        assert post_vapi(proxy, signing.vapi_fixture("status-update-in-progress")).status == 200
        twilio_path = "/webhooks/twilio/status/?source=" + quote("queue/a b", safe="")  # kept as sent
        callback = signing.twilio_fixture("status-completed")
        assert post_twilio(proxy, twilio_path, callback).status == 200
        assert post_twilio(proxy, twilio_path, callback, forged=True).status == 401  # the check did run
        assert attack.dropped_within(0.1) == 0  # all still connected, held by nginx

        # A client that stops sending is dropped once client_body_timeout (10 s) passes.
        assert attack.dropped_within(15) == 4 * ATTACKERS

    vapi_call_id = signing.vapi_fixture("status-update-in-progress")["message"]["call"]["id"]
    assert WebhookEvent.objects.filter(provider="vapi", provider_call_id=vapi_call_id, valid=True).count() == 1
    assert WebhookEvent.objects.filter(provider="twilio", path="/webhooks/twilio/status/", valid=True).count() == 1


def test_the_proxy_passes_webhook_bodies_up_to_the_apps_limit_and_refuses_bigger(proxy):
    limit = settings.WEBHOOK_MAX_BODY_BYTES
    envelope = signing.vapi_fixture("unknown-type")
    envelope["message"]["padding"] = ""
    envelope["message"]["padding"] = "x" * (limit - len(json.dumps(envelope).encode()))

    assert post_vapi(proxy, envelope).status == 200  # exactly WEBHOOK_MAX_BODY_BYTES
    envelope["message"]["padding"] += "x"
    assert post_vapi(proxy, envelope).status == 413


def test_the_proxy_sets_the_scheme_redirects_plain_http_and_keeps_metrics_inside(proxy):
    tls = proxy.client_context()
    health = request(proxy.https_port, "GET", "/healthz", context=tls, headers={"X-Forwarded-Proto": "http"})
    # The proxy's X-Forwarded-Proto replaced the client's: Django saw HTTPS, and sent HSTS.
    assert health.status == 200 and "max-age=31536000" in health.headers["Strict-Transport-Security"]

    plain = request(proxy.http_port, "GET", "/calls/?page=2")
    assert plain.status == 301 and plain.headers["Location"] == "https://callsync.example.com/calls/?page=2"

    # Every request reaches gunicorn from 127.0.0.1, which the app lets read /metrics: nginx refuses.
    assert request(proxy.https_port, "GET", "/metrics", context=tls).status == 403


def test_the_proxy_and_gunicorn_agree_on_the_longest_request_line(proxy):
    tls = proxy.client_context()
    # 7 KiB: under nginx's 8 KiB buffers, so gunicorn must take it too (its default stops at 4 KiB).
    assert request(proxy.https_port, "GET", "/healthz?q=" + "x" * 7 * 1024, context=tls).status == 200
    assert request(proxy.https_port, "GET", "/healthz?q=" + "x" * 9 * 1024, context=tls).status == 414  # nginx


def post_vapi(proxy: Nginx, envelope: dict):
    body = json.dumps(envelope).encode()
    return request(proxy.https_port, "POST", "/webhooks/vapi/", body=body, context=proxy.client_context(),
                   headers={"Content-Type": "application/json", **headers_from_meta(signing.vapi_headers(body))})


def post_twilio(proxy: Nginx, path: str, params: dict[str, str], forged: bool = False):
    body, meta = signing.twilio_request(path, params, token="not-the-token" if forged else signing.TWILIO_TOKEN)
    return request(proxy.https_port, "POST", path, body=body.encode(), context=proxy.client_context(),
                   headers={"Content-Type": "application/x-www-form-urlencoded", **headers_from_meta(meta)})


def headers_from_meta(meta: dict[str, str]) -> dict[str, str]:
    """HTTP_X_VAPI_SIGNATURE (the test client's spelling, as tests/support/signing gives it) -> X-Vapi-Signature."""
    return {key.removeprefix("HTTP_").replace("_", "-").title(): value for key, value in meta.items()}
