"""What the manager pages' tests share: the pages' paths, calls created on a given day, and the rows a list shows."""

from datetime import datetime, timedelta

from django.utils import timezone

from tests.factories import CallFactory, QualificationFactory


LIST, DASHBOARD, EXPORT = "/calls/", "/dashboard/", "/calls/export.csv"


def at(days_ago: int, hour: int = 12):
    """A moment `days_ago` days before today, at `hour` o'clock (UTC, the site's time zone)."""
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def scored_call(policy, *, status="hot", score=85, days_ago=0, **call_fields):
    call = CallFactory(created_at=at(days_ago), **call_fields)
    QualificationFactory(call=call, policy=policy, status=status, score=score)
    return call


def listed(response) -> list[int]:
    return [row.call.pk for row in response.context["page"].rows]
