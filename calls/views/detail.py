"""GET /calls/<id>/: one call in full, and why it scored as it did."""

from dataclasses import replace

from django.http import Http404
from django.shortcuts import render

from audit.models import AuditEntry
from audit.services import record
from calls import selectors
from calls.models import Call
from calls.views.access import manager_page
from calls.views.forms import hot_leads_url
from privacy.services import redactor_for_call


RAW_PERMISSION = "calls.view_raw_transcript"


@manager_page
def call_detail(request, pk: int):
    try:
        call = selectors.call_for_detail(pk=pk)
    except Call.DoesNotExist:
        raise Http404("No such call.") from None
    row = selectors.CallRow(call)
    may_see_raw = request.user.has_perm(RAW_PERMISSION)
    raw = may_see_raw and request.GET.get("transcript") == "raw"
    conversation = selectors.conversation(call=call)
    summary = call.summary
    if raw:
        record(action=AuditEntry.Action.VIEW_RAW_TRANSCRIPT, request=request, target=f"Call {call.pk}")
    else:  # what callers said reaches a manager's screen with card numbers and the like replaced
        redactor = redactor_for_call(call)
        conversation = [replace(line, text=redactor(line.text)) for line in conversation]
        summary = redactor(summary) if summary else summary
    return render(request, "calls/detail.html", {
        "call": call,
        "row": row,
        "qualification": row.qualification,
        "evidence": selectors.evidence(row.qualification),
        "conversation": conversation,
        "summary": summary,
        "raw": raw,
        "may_see_raw": may_see_raw,
        "recording_url": selectors.recording_url(call),
        "tool_calls": selectors.tool_calls(call),
        "timeline": selectors.timeline(call=call),
        "salesforce_records": selectors.salesforce_records(job=row.sync_job),
        "hot_leads_url": hot_leads_url(),
    })
