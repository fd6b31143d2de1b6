"""What this app tells lower apps through their hooks (registered in ``apps.py``)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from heard.groups import selectors
from heard.insight.coverage_hooks import GroupEngagement


def meetings_held(since: date, until: date) -> list[GroupEngagement]:
    """Meetings each group held from ``since`` to ``until`` (not cancelled, not future)."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    return [
        GroupEngagement(group_id=group_id, way="Meetings held", count=n)
        for group_id, n in selectors.meetings_held_between(start, end)
    ]
