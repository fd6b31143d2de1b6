from datetime import timedelta
from typing import Any

from django.utils import timezone

from heard.engagement.models import Activity
from heard.engagement.tests.factories import ActivityFactory
from heard.events.models import BookableEvent


def make_event(
    *, capacity: int = 2, starts_in: timedelta = timedelta(days=10), **kw: Any
) -> BookableEvent:
    starts = timezone.now() + starts_in
    fields: dict[str, Any] = {
        "kind": Activity.Kind.WORKSHOP,
        "level": Activity.Level.INVOLVE,
        "status": Activity.Status.OPEN,
        "event_starts_at": starts,
        "event_ends_at": starts + timedelta(hours=2),
        "venue": "The Forum, Norwich",
        "address": "Millennium Plain\nNorwich NR2 1TF",
        **kw,
    }
    activity: Any = ActivityFactory(**fields)
    return BookableEvent.objects.create(activity=activity, capacity=capacity, booking_open=True)
