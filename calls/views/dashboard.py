"""GET /dashboard/: calls per day, qualification and disposition mix, call length and sync health."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from calls import charts
from calls.selectors.dashboard import dashboard as dashboard_numbers
from calls.views.access import manager_page
from calls.views.forms import DateRangeForm, call_list_url, hot_leads_url

DEFAULT_DAYS = 14
MAX_DAYS = 366  # a bar per day: more would not be readable


@manager_page
def dashboard(request):
    today = timezone.localdate()
    form = DateRangeForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or date_to - timedelta(days=DEFAULT_DAYS - 1)
    date_from = max(date_from, date_to - timedelta(days=MAX_DAYS - 1))
    numbers = dashboard_numbers(date_from=date_from, date_to=date_to)
    per_day = [charts.Bar(day.strftime("%d %b"), count, description=f"{day:%a %d %b %Y}: {count} calls")
               for day, count in numbers.calls_per_day]
    qualification = [charts.Bar(label, count, css_class=status) for status, label, count in numbers.qualification_mix]
    disposition = [charts.Bar(label, count, css_class=f"tone-{index % 8}")
                   for index, (_, label, count) in enumerate(numbers.disposition_mix)]
    range_filters = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    return render(request, "calls/dashboard.html", {
        "form": form if form.is_bound else DateRangeForm(initial=range_filters),
        "numbers": numbers,
        "calls_chart": charts.bar_chart(per_day, title=f"Calls per day, {date_from:%d %b} to {date_to:%d %b %Y}",
                                        label_every=max(len(per_day) // 14, 1)),
        "qualification_chart": charts.share_bar(qualification, title="Qualification mix"),
        "disposition_chart": charts.share_bar(disposition, title="Disposition mix"),
        "qualification_rows": [(bar, call_list_url(qualification_status=status, **range_filters))
                               for bar, (status, _, _) in zip(qualification, numbers.qualification_mix)],
        "disposition_rows": [(bar, call_list_url(disposition=value, **range_filters) if value else None)
                             for bar, (value, _, _) in zip(disposition, numbers.disposition_mix)],
        "range_calls_url": call_list_url(**range_filters),
        "waiting_url": call_list_url(sync_state="waiting"),
        "dead_url": call_list_url(sync_state="dead"),
        "hot_leads_url": hot_leads_url(),
    })
