"""Every free-text answer becomes an insight, linked back to its response and activity."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from heard.core.jobs import drain_all, drain_pass
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
from heard.insight import receivers
from heard.insight.models import Insight, InsightOwed
from heard.insight.selectors import InsightFilter, insight_search
from heard.people.models import Topic

pytestmark = pytest.mark.django_db


def _response(channel="paper", postcode="", reference="R-0001"):
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
        reference=reference,
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


# --- the public online path: insights after the commit, in batches (ADR 7) -------------------


def test_the_deferred_hook_writes_nothing_until_the_commit_then_makes_the_insight(
    django_capture_on_commit_callbacks,
):
    response = _response(channel="online")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hooks.response_submitted(response, defer=True)
    assert not Insight.objects.exists()  # nothing written in the storing transaction
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the immediate task backend makes it at once
    insight = Insight.objects.get()
    assert insight.channel == "online" and insight.response_id == response.pk
    assert "Mary" not in insight.redacted_text
    assert insight_search(InsightFilter(q="district nurse")).total == 1


def test_a_crash_between_commit_and_task_loses_no_insight(django_capture_on_commit_callbacks):
    """The stored answers are the durable record: the catch-up finds what is owed."""
    first = _response(channel="online")
    second = _response(channel="online", reference="R-0002")
    blank = Question.objects.create(
        version=second.version,
        section=second.version.sections.first(),
        key="more",
        kind="short_text",
        text="Anything else?",
    )
    Answer.objects.create(response=second, question=blank, text="   ")  # never an insight
    with django_capture_on_commit_callbacks(execute=False):
        hooks.response_submitted(first, defer=True)  # the process stops before the task
        hooks.response_submitted(second, defer=True)
    assert not Insight.objects.exists()
    assert receivers.responses_without_insights() == [first.pk, second.pk]
    assert receivers.insights_catch_up(batch=1) == 2
    assert sorted(Insight.objects.values_list("response_id", flat=True)) == [
        first.pk,
        second.pk,
    ]
    assert receivers.insights_catch_up() == 0  # nothing owed, nothing twice
    # The answer of spaces is looked at once per catch-up and never becomes an insight.
    assert receivers.responses_without_insights() == [second.pk]


def test_the_catch_up_command_makes_missing_insights(django_capture_on_commit_callbacks):
    response = _response(channel="online")
    with django_capture_on_commit_callbacks(execute=False):
        hooks.response_submitted(response, defer=True)
    out = StringIO()
    call_command("insight_catch_up", stdout=out)
    assert "1 insights made" in out.getvalue()
    assert Insight.objects.get().response_id == response.pk


def test_a_batch_makes_each_responses_insights_once_with_its_own_facts():
    paper = _response(channel="paper", postcode="NR30 1AA")
    online = _response(channel="online", reference="R-0002")
    assert receivers.insights_for_responses([online.pk, paper.pk, online.pk]) == 2
    assert receivers.insights_for_responses([online.pk, paper.pk]) == 0
    by_response = {i.response_id: i for i in Insight.objects.all()}
    assert by_response[paper.pk].locality == "Great Yarmouth"
    assert by_response[online.pk].locality == "Broadland"
    assert by_response[online.pk].channel == "online"
    assert [t.slug for t in by_response[online.pk].topics.all()] == ["community-nursing"]
    assert receivers.insights_for_responses([987654]) == 0  # erased meanwhile


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEARD_INSIGHT_BATCH = 3


def _owed():
    return list(InsightOwed.objects.order_by("queued_at", "pk").values_list("pk", flat=True))


def test_with_a_worker_the_response_joins_the_owed_queue_in_its_transaction(database_queue):
    """One queue, in the database: the owed row commits and rolls back with the response
    (before, the id joined an in-memory list after the commit, lost with the process)."""
    kept = _response(channel="online")
    with transaction.atomic():
        hooks.response_submitted(kept, defer=True)
        assert _owed() == [kept.pk]  # written in this transaction, not after it
    rolled_back = _response(channel="online", reference="R-0002")
    with pytest.raises(RuntimeError), transaction.atomic():
        hooks.response_submitted(rolled_back, defer=True)
        raise RuntimeError("the response's transaction fails")
    assert _owed() == [kept.pk]
    assert not Insight.objects.exists()


def test_the_worker_drains_the_owed_queue_in_batches(database_queue):
    responses = [_response(channel="online", reference=f"R-00{n}") for n in range(1, 6)]
    for response in responses:
        hooks.response_submitted(response, defer=True)
    assert drain_all() == 3  # a batch of HEARD_INSIGHT_BATCH
    assert Insight.objects.count() == 3
    assert _owed() == [responses[3].pk, responses[4].pk]
    assert drain_all() == 2
    assert drain_all() == 0
    assert Insight.objects.count() == 5


def test_a_part_batch_tells_the_worker_to_gather_before_the_next_pass(database_queue):
    """The worker pauses after a part batch (HEARD_DRAIN_GATHER_SECONDS) and carries
    straight on after a full one: it must be told which it was."""
    responses = [_response(channel="online", reference=f"R-01{n}") for n in range(1, 5)]
    for response in responses:
        hooks.response_submitted(response, defer=True)
    assert drain_pass() == (3, True)  # full: more is probably waiting
    assert drain_pass() == (1, False)  # part: wait and gather
    assert drain_pass() == (0, False)


def test_a_drain_killed_before_it_took_its_rows_off_is_made_good_by_the_next(database_queue):
    response = _response(channel="online")
    hooks.response_submitted(response, defer=True)
    receivers.insights_for_responses([response.pk])  # made, then the worker died
    assert _owed() == [response.pk]
    assert receivers.insights_drain() == 1  # the next pass: nothing twice
    assert Insight.objects.count() == 1
    assert _owed() == []


def test_the_batch_after_the_commit_takes_the_place_from_a_postcode_answer():
    response = _response(channel="online", postcode="NR30 1AA")
    assert receivers.insights_for_responses([response.pk]) == 1
    insight = Insight.objects.get()
    assert insight.locality == "Great Yarmouth"
    assert insight.text.startswith("The district nurse was wonderful")


def test_heard_clock_makes_the_insights_a_lost_task_owed(django_capture_on_commit_callbacks):
    """The catch-up runs on a timer (heard_clock), not only when someone remembers it."""
    response = _response(channel="online")
    with django_capture_on_commit_callbacks(execute=False):
        hooks.response_submitted(response, defer=True)  # the task is lost
    assert not Insight.objects.exists()
    call_command("heard_clock", "--once", stdout=StringIO())
    assert Insight.objects.get().response_id == response.pk
