"""Demo bookings (called by `manage.py demo_load`), made through the services: the
maternity co-design workshop full with a waiting list, and a past focus group with its
attendance taken and its access needs erased. The booking settings, bookings and
attendance are the organiser's and the public's own services, acting as the demo's
engagement officer (nobody when a test loads this part on its own)."""

from datetime import timedelta
from typing import Any

from heard.demo.staff import demo_staff
from heard.engagement.models import Activity
from heard.events import services
from heard.events.models import BookableEvent, Booking

UPCOMING = "maternity-services-co-design-workshop"
PAST = "mental-health-crisis-care-focus-group"
NAMES = [
    "Amira Hassan",
    "Ben Thompson",
    "Chloe Wright",
    "Daniel Okafor",
    "Ella Green",
    "Farah Begum",
    "George Patel",
    "Hannah Lewis",
    "Isaac Moore",
    "Jade Wilson",
    "Kieran Walsh",
    "Lily Chen",
    "Mohammed Ali",
    "Nina Kowalski",
]
BASE_URL = "http://localhost:8000"
OFFICER_EMAIL = "officer@demo.heard.example"


def _book(event: BookableEvent, n: int, **kw: Any) -> Booking:
    name = NAMES[n % len(NAMES)]
    email = f"{name.split()[0].lower()}.{n}@example.org"
    return services.booking_create(
        event=event, name=name, email=email, base_url=BASE_URL, notify=False, **kw
    )


def load(out: Any = None) -> dict[str, int]:
    if BookableEvent.objects.exists():
        return {}
    made = 0
    actor = demo_staff(OFFICER_EMAIL)
    upcoming = Activity.objects.filter(slug=UPCOMING, event_starts_at__isnull=False).first()
    if upcoming is not None:
        event = services.event_booking_save(
            actor=actor, activity=upcoming, capacity=12, booking_open=True, base_url=BASE_URL
        )
        for n in range(14):
            extra: dict[str, Any] = {}
            if n == 3:
                extra = {"booking_for": Booking.For.CARED_FOR, "attendee_name": "Joy Okafor"}
            if n in (1, 6):
                extra["access_needs"] = (
                    "Hearing loop, please" if n == 1 else "I use a wheelchair; step-free seat"
                )
            _book(event, n, **extra)
            made += 1
    past = Activity.objects.filter(slug=PAST, event_starts_at__isnull=False).first()
    if past is not None and past.event_starts_at is not None:
        starts = past.event_starts_at
        event = services.event_booking_save(
            actor=actor, activity=past, capacity=10, booking_open=True, base_url=BASE_URL
        )
        before = starts - timedelta(days=10)
        bookings = [
            _book(event, n, now=before + timedelta(hours=n), access_needs="Quiet room")
            if n == 0
            else _book(event, n, now=before + timedelta(hours=n))
            for n in range(9)
        ]
        made += len(bookings)
        event = services.event_booking_save(
            actor=actor, activity=past, capacity=10, booking_open=False, base_url=BASE_URL
        )
        for n, booking in enumerate(bookings):
            services.attendance_record(
                actor=actor,
                booking=booking,
                attendance="no_show" if n in (2, 5) else "attended",
                now=starts,
            )
        services.access_needs_erase()
    return {"event bookings": made}
