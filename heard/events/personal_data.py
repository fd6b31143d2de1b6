"""A member's event bookings (matched by email address) for "download my data" and
erasure; registered with ``heard.people.personal_data`` in apps.py."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.events import domain
from heard.events.models import AccessNeeds, Booking
from heard.events.services import booking_cancel
from heard.people.models import Member
from heard.people.services.retention import site_base_url


def _bookings(member: Member) -> Any:
    if not member.email.strip():
        return Booking.objects.none()
    return Booking.objects.filter(email__iexact=member.email.strip())


def bookings_export(member: Member) -> list[dict[str, Any]]:
    rows = []
    for b in _bookings(member).select_related("event__activity").order_by("created_at", "pk"):
        needs = AccessNeeds.objects.filter(booking=b).values_list("text", flat=True).first()
        rows.append(
            {
                "event": b.event.activity.title,
                "starts_at": _iso(b.event.activity.event_starts_at),
                "name": b.name,
                "email": b.email,
                "booked_for": b.get_booking_for_display(),
                "attendee_name": b.attendee_name,
                "status": b.get_status_display(),
                "attendance": b.get_attendance_display(),
                "booked_at": _iso(b.created_at),
                "cancelled_at": _iso(b.cancelled_at),
                "access_needs": needs or "",
            }
        )
    return rows


def bookings_erase_for(member: Member, actor: Any = None) -> int:
    """A live booking for an event still to come is cancelled first (the place goes to
    whoever waited longest; the person is sent the usual cancellation), then every
    booking's name, email address and person cared for are blanked and access needs
    deleted. The bookings stay, nameless, so events keep their counts (booked, waited,
    came, did not come) – as after the 90-day erasure of ``bookings_erase``."""
    bookings = list(_bookings(member).select_related("event__activity"))
    now = timezone.now()
    for b in bookings:
        if b.status in domain.ACTIVE and not domain.event_is_over(
            b.event.activity.event_starts_at, b.event.activity.event_ends_at, now
        ):
            booking_cancel(booking=b, actor=actor, base_url=site_base_url())
    with transaction.atomic():
        erased = list(Booking.objects.select_for_update().filter(pk__in=[b.pk for b in bookings]))
        AccessNeeds.objects.filter(booking__in=erased).delete()
        for b in erased:
            b.name = b.email = b.attendee_name = ""
            b.attendee_key = f"erased:{b.pk}"  # keeps the one-live-booking rule satisfiable
        Booking.objects.bulk_update(erased, ["name", "email", "attendee_name", "attendee_key"])
        for event in {b.event for b in erased}:
            audit_record(
                action=Action.EVENT_BOOKINGS_ERASED,
                actor=actor,
                subject=event,
                after={
                    "bookings": sum(1 for b in erased if b.event == event),
                    "reason": "member erased",
                },
            )
    return len(erased)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
