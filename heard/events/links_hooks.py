"""What the events app adds to an activity's pages (through heard.engagement.hooks)."""

from typing import Any

from django.urls import reverse

from heard.engagement.hooks import ActivityLink
from heard.events import selectors


def staff_links(activity: Any, user: Any) -> list[ActivityLink]:
    if activity.event_starts_at is None or not user.has_perm("events.manage_bookings"):
        return []
    event = selectors.bookable_event_for(activity)
    if event is None:
        summary = "not taking bookings yet"
    else:
        c = selectors.event_counts(event)
        summary = f"{c.confirmed} of {c.capacity} places booked, {c.waiting} waiting"
    return [
        ActivityLink(
            title="Booking, waiting list and attendance",
            url=reverse("events:event", args=[activity.pk]),
            summary=summary,
        )
    ]


def public_actions(activity: Any) -> list[ActivityLink]:
    event = selectors.bookable_event_for(activity)
    if event is None or selectors.booking_refusal(event):
        return []
    c = selectors.event_counts(event)
    if c.free:
        return [
            ActivityLink(
                title="Book a place",
                url=reverse("events_public:book", args=[activity.slug]),
                summary=f"{c.free} place{'s' if c.free != 1 else ''} left.",
            )
        ]
    return [
        ActivityLink(
            title="Join the waiting list",
            url=reverse("events_public:book", args=[activity.slug]),
            summary="This event is full. If a place becomes free, it goes to the next person "
            "on the waiting list, and we email them.",
        )
    ]
