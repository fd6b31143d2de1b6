"""Every free-text answer becomes an insight, linked back to its response and activity."""

from datetime import UTC, datetime

import pytest

from heard.engagement import hooks
from heard.engagement.models import (
    ActivityLocality,
    Answer,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Section,
)
from heard.engagement.tests.factories import ActivityFactory
from heard.insight.models import Insight
from heard.insight.selectors import InsightFilter, insight_search
from heard.people.models import Topic

pytestmark = pytest.mark.django_db


def _response(channel="paper", postcode=""):
    topic, _ = Topic.objects.get_or_create(
        slug="community-nursing", defaults={"name": "Community nursing"}
    )
    activity = ActivityFactory(title="Community nursing survey")
    activity.topics.add(topic)
    ActivityLocality.objects.create(activity=activity, name="Broadland")
    questionnaire = Questionnaire.objects.create(activity=activity, title="Survey")
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    section = Section.objects.create(version=version, title="Your views")
    free = Question.objects.create(
        version=version, section=section, key="views", kind="long_text", text="Tell us"
    )
    choice = Question.objects.create(
        version=version, section=section, key="rating", kind="likert", text="Rate"
    )
    response = Response.objects.create(
        activity=activity,
        questionnaire=questionnaire,
        version=version,
        channel=channel,
        submitted_at=datetime(2025, 7, 14, 23, 30, tzinfo=UTC),
        reference="R-0001",
    )
    Answer.objects.create(
        response=response,
        question=free,
        text="The district nurse was wonderful, my name is Mary Smith.",
    )
    Answer.objects.create(response=response, question=choice, text="", value=5)
    if postcode:
        where = Question.objects.create(
            version=version, section=section, key="postcode", kind="postcode", text="Postcode"
        )
        Answer.objects.create(response=response, question=where, text=postcode)
    return response


def test_a_free_text_answer_becomes_a_linked_searchable_insight():
    response = _response()
    hooks.response_submitted(response)
    insight = Insight.objects.get()
    assert insight.source == "survey" and insight.channel == "paper"
    assert insight.activity == response.activity and insight.response_id == response.pk
    assert insight.answer_id == response.answers.get(question__key="views").pk
    assert insight.occurred_on.isoformat() == "2025-07-15"  # Europe/London in summer
    assert insight.locality == "Broadland"  # the activity's one place
    assert list(insight.topics.values_list("slug", flat=True)) == ["community-nursing"]
    assert "Mary" not in insight.redacted_text and "[NAME]" in insight.redacted_text
    assert insight.sentiment in ("positive", "neutral", "negative")
    assert insight_search(InsightFilter(q="district nurse")).total == 1


def test_submitting_twice_does_not_duplicate_and_bulk_hook_works():
    response = _response(channel="import", postcode="NR30 1AA")
    hooks.responses_bulk_created([response])
    hooks.response_submitted(response)
    insight = Insight.objects.get()
    assert insight.channel == "other"
    assert insight.locality == "Great Yarmouth"  # from the postcode answer
    assert Insight.objects.filter(text__contains="NR30").count() == 0


def test_erasing_a_response_erases_its_insight_from_the_bank_and_the_index():
    response = _response()
    hooks.response_submitted(response)
    assert insight_search(InsightFilter(q="district nurse")).total == 1
    response.delete()
    assert not Insight.objects.exists()
    assert insight_search(InsightFilter(q="district nurse")).total == 0
