"""What the tests of a qualified call's extra Salesforce records share: Dana's number and the reps,
a score recorded directly, a later change of the call, the records it wrote in the sandbox, and a replay."""

from __future__ import annotations

from calls.models import Call
from crm.services import outbox
from devtools.salesforce_sandbox.ids import make_id
from leads.models import Qualification
from tests.factories import QualificationFactory
from tests.leads.sync_support import job_of


DANA = "+14155550123"
REP = make_id("005", 4242)  # Sam Rivera, the rep who owns Dana's Lead
OTHER_REP = make_id("005", 4343)
EVENT = "AI_Call_Qualified__e"


def qualify(call: Call, **values) -> Qualification:
    """Score the call as the scoring engine would (hot and final unless told otherwise)."""
    Qualification.objects.filter(call=call).delete()
    return QualificationFactory(call=call, **values)


def changed(call: Call, **values) -> None:
    """A later change of the call (a late report, a score revised): its job goes round again."""
    Call.objects.filter(pk=call.pk).update(**values)
    outbox.request_sync(call=call)


def keyed_tasks(sandbox, call: Call, suffix: str) -> list[dict]:
    return [task for task in sandbox.org.records("Task") if task.get("Vapi_Call_Id__c") == call.vapi_call_id + suffix]


def follow_up_tasks(sandbox, call: Call) -> list[dict]:
    return keyed_tasks(sandbox, call, ":follow-up")


def callback_tasks(sandbox, call: Call) -> list[dict]:
    return keyed_tasks(sandbox, call, ":callback")


def cases_for(sandbox, call: Call) -> list[dict]:
    return [case for case in sandbox.org.records("Case") if case.get("Vapi_Call_Id__c") == call.vapi_call_id]


def published(sandbox, event: str = EVENT) -> list[dict]:
    return sandbox.org.records(event)


def event_types(sandbox) -> list[str]:
    """Platform event types the org has seen: the sandbox creates one on its first publish."""
    return [sobject.name for sobject in sandbox.org.schema.all() if sobject.is_event]


def last_attempt(call: Call):
    return job_of(call).attempts_made.order_by("-pk").first()


def replay(admin_client, *calls: Call) -> None:
    jobs = [job_of(call).pk for call in calls]
    response = admin_client.post("/admin/crm/syncjob/", {"action": "replay_selected", "_selected_action": jobs})
    assert response.status_code == 302
