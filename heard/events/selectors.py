"""Reads for event booking."""

from django.db.models import QuerySet
from django.utils import timezone

from heard.engagement.models import Activity
from heard.events import domain
from heard.events.models import AccessNeeds, BookableEvent, Booking


def bookable_event_for(activity: Activity) -> BookableEvent | None:
    return BookableEvent.objects.filter(activity=activity).select_related("activity").first()


def public_bookable_event(slug: str) -> BookableEvent | None:
    """The booking of a published event (not a draft, not archived), or None."""
    return (
        BookableEvent.objects.select_related("activity")
        .exclude(activity__status__in=[Activity.Status.DRAFT, Activity.Status.ARCHIVED])
        .filter(activity__slug=slug)
        .first()
    )


def event_counts(event: BookableEvent) -> domain.Counts:
    return domain.counts(event.capacity, event.bookings.values_list("status", "attendance"))


def event_bookings(event: BookableEvent) -> QuerySet[Booking]:
    return event.bookings.order_by("created_at", "pk")


def event_access_needs(event: BookableEvent) -> QuerySet[AccessNeeds]:
    return (
        AccessNeeds.objects.filter(booking__event=event, booking__status__in=domain.ACTIVE)
        .select_related("booking")
        .order_by("booking__created_at")
    )


def staff_events() -> QuerySet[Activity]:
    """Activities with an event date, soonest upcoming first, then the past ones."""
    return (
        Activity.objects.filter(event_starts_at__isnull=False)
        .select_related("bookable_event")
        .order_by("-event_starts_at")
    )


def booking_refusal(event: BookableEvent) -> str:
    return domain.booking_refusal(event.facts(), timezone.now())
