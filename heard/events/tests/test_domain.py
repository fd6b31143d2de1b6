from datetime import UTC, datetime, timedelta

import pytest

from heard.events import domain

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def test_a_place_while_there_is_one_then_the_waiting_list():
    assert domain.status_for_new_booking(capacity=2, confirmed=1) == "confirmed"
    assert domain.status_for_new_booking(capacity=2, confirmed=2) == "waiting"
    assert domain.status_for_new_booking(capacity=2, confirmed=5) == "waiting"


@pytest.mark.parametrize(
    ("capacity", "confirmed", "waiting", "expected"),
    [(3, 2, 5, 1), (3, 0, 1, 1), (3, 3, 4, 0), (5, 1, 2, 2), (2, 4, 3, 0)],
)
def test_places_to_fill(capacity, confirmed, waiting, expected):
    assert (
        domain.places_to_fill(capacity=capacity, confirmed=confirmed, waiting=waiting) == expected
    )


def test_booking_refusals_say_why():
    ok = domain.EventFacts(starts_at=NOW + timedelta(days=1), booking_open=True, cancelled=False)
    assert domain.booking_refusal(ok, NOW) == ""
    past = domain.EventFacts(
        starts_at=NOW - timedelta(minutes=1), booking_open=True, cancelled=False
    )
    assert "already taken place" in domain.booking_refusal(past, NOW)
    starting = domain.EventFacts(starts_at=NOW, booking_open=True, cancelled=False)
    assert "already taken place" in domain.booking_refusal(starting, NOW)
    closed = domain.EventFacts(
        starts_at=NOW + timedelta(days=1), booking_open=False, cancelled=False
    )
    assert "closed" in domain.booking_refusal(closed, NOW)
    cancelled = domain.EventFacts(
        starts_at=NOW + timedelta(days=1), booking_open=True, cancelled=True
    )
    assert "cancelled" in domain.booking_refusal(cancelled, NOW)
    undated = domain.EventFacts(starts_at=None, booking_open=True, cancelled=False)
    assert "no date" in domain.booking_refusal(undated, NOW)


@pytest.mark.parametrize("text", ["", "x", "-", ".", "n/a", "N/A", "  ", "aaaa", "123", "test"])
def test_placeholders_are_not_names(text):
    assert domain.is_placeholder(text)


@pytest.mark.parametrize("text", ["Jo Li", "Siân Evans", "O'Neill", "Ng"])
def test_real_names_are_names(text):
    assert not domain.is_placeholder(text)


def test_attendance_only_on_the_day():
    start = NOW + timedelta(days=2)
    assert domain.attendance_refusal(start, NOW)
    assert domain.attendance_refusal(start, start - timedelta(hours=11)) == ""
    assert domain.attendance_refusal(None, NOW)


def test_event_is_over_after_its_end_or_three_hours():
    start = NOW
    assert not domain.event_is_over(start, start + timedelta(hours=5), NOW + timedelta(hours=4))
    assert domain.event_is_over(start, start + timedelta(hours=5), NOW + timedelta(hours=5))
    assert domain.event_is_over(start, None, NOW + timedelta(hours=3))
    assert not domain.event_is_over(None, None, NOW)


def test_counts_count_no_shows_among_those_with_places():
    rows = [
        ("confirmed", "attended"),
        ("confirmed", "no_show"),
        ("confirmed", ""),
        ("waiting", ""),
        ("cancelled", "attended"),
    ]
    c = domain.counts(4, rows)
    assert (c.confirmed, c.waiting, c.attended, c.no_show, c.not_marked, c.free) == (
        3,
        1,
        1,
        1,
        1,
        1,
    )
