"""A signed webhook sent with `Transfer-Encoding: chunked` (no Content-Length) to gunicorn, as
the Procfile runs it, is read whole and stored; it used to be read as an empty body."""

import hashlib
import hmac
import json
import socket
import time

import pytest
from django.db import connection

from bench.harness import SECRET, app_environment, free_port, start_server, stop
from calls.models import WebhookEvent
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db(transaction=True)


def chunked_request(port: int, body: bytes, headers: dict[str, str]) -> bytes:
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:100], body[100:]) if part) + b"0\r\n\r\n"
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    request = (f"POST /webhooks/vapi/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               f"Transfer-Encoding: chunked\r\nConnection: close\r\n{head}\r\n").encode() + chunks
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while data := sock.recv(65536):
            answer += data
    return answer


@pytest.fixture
def gunicorn(settings):
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    port = free_port()
    environment = app_environment(database_url, settings.CELERY_BROKER_URL, DJANGO_SETTINGS_MODULE="config.settings")
    server = start_server(port, 1, environment, threads=2)
    yield port
    stop(server)


def test_a_chunked_signed_body_is_stored_whole(gunicorn):
    body = json.dumps(vapi_fixture("status-update-in-progress")).encode()
    stamp = str(int(time.time() * 1000))
    signature = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    # As the TLS proxy in front forwards it (production settings redirect plain HTTP).
    answer = chunked_request(gunicorn, body, {"x-signature": signature, "x-timestamp": stamp, "X-Forwarded-Proto": "https"})
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    event = WebhookEvent.objects.get()
    assert json.loads(event.body) == json.loads(body)
    assert event.event_type == "status-update"
