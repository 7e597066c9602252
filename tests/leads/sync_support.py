"""Calls posted as signed webhooks, then synced by the task, against the sandbox."""

from __future__ import annotations

import copy
import json
import uuid

from calls.models import Call, WebhookEvent
from crm.models import SyncJob
from crm.tasks import sync_call_job
from tests.support.signing import vapi_fixture


def report_payload(*, call_id: str | None = None, number: str | None = None, structured: dict | None = None,
                   fixture: str = "end-of-call-report", metadata: dict | None = None) -> dict:
    payload = copy.deepcopy(vapi_fixture(fixture))
    call = payload["message"]["call"]
    call["id"] = call_id or str(uuid.uuid4())
    call["phoneCallProviderId"] = "CA" + uuid.uuid5(uuid.NAMESPACE_URL, call["id"]).hex
    if number is not None:
        call["customer"] = {"number": number}
    if structured is not None:
        payload["message"].setdefault("analysis", {})["structuredData"] = structured
    if metadata is not None:
        call.setdefault("assistantOverrides", {})["metadata"] = metadata
    return payload


def post_call(post_vapi, **options) -> Call:
    payload = report_payload(**options)
    response = post_vapi(payload)
    assert response.status_code == 200, response.content
    return Call.objects.get(vapi_call_id=payload["message"]["call"]["id"])


def delivered_report(call: Call) -> dict:
    """The report as it was delivered, for delivering it again."""
    event = WebhookEvent.objects.filter(call=call, event_type="end-of-call-report").order_by("pk").first()
    return json.loads(event.body)


def job_of(call: Call) -> SyncJob:
    return SyncJob.objects.get(call=call)


def run_job(call: Call) -> dict:
    """What a worker does with the job's message."""
    return sync_call_job(job_of(call).pk)


def make_due(call: Call) -> None:
    from django.utils import timezone

    SyncJob.objects.filter(call=call).update(due_at=timezone.now())


def tasks_for(sandbox, call: Call) -> list[dict]:
    return [task for task in sandbox.org.records("Task") if task.get("Vapi_Call_Id__c") == call.vapi_call_id]


def leads_with_phone(sandbox, phone: str) -> list[dict]:
    return [lead for lead in sandbox.org.records("Lead") if lead.get("Phone") == phone]


def call_tasks(sandbox) -> list[dict]:
    """The calls' own Tasks, not the follow-ups a hot call or a callback adds."""
    return [task for task in sandbox.org.records("Task") if task.get("TaskSubtype") == "Call"]
