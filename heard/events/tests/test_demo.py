from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from heard.demo import events as demo
from heard.engagement.tests.factories import ActivityFactory
from heard.events.models import AccessNeeds, BookableEvent
from heard.events.selectors import event_counts

pytestmark = pytest.mark.django_db


def test_demo_bookings_fill_an_event_and_record_a_past_one(django_capture_on_commit_callbacks):
    now = timezone.now()
    ActivityFactory(slug=demo.UPCOMING, event_starts_at=now + timedelta(days=13))
    ActivityFactory(slug=demo.PAST, status="closed", event_starts_at=now - timedelta(days=59))
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load() == {"event bookings": 23}
    assert mail.outbox == []  # no demo mail
    upcoming = event_counts(BookableEvent.objects.get(activity__slug=demo.UPCOMING))
    assert (upcoming.capacity, upcoming.confirmed, upcoming.waiting) == (12, 12, 2)
    past_event = BookableEvent.objects.get(activity__slug=demo.PAST)
    past = event_counts(past_event)
    assert (past.confirmed, past.attended, past.no_show) == (9, 7, 2)
    assert past_event.access_needs_erased_at is not None
    assert AccessNeeds.objects.filter(booking__event__activity__slug=demo.UPCOMING).count() == 2
    assert not AccessNeeds.objects.filter(booking__event=past_event).exists()
    assert demo.load() == {}  # idempotent
