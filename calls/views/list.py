"""GET /calls/: the filtered call list, newest first, one page at a time."""

from django.shortcuts import render

from calls.selectors import call_page, calls_for_list
from calls.views.access import manager_page
from calls.views.forms import CallFilterForm, hot_leads_url

PER_PAGE = 50


@manager_page
def call_list(request):
    form = CallFilterForm(request.GET or None)
    filters = form.filters()
    page = call_page(calls_for_list(filters=filters), number=_page_number(request), per_page=PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "calls/list.html", {
        "form": form,
        "page": page,
        "filter_query": query.urlencode(),
        "filtered": any(value for name, value in request.GET.items() if name != "page"),
        "hot_leads_url": hot_leads_url(),
    })


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1
