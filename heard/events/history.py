"""A member's event bookings (matched by email address), for the staff person page."""

from django.urls import reverse

from heard.events.models import Booking
from heard.people.history import HistoryItem
from heard.people.models import Member


def booking_history(member: Member) -> list[HistoryItem]:
    if not member.email:
        return []
    items: list[HistoryItem] = []
    bookings = Booking.objects.filter(email=member.email.strip().lower()).select_related(
        "event__activity"
    )
    for b in bookings:
        state = b.get_status_display().lower()
        if b.attendance:
            state += f", {b.get_attendance_display().lower()}"
        whom = f" for {b.attendee_name}" if b.attendee_name else ""
        items.append(
            HistoryItem(
                when=b.created_at,
                kind="Event",
                text=f"Booked{whom}: {b.event.activity.title} ({state})",
                url=reverse("events:event", args=[b.event.activity_id]),
            )
        )
    return items
