"""Booking places at events (engagement activities with a date): capacity, the waiting
list, access needs kept apart, attendance. The rules are in domain.py."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from heard.engagement.models import Activity
from heard.events import domain


class BookableEvent(models.Model):
    """Booking for one event activity. Its row is locked while a place is taken or given
    back, so bookings made at the same moment are counted one after another."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="bookable_event"
    )
    capacity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    booking_open = models.BooleanField(default=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_message = models.TextField(blank=True)
    reminders_sent_at = models.DateTimeField(null=True, blank=True)
    access_needs_erased_at = models.DateTimeField(null=True, blank=True)
    # Names and email addresses are erased a while after the event; the counts stay.
    bookings_erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Booking for {self.activity}"

    def facts(self) -> domain.EventFacts:
        return domain.EventFacts(
            starts_at=self.activity.event_starts_at,
            booking_open=self.booking_open,
            cancelled=self.cancelled_at is not None,
        )


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = domain.BookingStatus.CONFIRMED, "Place booked"
        WAITING = domain.BookingStatus.WAITING, "On the waiting list"
        CANCELLED = domain.BookingStatus.CANCELLED, "Cancelled"
        EVENT_CANCELLED = domain.BookingStatus.EVENT_CANCELLED, "Event cancelled"

    class For(models.TextChoices):
        SELF = "self", "Myself"
        CARED_FOR = "cared_for", "Someone I care for"

    class Attendance(models.TextChoices):
        NOT_MARKED = domain.Attendance.NOT_MARKED, "Not marked"
        ATTENDED = domain.Attendance.ATTENDED, "Attended"
        NO_SHOW = domain.Attendance.NO_SHOW, "Did not come"

    event = models.ForeignKey(BookableEvent, on_delete=models.CASCADE, related_name="bookings")
    name = models.CharField(max_length=200, help_text="The person who booked")
    email = models.EmailField(max_length=254)
    booking_for = models.CharField(max_length=16, choices=For.choices, default=For.SELF)
    attendee_name = models.CharField(
        max_length=200, blank=True, help_text="The person cared for, when booked for them"
    )
    # Who the place is for, as compared for double bookings ("" = the booker).
    attendee_key = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, db_index=True)
    attendance = models.CharField(
        max_length=8, choices=Attendance.choices, default=Attendance.NOT_MARKED, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "pk")
        constraints = [
            # One live booking per person (and per person cared for) per event: a
            # double-click on "Book" stores one booking.
            models.UniqueConstraint(
                fields=["event", "email", "attendee_key"],
                condition=models.Q(status__in=["confirmed", "waiting"]),
                name="events_one_live_booking_per_person",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.attendee} at {self.event.activity}"

    @property
    def attendee(self) -> str:
        return self.attendee_name or self.name


class AccessNeeds(models.Model):
    """What a person needs to take part. Kept apart from the booking, readable only by
    those who organise the event (``events.view_access_needs``), erased after it."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="access_needs")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "access needs"

    def __str__(self) -> str:
        return f"Access needs for booking {self.booking_id}"
