"""GET /calls/<id>/: one call in full, and why it scored as it did."""

from django.http import Http404
from django.shortcuts import render

from calls import recordings, redacted
from calls.selectors import detail, listing
from calls.models import Call
from calls.views.access import manager_page
from calls.views.forms import hot_leads_url


@manager_page
def call_detail(request, pk: int):
    try:
        call = detail.call_for_detail(pk=pk)
    except Call.DoesNotExist:
        raise Http404("No such call.") from None
    row = listing.CallRow(call)
    # What callers said is shown as redacted when it was stored; raw only on request, to those allowed, audited.
    raw = redacted.raw_if_asked(request, target=f"Call {call.pk}")
    shown = redacted.Shown(call, raw=raw)
    said = shown.fields()
    return render(request, "calls/detail.html", {
        "call": call,
        "row": row,
        "qualification": row.qualification,
        "evidence": shown.evidence(detail.evidence(row.qualification)),
        "conversation": detail.conversation(call=call, shown=shown),
        "summary": said["summary"],
        "outcome": said["outcome"],
        "next_steps": said["next_steps"],
        "raw": raw,
        "may_see_raw": redacted.may_see_raw(request.user),
        "recording_url": recordings.recording_url(call),
        "tool_calls": detail.tool_calls(call, shown=shown),
        "timeline": detail.timeline(call=call),
        "salesforce_records": detail.salesforce_records(job=row.sync_job),
        "hot_leads_url": hot_leads_url(),
    })
