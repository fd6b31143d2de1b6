"""The public form's questionnaire lookup (written as SQL for speed) matches the ORM's."""

from datetime import timedelta

import pytest
from django.db.models import Model
from django.utils import timezone

from heard.engagement import selectors_responses
from heard.engagement.models import Activity, Questionnaire
from heard.engagement.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def _orm(slug: str) -> Questionnaire | None:
    return (
        Questionnaire.objects.select_related("activity")
        .filter(activity__slug=slug)
        .exclude(activity__status=Activity.Status.DRAFT)
        .order_by("pk")
        .first()
    )


def _fields(obj: Model) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_lookup_reads_the_same_rows_and_values_as_the_orm():
    activity = ActivityFactory(allow_late_responses=True, feedback="We listened.")
    Questionnaire.objects.create(activity=activity, title="Views", introduction="Intro")
    ActivityFactory()  # another activity, without a questionnaire
    found = selectors_responses.questionnaire_for_slug(activity.slug)
    expected = _orm(activity.slug)
    assert found is not None and expected is not None
    assert _fields(found) == _fields(expected)
    assert found.activity is not None and expected.activity is not None
    assert _fields(found.activity) == _fields(expected.activity)
    assert found.activity.closes_at is not None and found.activity.closes_at.tzinfo is not None
    assert found._state.adding is False and found.activity._state.adding is False


def test_drafts_and_unknown_slugs_are_not_found():
    draft = ActivityFactory(status=Activity.Status.DRAFT)
    Questionnaire.objects.create(activity=draft, title="Draft")
    assert selectors_responses.questionnaire_for_slug(draft.slug) is None
    assert selectors_responses.questionnaire_for_slug("no-such-activity") is None


def test_a_change_to_the_activity_is_seen_by_the_next_lookup():
    activity = ActivityFactory()
    Questionnaire.objects.create(activity=activity, title="Views")
    first = selectors_responses.questionnaire_for_slug(activity.slug)
    assert first is not None and first.activity is not None
    assert selectors_responses.response_window(first.activity) == "open"
    closed_at = timezone.now() - timedelta(seconds=1)
    Activity.objects.filter(pk=activity.pk).update(closes_at=closed_at)
    again = selectors_responses.questionnaire_for_slug(activity.slug)
    assert again is not None and again.activity is not None
    assert again.activity.closes_at == closed_at
    assert selectors_responses.response_window(again.activity) == "closed"
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.DRAFT)
    assert selectors_responses.questionnaire_for_slug(activity.slug) is None
