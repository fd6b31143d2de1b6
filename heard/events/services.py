"""Writes for event booking: capacity, booking, the waiting list, cancellation,
attendance, reminders and erasing access needs. Each in one transaction with its audit
event; mail goes after the commit.

Capacity holds under concurrent booking: every change to an event's places first locks
the event's ``BookableEvent`` row (``select_for_update``: a row lock on PostgreSQL; on
SQLite every write transaction is ``BEGIN IMMEDIATE``, queued on the writer lock, so
writers are one at a time anyway), then counts the places taken inside that lock.
"""

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.actors import require
from heard.core.mail import mail_render
from heard.engagement.calendar import activity_vevent
from heard.engagement.models import Activity
from heard.events import domain, links
from heard.events.models import AccessNeeds, BookableEvent, Booking

S = Booking.Status


class BookingRefused(ValueError):
    """A booking that cannot be made, with a message for the person."""


class AlreadyBooked(BookingRefused):
    """The same person already has a place (or a waiting-list place) at this event."""

    def __init__(self, booking: Booking) -> None:
        self.booking = booking
        where = "a place" if booking.status == S.CONFIRMED else "a place on the waiting list"
        super().__init__(
            f"{booking.attendee} already has {where} at this event, booked with this email "
            "address. We have not booked it twice."
        )


class ChangeRefused(ValueError):
    """A staff change that cannot be made, with a message for them."""


def _locked_event(event_id: int) -> BookableEvent:
    return (
        BookableEvent.objects.select_for_update(of=("self",))
        .select_related("activity")
        .get(pk=event_id)
    )


def _confirmed_count(event: BookableEvent) -> int:
    return event.bookings.filter(status=S.CONFIRMED).count()


# --- Staff: capacity and booking open ------------------------------------------------


def event_booking_save(
    *, actor: Any, activity: Activity, capacity: int, booking_open: bool, base_url: str
) -> BookableEvent:
    """Set an event's capacity and whether it takes bookings. Raising the capacity gives
    the new places to the waiting list, longest waiting first."""
    require(actor, "events.manage_bookings", to="change an event's booking")
    if activity.event_starts_at is None:
        raise ChangeRefused("Give the activity an event date and time before taking bookings.")
    if capacity < 1:
        raise ChangeRefused("Enter a capacity of at least 1 place.")
    with transaction.atomic():
        event, created = BookableEvent.objects.get_or_create(
            activity=activity, defaults={"capacity": capacity, "booking_open": booking_open}
        )
        event = _locked_event(event.pk)
        before = None if created else {"capacity": event.capacity, "open": event.booking_open}
        confirmed = _confirmed_count(event)
        if capacity < confirmed:
            raise ChangeRefused(
                f"{confirmed} people already have places, so the capacity cannot be less "
                f"than {confirmed}. Cancel bookings first if you need fewer places."
            )
        event.capacity = capacity
        event.booking_open = booking_open
        event.save(update_fields=["capacity", "booking_open", "updated_at"])
        audit_record(
            action=Action.EVENT_BOOKING_SETTINGS_CHANGED,
            actor=actor,
            subject=event,
            before=before,
            after={"capacity": capacity, "open": booking_open, "activity": activity.pk},
        )
        _promote(event=event, actor=actor, base_url=base_url)
    return event


# --- The public: book and cancel ---------------------------------------------------------


def booking_create(
    *,
    event: BookableEvent,
    name: str,
    email: str,
    booking_for: str = Booking.For.SELF,
    attendee_name: str = "",
    access_needs: str = "",
    base_url: str,
    now: datetime | None = None,
    notify: bool = True,
) -> Booking:
    """Book a place, or a place on the waiting list when the event is full.
    ``notify=False`` (the demo loader only) sends no email.

    Raises BookingRefused (past, cancelled or closed event; a name that is not one) or
    AlreadyBooked (the same person and email already booked: a double-click)."""
    name = " ".join(name.split())
    email = email.strip().lower()
    attendee_name = " ".join(attendee_name.split()) if booking_for == Booking.For.CARED_FOR else ""
    if domain.is_placeholder(name):
        raise BookingRefused("Enter your full name.")
    if booking_for == Booking.For.CARED_FOR and domain.is_placeholder(attendee_name):
        raise BookingRefused("Enter the full name of the person you are booking for.")
    key = domain.attendee_key(attendee_name)
    with transaction.atomic():
        event = _locked_event(event.pk)
        now = now or timezone.now()
        refusal = domain.booking_refusal(event.facts(), now)
        if refusal:
            raise BookingRefused(refusal)
        existing = event.bookings.filter(
            email=email, attendee_key=key, status__in=domain.ACTIVE
        ).first()
        if existing is not None:
            raise AlreadyBooked(existing)
        booked_by_address = event.bookings.filter(email=email, status__in=domain.ACTIVE).count()
        if booked_by_address >= domain.MAX_BOOKINGS_PER_ADDRESS:
            raise BookingRefused(
                f"This email address already has {booked_by_address} places at this event. "
                "To book more, contact us and we will help."
            )
        status = domain.status_for_new_booking(
            capacity=event.capacity, confirmed=_confirmed_count(event)
        )
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    event=event,
                    name=name,
                    email=email,
                    booking_for=booking_for,
                    attendee_name=attendee_name,
                    attendee_key=key,
                    status=status,
                    created_at=now,
                    confirmed_at=now if status == S.CONFIRMED else None,
                )
        except IntegrityError:  # the same person, at the same moment (no lock on SQLite reads)
            raise AlreadyBooked(
                event.bookings.get(email=email, attendee_key=key, status__in=domain.ACTIVE)
            ) from None
        needs = access_needs.strip()
        if needs:
            AccessNeeds.objects.create(booking=booking, text=needs)
        audit_record(
            action=Action.EVENT_BOOKED,
            subject=booking,
            after={
                "event": event.pk,
                "status": status,
                "for": booking_for,
                "access_needs": bool(needs),
            },
        )
        if notify:
            _mail(booking, "booked" if status == S.CONFIRMED else "waiting", base_url)
    return booking


def booking_cancel(*, booking: Booking, actor: Any = None, base_url: str) -> Booking:
    """Give a place (or a waiting-list place) back. A freed place goes to whoever has
    waited longest, who is told by email. Cancelling twice changes nothing."""
    with transaction.atomic():
        event = _locked_event(booking.event_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status not in domain.ACTIVE:
            return booking
        was = booking.status
        booking.status = S.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "cancelled_at"])
        AccessNeeds.objects.filter(booking=booking).delete()
        audit_record(
            action=Action.EVENT_BOOKING_CANCELLED,
            actor=actor,
            subject=booking,
            before={"status": was},
            after={"status": booking.status, "by": "staff" if actor else "the person"},
        )
        _mail(booking, "cancelled", base_url)
        if was == S.CONFIRMED and event.cancelled_at is None:
            _promote(event=event, actor=actor, base_url=base_url)
    return booking


def _promote(*, event: BookableEvent, actor: Any, base_url: str) -> list[Booking]:
    """Fill free places from the waiting list (the event row is locked by the caller)."""
    if event.cancelled_at is not None:
        return []
    if event.activity.event_starts_at and event.activity.event_starts_at <= timezone.now():
        return []  # too late to give anyone a place
    confirmed = _confirmed_count(event)
    waiting = list(event.bookings.filter(status=S.WAITING).order_by("created_at", "pk"))
    n = domain.places_to_fill(capacity=event.capacity, confirmed=confirmed, waiting=len(waiting))
    promoted = waiting[:n]
    now = timezone.now()
    for booking in promoted:
        booking.status = S.CONFIRMED
        booking.confirmed_at = now
        booking.save(update_fields=["status", "confirmed_at"])
        audit_record(
            action=Action.EVENT_PLACE_OFFERED,
            actor=actor,
            subject=booking,
            before={"status": S.WAITING},
            after={"status": S.CONFIRMED, "event": event.pk},
        )
        _mail(booking, "promoted", base_url)
    return promoted


# --- Staff: cancel the event, attendance ----------------------------------------------


def event_cancel(*, actor: Any, event: BookableEvent, message: str, base_url: str) -> int:
    """Cancel the event: everyone booked or waiting is told. Returns how many were told."""
    require(actor, "events.manage_bookings", to="cancel an event")
    message = message.strip()
    if domain.is_placeholder(message):
        raise ChangeRefused(
            "Say why the event is cancelled: it goes in the email to everyone booked."
        )
    with transaction.atomic():
        event = _locked_event(event.pk)
        if event.cancelled_at is not None:
            raise ChangeRefused("This event has already been cancelled.")
        event.cancelled_at = timezone.now()
        event.cancellation_message = message
        event.booking_open = False
        event.save(
            update_fields=["cancelled_at", "cancellation_message", "booking_open", "updated_at"]
        )
        affected = list(event.bookings.filter(status__in=domain.ACTIVE))
        for booking in affected:
            booking.status = S.EVENT_CANCELLED
            booking.cancelled_at = event.cancelled_at
            booking.save(update_fields=["status", "cancelled_at"])
            _mail(booking, "event_cancelled", base_url)
        AccessNeeds.objects.filter(booking__event=event).delete()
        audit_record(
            action=Action.EVENT_CANCELLED,
            actor=actor,
            subject=event,
            after={"told": len(affected), "activity": event.activity_id},
        )
    return len(affected)


def attendance_record(
    *, actor: Any, booking: Booking, attendance: str, now: datetime | None = None
) -> Booking:
    """Mark one person as attended or not come (or unmark), on the day."""
    require(actor, "events.manage_bookings", to="record attendance")
    if attendance not in Booking.Attendance.values:
        raise ChangeRefused("Choose attended or did not come.")
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("event__activity")
            .get(pk=booking.pk)
        )
        refusal = domain.attendance_refusal(
            booking.event.activity.event_starts_at, now or timezone.now()
        )
        if refusal:
            raise ChangeRefused(refusal)
        if booking.status != S.CONFIRMED:
            raise ChangeRefused(f"{booking.attendee} does not have a place at this event.")
        before = booking.attendance
        if before == attendance:
            return booking
        booking.attendance = attendance
        booking.attendance_at = timezone.now()
        booking.save(update_fields=["attendance", "attendance_at"])
        audit_record(
            action=Action.EVENT_ATTENDANCE_TAKEN,
            actor=actor,
            subject=booking,
            before={"attendance": before},
            after={"attendance": attendance},
        )
    return booking


def access_needs_viewed(*, actor: Any, event: BookableEvent) -> None:
    require(actor, "events.manage_bookings", to="see attendees' access needs")
    with transaction.atomic():
        audit_record(action=Action.EVENT_ACCESS_NEEDS_VIEWED, actor=actor, subject=event)


# --- Scheduled: reminders, erasing access needs ---------------------------------------


def event_reminders_send(
    *, base_url: str, now: datetime | None = None, ahead: timedelta = timedelta(days=2)
) -> int:
    """Remind everyone with a place at events starting within ``ahead``, once per event
    (the event is marked in the same transaction as the mail is queued)."""
    now = now or timezone.now()
    sent = 0
    due = BookableEvent.objects.filter(
        cancelled_at__isnull=True,
        reminders_sent_at__isnull=True,
        activity__event_starts_at__gt=now,
        activity__event_starts_at__lte=now + ahead,
    ).values_list("pk", flat=True)
    for event_id in list(due):
        with transaction.atomic():
            event = _locked_event(event_id)
            if event.reminders_sent_at is not None:
                continue  # another run got there first
            bookings = list(event.bookings.filter(status=S.CONFIRMED))
            for booking in bookings:
                _mail(booking, "reminder", base_url)
            event.reminders_sent_at = now
            event.save(update_fields=["reminders_sent_at", "updated_at"])
            audit_record(
                action=Action.EVENT_REMINDERS_SENT, subject=event, after={"sent": len(bookings)}
            )
            sent += len(bookings)
    return sent


def access_needs_erase(*, now: datetime | None = None) -> int:
    """Erase the access needs of every event that is over. Returns how many were erased."""
    now = now or timezone.now()
    erased = 0
    candidates = BookableEvent.objects.filter(
        access_needs_erased_at__isnull=True, activity__event_starts_at__lte=now
    ).select_related("activity")
    for event in candidates:
        activity = event.activity
        if not domain.event_is_over(activity.event_starts_at, activity.event_ends_at, now):
            continue
        with transaction.atomic():
            n, _ = AccessNeeds.objects.filter(booking__event=event).delete()
            event.access_needs_erased_at = now
            event.save(update_fields=["access_needs_erased_at", "updated_at"])
            audit_record(
                action=Action.EVENT_ACCESS_NEEDS_ERASED, subject=event, after={"erased": n}
            )
        erased += n
    return erased


def bookings_erase(*, now: datetime | None = None, keep_days: int | None = None) -> int:
    """Erase the names and email addresses of bookers ``keep_days`` after their event
    (settings.HEARD_EVENT_BOOKINGS_KEEP_DAYS, 90 by default). What stays: how many
    booked, waited, came or did not come. Returns how many bookings were erased."""
    now = now or timezone.now()
    if keep_days is None:
        keep_days = settings.HEARD_EVENT_BOOKINGS_KEEP_DAYS
    erased = 0
    due = BookableEvent.objects.filter(
        bookings_erased_at__isnull=True,
        activity__event_starts_at__lte=now - timedelta(days=keep_days),
    ).values_list("pk", flat=True)
    for event_id in list(due):
        with transaction.atomic():
            event = _locked_event(event_id)
            AccessNeeds.objects.filter(booking__event=event).delete()
            bookings = list(event.bookings.all())
            for b in bookings:
                b.name = b.email = b.attendee_name = ""
                b.attendee_key = f"erased:{b.pk}"  # keeps the one-booking rule satisfiable
            Booking.objects.bulk_update(
                bookings, ["name", "email", "attendee_name", "attendee_key"]
            )
            event.bookings_erased_at = now
            event.access_needs_erased_at = event.access_needs_erased_at or now
            event.save(update_fields=["bookings_erased_at", "access_needs_erased_at", "updated_at"])
            audit_record(
                action=Action.EVENT_BOOKINGS_ERASED,
                subject=event,
                after={"bookings": len(bookings), "keep_days": keep_days},
            )
        erased += len(bookings)
    return erased


# --- Mail -----------------------------------------------------------------------------


def booking_calendar(booking: Booking, base_url: str, *, cancelled: bool = False) -> bytes:
    """The event as an iCalendar file for the booker's calendar (a cancellation when the
    booking or the event is cancelled, with the same UID, so calendars remove it)."""
    activity = booking.event.activity
    host = urlsplit(base_url).hostname or "heard"
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Heard//Event booking//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    extra: dict[str, Any] = {"sequence": 1 if cancelled else 0}
    if cancelled:
        extra["status"] = "CANCELLED"
    cal.add_component(
        activity_vevent(
            activity,
            uid=f"booking-{booking.pk}@{host}",
            url=base_url + reverse("engagement_public:activity", args=[activity.slug]),
            **extra,
        )
    )
    return bytes(cal.to_ical())


def cancel_url(booking: Booking, base_url: str) -> str:
    starts = booking.event.activity.event_starts_at or timezone.now()
    token = links.cancel_token(booking.pk, starts)
    return base_url + reverse("events_public:cancel", args=[token])


def _mail(booking: Booking, template: str, base_url: str) -> None:
    activity = booking.event.activity
    active = booking.status in domain.ACTIVE
    context = {
        "booking": booking,
        "activity": activity,
        "event": booking.event,
        "event_url": base_url + reverse("engagement_public:activity", args=[activity.slug]),
        "cancel_url": cancel_url(booking, base_url) if active else "",
    }
    message = mail_render(to=[booking.email], template=f"events/email/{template}", context=context)
    if template in ("booked", "promoted", "reminder"):
        message.attach("event.ics", booking_calendar(booking, base_url), "text/calendar")
    elif template in ("event_cancelled", "cancelled") and booking.confirmed_at:
        message.attach(
            "event.ics", booking_calendar(booking, base_url, cancelled=True), "text/calendar"
        )
    transaction.on_commit(message.send)
