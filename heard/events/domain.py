"""The rules of booking a place at an event: pure, no Django.

A booking takes a place while there is one, and otherwise joins the waiting list; a freed
place goes to whoever has waited longest. Booking is refused, with a reason a person can
act on, when the event is past, cancelled, or not taking bookings.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class BookingStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    EVENT_CANCELLED = "event_cancelled"


ACTIVE = frozenset({BookingStatus.CONFIRMED, BookingStatus.WAITING})


class Attendance(StrEnum):
    NOT_MARKED = ""
    ATTENDED = "attended"
    NO_SHOW = "no_show"


# Places one email address may hold at one event (oneself and people cared for).
MAX_BOOKINGS_PER_ADDRESS = 4
# How long after an event starts access needs are kept when it has no end time.
DEFAULT_EVENT_LENGTH = timedelta(hours=3)
# Attendance may be taken from this long before the start (people arrive early).
ATTENDANCE_OPENS_BEFORE = timedelta(hours=12)


def status_for_new_booking(*, capacity: int, confirmed: int) -> BookingStatus:
    """A place if one is free, otherwise the waiting list."""
    return BookingStatus.CONFIRMED if confirmed < capacity else BookingStatus.WAITING


def places_to_fill(*, capacity: int, confirmed: int, waiting: int) -> int:
    """How many people on the waiting list can be given a place now."""
    return max(0, min(capacity - confirmed, waiting))


@dataclass(frozen=True)
class EventFacts:
    starts_at: datetime | None
    booking_open: bool
    cancelled: bool


def booking_refusal(facts: EventFacts, now: datetime) -> str:
    """Why nobody can book this event now ("" when they can)."""
    if facts.cancelled:
        return "This event has been cancelled, so you cannot book a place."
    if facts.starts_at is None:
        return "This event has no date yet, so you cannot book a place."
    if facts.starts_at <= now:
        return "This event has already taken place, so you cannot book a place."
    if not facts.booking_open:
        return "Booking for this event is closed."
    return ""


def attendance_refusal(starts_at: datetime | None, now: datetime) -> str:
    """Attendance is taken on the day: not before it."""
    if starts_at is None or now < starts_at - ATTENDANCE_OPENS_BEFORE:
        return "Attendance can only be taken on the day of the event."
    return ""


def event_is_over(starts_at: datetime | None, ends_at: datetime | None, now: datetime) -> bool:
    if starts_at is None:
        return False
    return now >= (ends_at or starts_at + DEFAULT_EVENT_LENGTH)


_PLACEHOLDERS = frozenset({"na", "none", "nil", "test", "xxx", "unknown", "anon", "anonymous"})


def is_placeholder(text: str) -> bool:
    """True for a "name" that is not one: empty, punctuation, a single letter, "n/a"…"""
    letters = re.sub(r"[\W\d_]+", "", text, flags=re.UNICODE).lower()
    return len(letters) < 2 or letters in _PLACEHOLDERS or len(set(letters)) == 1


def attendee_key(name: str) -> str:
    """Who a booking is for, as compared for double bookings ("" = the booker)."""
    return " ".join(name.lower().split())


@dataclass(frozen=True)
class Counts:
    capacity: int
    confirmed: int
    waiting: int
    attended: int
    no_show: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.confirmed)

    @property
    def not_marked(self) -> int:
        return self.confirmed - self.attended - self.no_show


def counts(capacity: int, rows: Iterable[tuple[str, str]]) -> Counts:
    """From (status, attendance) pairs of an event's bookings."""
    confirmed = waiting = attended = no_show = 0
    for status, attendance in rows:
        if status == BookingStatus.CONFIRMED:
            confirmed += 1
            attended += attendance == Attendance.ATTENDED
            no_show += attendance == Attendance.NO_SHOW
        elif status == BookingStatus.WAITING:
            waiting += 1
    return Counts(capacity, confirmed, waiting, attended, no_show)
