from datetime import timedelta

import pytest
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.core.actors import CLOCK
from heard.core.roles import Role
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
        activity_transition(
            activity=activity, target="open", actor=staff_member(Role.ENGAGEMENT_OFFICER)
        )
    assert refused.value.problems == ["Not open (person)."]
    with pytest.raises(TransitionRefused):
        activity_transition(activity=activity, target="open", actor=CLOCK)
    activity.refresh_from_db()
    assert activity.status == "draft"


@pytest.mark.django_db
def test_without_guards_the_activity_opens():
    activity = ActivityFactory(status="draft", closes_at=timezone.now() + timedelta(days=3))
    assert (
        activity_transition(
            activity=activity, target="open", actor=staff_member(Role.ENGAGEMENT_OFFICER)
        ).status
        == "open"
    )


@pytest.fixture
def refusing_schedule_guard():
    def guard(activity, target, now, by_clock):
        return ["The dates fail a check."] if target in ("scheduled", "open") else []

    guards.register(guard)
    yield guard
    guards._guards.remove(guard)


@pytest.mark.django_db
def test_changing_a_scheduled_activitys_dates_is_checked_by_the_guards(refusing_schedule_guard):
    from heard.engagement.services import activity_save

    opens = timezone.now() + timedelta(days=2)
    activity = ActivityFactory(
        status="scheduled", opens_at=opens, closes_at=opens + timedelta(days=20)
    )
    with pytest.raises(TransitionRefused) as refused:
        activity_save(
            actor=staff_member(Role.ENGAGEMENT_OFFICER),
            activity=activity,
            fields={"closes_at": opens + timedelta(days=5)},
        )
    assert refused.value.problems == ["The dates fail a check."]
    activity.refresh_from_db()
    assert activity.closes_at == opens + timedelta(days=20)
    # Other changes to a scheduled activity are not held up by the guard.
    saved = activity_save(
        actor=staff_member(Role.ENGAGEMENT_OFFICER),
        activity=activity,
        fields={"summary": "New summary."},
    )
    assert saved.summary == "New summary."


@pytest.mark.django_db
def test_a_draft_activitys_dates_change_freely(refusing_schedule_guard):
    from heard.engagement.services import activity_save

    activity = ActivityFactory(status="draft")
    new_close = timezone.now() + timedelta(days=9)
    assert (
        activity_save(
            actor=staff_member(Role.ENGAGEMENT_OFFICER),
            activity=activity,
            fields={"closes_at": new_close},
        ).closes_at
        == new_close
    )


@pytest.mark.django_db
def test_the_edit_page_shows_what_the_guards_refuse(staff_client, refusing_schedule_guard):
    from django.urls import reverse

    from heard.core.roles import Role

    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    activity = ActivityFactory(
        status="scheduled",
        opens_at=timezone.now() + timedelta(days=10),
        closes_at=timezone.now() + timedelta(days=40),
    )
    response = client.post(
        reverse("engagement:edit", kwargs={"pk": activity.pk}),
        {
            "title": activity.title,
            "summary": activity.summary,
            "body": "",
            "level": "consult",
            "kind": "survey",
            "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-01-20T17:00",
        },
    )
    assert response.status_code == 200
    assert "The dates fail a check." in response.content.decode()
    activity.refresh_from_db()
    assert activity.closes_at.date() != timezone.datetime(2027, 1, 20).date()
