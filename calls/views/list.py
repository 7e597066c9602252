"""GET /calls/: the filtered call list, newest first, one page at a time."""

from django.shortcuts import render

from calls.selectors.listing import CallPage, call_page, calls_for_list
from calls.views.access import manager_page
from calls.views.forms import CallFilterForm, hot_leads_url

PER_PAGE = 50
# Deep enough for any real look back (half a million calls); a larger number would only make the
# database skip rows for nothing, and past 2**63 rows it cannot express the offset at all.
MAX_PAGE = 10_000


@manager_page
def call_list(request):
    form = CallFilterForm(request.GET or None)
    filters = form.filters()
    number = _page_number(request)
    too_far = number > MAX_PAGE
    page = CallPage(rows=[], number=number, has_next=False) if too_far else \
        call_page(calls_for_list(filters=filters), number=number, per_page=PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "calls/list.html", {
        "form": form,
        "page": page,
        "page_error": f"The list goes back {MAX_PAGE:,} pages at most: narrow it with the filters." if too_far else "",
        "filter_query": query.urlencode(),
        "filtered": any(value for name, value in request.GET.items() if name != "page"),
        "hot_leads_url": hot_leads_url(),
    }, status=404 if too_far else 200)


def _page_number(request) -> int:
    """Page 1 for a missing or mistyped number; MAX_PAGE + 1 for any number past MAX_PAGE."""
    text = request.GET.get("page", "1")
    if not text.isdecimal():  # "-5", "abc", "1e9" and "NaN" mean the first page
        return 1
    if len(text) > len(str(MAX_PAGE)):  # int() of a long digit run is slow, and the offset would not fit
        return MAX_PAGE + 1
    return min(max(int(text), 1), MAX_PAGE + 1)
