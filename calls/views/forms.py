"""The list's filters and the dashboard's date range, as forms: what the URL may say, validated."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils import timezone

from calls.models import Call
from calls.selectors.listing import NOT_SCORED, CallFilters, SyncState
from leads.models import QualificationStatus

ANY = [("", "Any")]
# Days outside these are typing slips (0001-01-01, 9999-12-31); refusing them here keeps the day
# arithmetic after the form (the next day, a range of days) inside what dates can hold.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
DAY_RANGE = f"Choose a day from {FIRST_DAY:%d %b %Y} to {LAST_DAY:%d %b %Y}."


def _day_field(label: str) -> forms.DateField:
    return forms.DateField(required=False, label=label, widget=forms.DateInput(attrs={"type": "date"}),
                           validators=[MinValueValidator(FIRST_DAY, DAY_RANGE), MaxValueValidator(LAST_DAY, DAY_RANGE)])


class DateRangeForm(forms.Form):
    date_from = _day_field("From")
    date_to = _day_field("To")

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            raise forms.ValidationError("The first day comes after the last one.")
        return cleaned


class CallFilterForm(DateRangeForm):
    q = forms.CharField(required=False, label="Search", max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "Phone, name, company or call id",
                                                      "type": "search"}))
    status = forms.ChoiceField(required=False, choices=ANY + Call.Status.choices)
    disposition = forms.ChoiceField(required=False, choices=ANY + Call.Disposition.choices)
    qualification_status = forms.ChoiceField(required=False, label="Qualification",
                                             choices=ANY + QualificationStatus.choices + [(NOT_SCORED, "Not scored")])
    score_min = forms.IntegerField(required=False, min_value=0, max_value=100, label="Score from")
    score_max = forms.IntegerField(required=False, min_value=0, max_value=100, label="Score to")
    direction = forms.ChoiceField(required=False, choices=ANY + Call.Direction.choices)
    sync_state = forms.ChoiceField(required=False, label="Sync", choices=ANY + SyncState.CHOICES)

    field_order = ["q", "date_from", "date_to", "qualification_status", "score_min", "score_max", "disposition",
                   "status", "direction", "sync_state"]

    def filters(self) -> CallFilters:
        """The valid filters; an invalid field filters nothing (the form shows its error)."""
        if not self.is_bound:
            return CallFilters()
        self.is_valid()  # cleans every field; one that is invalid is left out of cleaned_data
        data = self.cleaned_data
        return CallFilters(
            query=data.get("q") or "", date_from=data.get("date_from"), date_to=data.get("date_to"),
            status=data.get("status") or "", disposition=data.get("disposition") or "",
            qualification_status=data.get("qualification_status") or "", score_min=data.get("score_min"),
            score_max=data.get("score_max"), direction=data.get("direction") or "",
            sync_state=data.get("sync_state") or "")


def call_list_url(**filters) -> str:
    query = urlencode({name: value for name, value in filters.items() if value not in (None, "")})
    return reverse("calls:list") + (f"?{query}" if query else "")


def hot_leads_url(day: date | None = None) -> str:
    """The list of one day's hot leads (yesterday's by default): the managers' most used link."""
    day = day or timezone.localdate() - timedelta(days=1)
    return call_list_url(date_from=day.isoformat(), date_to=day.isoformat(), qualification_status="hot")
