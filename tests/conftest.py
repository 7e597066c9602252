import json

import pytest

from tests.support import signing
from tests.support.vapi_api import VapiStandIn
pytest_plugins = ["tests.support.salesforce"]


@pytest.fixture
def vapi_auth(settings):
    """All three Vapi credentials configured, as an assistant might have them."""
    settings.VAPI_WEBHOOK_SECRET = signing.VAPI_SECRET
    settings.VAPI_WEBHOOK_HMAC_SECRET = signing.VAPI_HMAC_SECRET
    settings.VAPI_WEBHOOK_BEARER_TOKEN = signing.VAPI_BEARER
    return settings


@pytest.fixture
def post_vapi(client, vapi_auth):
    """POST a Vapi envelope (dict or raw bytes) signed with HMAC unless told otherwise, then do
    what the worker does next: apply the events stored to be applied after the answer.
    `worker=False` leaves them waiting."""

    def post(payload, mode: str = "hmac", worker: bool = True, **extra):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        response = client.generic(
            "POST", "/webhooks/vapi/", body, content_type="application/json", **signing.vapi_headers(body, mode), **extra
        )
        if worker:
            from calls.tasks import apply_waiting_webhook_events

            apply_waiting_webhook_events()
        return response

    return post


@pytest.fixture
def twilio_auth(settings):
    settings.TWILIO_AUTH_TOKEN = signing.TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = signing.PUBLIC_BASE_URL
    return settings


@pytest.fixture
def post_twilio(client, twilio_auth):
    def post(path: str, params: dict[str, str]):
        body, headers = signing.twilio_request(path, params)
        return client.generic("POST", path, body, content_type="application/x-www-form-urlencoded", **headers)

    return post


@pytest.fixture
def vapi_api(settings):
    """Vapi's REST API served locally; settings point the app at it."""
    standin = VapiStandIn().start()
    settings.VAPI_BASE_URL = standin.base_url
    settings.VAPI_API_KEY = "vapi-private-key-for-tests"
    settings.VAPI_ASSISTANT_ID = "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
    settings.VAPI_PHONE_NUMBER_ID = "7c8d9e0f-1111-4222-8333-444455556666"
    yield standin
    standin.stop()
