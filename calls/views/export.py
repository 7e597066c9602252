"""GET /calls/export.csv: the filtered call list as CSV, streamed (no page limit)."""

import csv
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import record
from calls.selectors import listing
from calls.views.access import manager_page
from calls.views.forms import CallFilterForm
from leads.call_facts import iso

COLUMNS = ("created_at", "call_id", "direction", "status", "caller_name", "phone", "company", "duration_seconds",
           "disposition", "score", "qualification_status", "intent", "sync_state", "sync_incomplete", "ended_reason")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """csv.writer writes to this and gets the line back, so each row streams as it is made."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(call: dict[str, Any]) -> list[str]:
    lead_name = " ".join(part for part in (call["lead__first_name"], call["lead__last_name"]) if part)
    values = (
        iso(call["created_at"]), call["vapi_call_id"] or call["twilio_call_sid"] or call["pk"], call["direction"],
        call["status"], listing.caller_name(lead_name=lead_name, structured=call["structured_data"]),
        call["customer_number"], listing.company(lead_company=call["lead__company"] or "",
                                                   structured=call["structured_data"]),
        call["duration_seconds"], call["disposition"], call["qualification__score"], call["qualification__status"],
        call["qualification__intent"], listing.sync_state(call["sync_job__state"]),
        "yes" if call["sync_job__incomplete"] else "", call["ended_reason"],
    )
    return [safe_cell(value) for value in values]


@manager_page
def export_calls(request):
    form = CallFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():  # the list shows an invalid filter; a file would silently drop it
        return _refused(form)
    record(action=AuditEntry.Action.EXPORT_CSV, request=request, target="call list",
           filters={key: value for key, value in request.GET.items() if value and key in form.fields})
    writer = csv.writer(_Echo())
    lines = (writer.writerow(csv_row(call)) for call in listing.calls_for_export(filters=form.filters()))
    response = StreamingHttpResponse(_with_header(writer, lines), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="calls-{stamp}.csv"'
    return response


def _refused(form) -> HttpResponse:
    problems = [f"{form.fields[name].label or name if name in form.fields else 'Filters'}: {message}"
                for name, messages in form.errors.items() for message in messages]
    return HttpResponse("Nothing exported: fix the filters first.\n" + "\n".join(problems), status=400,
                        content_type="text/plain; charset=utf-8")


def _with_header(writer, lines):
    yield writer.writerow(COLUMNS)
    yield from lines
