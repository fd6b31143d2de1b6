from datetime import timedelta

import pytest
from django.utils import timezone

from heard.engagement import guards
from heard.engagement.services import TransitionRefused, activity_transition
from heard.engagement.tests.factories import ActivityFactory


@pytest.fixture
def refusing_guard():
    def guard(activity, target, now, by_clock):
        return [f"Not {target} ({'clock' if by_clock else 'person'})."] if target == "open" else []

    guards.register(guard)
    yield guard
    guards._guards.remove(guard)


@pytest.mark.django_db
def test_a_registered_guard_blocks_opening_for_people_and_the_clock(refusing_guard):
    activity = ActivityFactory(status="draft", closes_at=timezone.now() + timedelta(days=3))
    with pytest.raises(TransitionRefused) as refused:
        activity_transition(activity=activity, target="open")
    assert refused.value.problems == ["Not open (person)."]
    with pytest.raises(TransitionRefused):
        activity_transition(activity=activity, target="open", by_clock=True)
    activity.refresh_from_db()
    assert activity.status == "draft"


@pytest.mark.django_db
def test_without_guards_the_activity_opens():
    activity = ActivityFactory(status="draft", closes_at=timezone.now() + timedelta(days=3))
    assert activity_transition(activity=activity, target="open").status == "open"
