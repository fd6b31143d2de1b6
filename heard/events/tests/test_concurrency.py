"""Capacity holds when many people press "Book" at the same moment.

Parallel requests, each in its own thread with its own database connection and its own
committed transaction: the event row is locked (``select_for_update``) before the places
are counted, so the count never goes stale. Runs on PostgreSQL (``make test`` runs the
suite there too); the in-memory SQLite test database locks whole tables across threads,
so there the writers are queued by ``BEGIN IMMEDIATE`` on the writer lock instead
(heard/core/db; its own tests cover that on an SQLite file).
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from heard.events.models import Booking
from heard.events.tests.factories import make_event

CAPACITY = 5
PEOPLE = 16


def _skip_on_in_memory_sqlite() -> None:
    if connection.vendor == "sqlite":
        pytest.skip(
            "the in-memory SQLite test database locks whole tables across threads; "
            "run on PostgreSQL (DATABASE_URL) for the parallel booking test"
        )


def _in_parallel(n: int, work) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def test_parallel_requests_never_book_more_places_than_there_are(transactional_db):
    _skip_on_in_memory_sqlite()
    event = make_event(capacity=CAPACITY)
    url = reverse("events_public:book", args=[event.activity.slug])

    def book(i: int) -> int:
        form = {
            "name": f"Person Number{chr(65 + i)}",
            "email": f"p{i}@example.org",
            "booking_for": "self",
        }
        return Client().post(url, form).status_code

    codes = _in_parallel(PEOPLE, book)
    assert codes == [302] * PEOPLE
    statuses = list(Booking.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count("confirmed") == CAPACITY
    assert statuses.count("waiting") == PEOPLE - CAPACITY


def test_a_double_click_sent_in_parallel_books_once(transactional_db):
    _skip_on_in_memory_sqlite()
    event = make_event(capacity=CAPACITY)
    url = reverse("events_public:book", args=[event.activity.slug])
    form = {"name": "Ann Able", "email": "ann@example.org", "booking_for": "self"}
    codes = _in_parallel(6, lambda i: Client().post(url, form).status_code)
    assert sorted(codes) == [302] + [409] * 5
    assert Booking.objects.filter(event=event).count() == 1


def test_parallel_cancellations_give_each_freed_place_to_one_person(transactional_db):
    _skip_on_in_memory_sqlite()
    from heard.events import services

    event = make_event(capacity=3)
    booked = [
        services.booking_create(
            event=event, name=f"Person Number{chr(65 + i)}", email=f"p{i}@example.org", base_url=""
        )
        for i in range(8)
    ]
    confirmed = [b for b in booked if b.status == "confirmed"]
    assert len(confirmed) == 3
    # Each of the three cancels at the same moment, twice over (a double-click).
    _in_parallel(6, lambda i: services.booking_cancel(booking=confirmed[i % 3], base_url="").status)
    statuses = [b.status for b in Booking.objects.filter(event=event).order_by("created_at", "pk")]
    assert statuses == ["cancelled"] * 3 + ["confirmed"] * 3 + ["waiting"] * 2
