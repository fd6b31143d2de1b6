"""An activity as an iCalendar (RFC 5545) event: for the events feed and for apps above
(booking confirmations carry the same event as an .ics attachment)."""

from datetime import timedelta
from typing import Any

import icalendar

from heard.engagement.models import Activity


def activity_vevent(activity: Activity, *, uid: str, url: str, **extra: Any) -> icalendar.Event:
    """The event for ``activity`` (which must have ``event_starts_at``). ``extra``
    properties (e.g. ``status="CANCELLED"``, ``sequence=1``) are added as given."""
    starts = activity.event_starts_at
    if starts is None:
        raise ValueError("the activity has no event start time")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("summary", activity.title)
    event.add("description", activity.summary)
    event.add("dtstart", starts)
    event.add("dtend", activity.event_ends_at or starts + timedelta(hours=1))
    event.add("dtstamp", activity.updated_at)
    if activity.venue or activity.address:
        event.add(
            "location",
            ", ".join(p for p in (activity.venue, activity.address.replace("\n", ", ")) if p),
        )
    event.add("url", url)
    for name, value in extra.items():
        event.add(name, value)
    return event
