"""The OpenAPI schema: valid, complete, public; its docs page served without a CDN."""

from pathlib import Path

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

ENDPOINTS = {
    "/webhooks/vapi/": "vapi_webhook",
    "/webhooks/twilio/voice/": "twilio_voice",
    "/webhooks/twilio/status/": "twilio_status",
    "/webhooks/twilio/recording/": "twilio_recording",
    "/api/leads/{reference}/qualify/": "lead_qualify",
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    path = Path(tmp_path_factory.mktemp("openapi")) / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))  # raises on any warning
    return yaml.safe_load(path.read_text())


def test_the_schema_lists_every_endpoint_with_its_operation(schema):
    assert {path: operations["post"]["operationId"] for path, operations in schema["paths"].items()} == ENDPOINTS
    assert schema["info"]["title"] == "callsync"


def test_each_endpoint_names_how_it_authenticates(schema):
    schemes = schema["components"]["securitySchemes"]
    assert {"vapiSignature", "vapiSecret", "vapiBearer", "twilioSignature", "tokenAuth", "cookieAuth"} <= set(schemes)
    assert schemes["vapiSignature"] == {**schemes["vapiSignature"], "in": "header", "name": "x-signature"}
    security = {path: ops["post"]["security"] for path, ops in schema["paths"].items()}
    assert security["/webhooks/vapi/"] == [{"vapiSignature": []}, {"vapiSecret": []}, {"vapiBearer": []}]
    assert security["/webhooks/twilio/status/"] == [{"twilioSignature": []}]
    assert security["/api/leads/{reference}/qualify/"] == [{"tokenAuth": []}, {"cookieAuth": []}]


def test_request_and_answer_shapes_are_described(schema):
    vapi = schema["paths"]["/webhooks/vapi/"]["post"]
    assert vapi["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/VapiEnvelopeRequest"}
    assert {"200", "400", "401", "413", "503"} <= set(vapi["responses"])
    status = schema["paths"]["/webhooks/twilio/status/"]["post"]
    assert list(status["requestBody"]["content"]) == ["application/x-www-form-urlencoded"]
    assert list(status["responses"]["200"]["content"]) == ["text/xml"]
    qualify = schema["paths"]["/api/leads/{reference}/qualify/"]["post"]
    assert "requestBody" not in qualify
    assert {"201", "404", "409", "503"} <= set(qualify["responses"])
    assert "lead_salesforce_id" in schema["components"]["schemas"]["QualificationCall"]["properties"]


@pytest.mark.django_db
def test_the_schema_is_public_and_served_as_openapi(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.django_db
def test_the_docs_page_loads_swagger_ui_from_this_server(admin_client):
    response = admin_client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "/api/schema/" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
