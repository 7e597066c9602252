"""Ids that arrive in webhooks never steer an outbound request to another path: each client
refuses an id that is not one, and quotes what can be anything into exactly one path segment.
Checked against the real-HTTP stand-ins (Vapi's API, the Salesforce sandbox)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from calls.models import Call
from calls.tasks import finalize_silent_calls
from integrations.salesforce.client import external_id_path, get_client, record_path
from integrations.vapi.client import VapiApiError, get_client as vapi_client
from tests.leads.sync_support import post_call, run_job
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

TRAVERSAL = "../../admin/delete?all=1#"


def test_a_webhook_call_id_that_is_a_path_never_reaches_vapi(post_vapi, vapi_api):
    silent = vapi_fixture("status-update-in-progress")
    silent["message"]["call"]["id"] = TRAVERSAL
    assert post_vapi(silent).status_code == 200
    Call.objects.filter(vapi_call_id=TRAVERSAL).update(last_provider_event_at=timezone.now() - timedelta(hours=1))

    assert finalize_silent_calls() == {"closed incomplete": 1}  # as when Vapi cannot describe the call
    assert vapi_api.requests == []


@pytest.mark.parametrize("call_id", [TRAVERSAL, "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f/../../x", "", "%2e%2e"])
def test_the_vapi_client_refuses_what_is_not_a_vapi_id_before_sending(vapi_api, settings, call_id):
    client = vapi_client(vapi_api.base_url, settings.VAPI_API_KEY, 2.0)
    with pytest.raises(VapiApiError, match="is not a Vapi id"):
        client.get_call(call_id)
    assert vapi_api.requests == []


def test_a_vapi_id_is_sent_as_it_is(vapi_api, settings):
    vapi_api.status, vapi_api.body = 200, {"id": "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"}
    vapi_client(vapi_api.base_url, settings.VAPI_API_KEY, 2.0).get_call("9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f")
    assert [request["path"] for request in vapi_api.requests] == ["/call/9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"]


@pytest.mark.parametrize("record_id", [TRAVERSAL, "00Q5g00000Lead0001/../../x", "00Q5g00000Lead0001?x=1", "00Q5g"])
def test_a_salesforce_record_path_refuses_what_is_not_a_record_id(record_id):
    with pytest.raises(ValueError, match="is not a Salesforce record id"):
        record_path("Lead", record_id)


def test_an_external_id_value_stays_one_path_segment_at_salesforce(salesforce):
    with get_client() as client:
        client.request("PATCH", external_id_path("Task", "Vapi_Call_Id__c", TRAVERSAL), json={"Subject": "Call"})
    [task] = salesforce.org.records("Task")
    assert task["Vapi_Call_Id__c"] == TRAVERSAL and task["Subject"] == "Call"


def test_a_call_whose_id_is_a_path_syncs_to_its_own_task(post_vapi, salesforce):
    call = post_call(post_vapi, call_id=TRAVERSAL)
    run_job(call)
    keys = sorted(task["Vapi_Call_Id__c"] for task in salesforce.org.records("Task"))
    assert keys and all(key.startswith(TRAVERSAL) for key in keys)
