"""The activity lifecycle rules, exhaustively, without a database."""

from datetime import UTC, datetime, timedelta

import pytest

from heard.engagement import domain
from heard.engagement.domain import (
    TRANSITIONS,
    ActivityFacts,
    Level,
    Status,
    due_transition,
    effective_status,
    needs_feedback_flag,
    transition_problems,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def facts(**kw):
    base = {
        "status": Status.DRAFT,
        "level": Level.CONSULT,
        "title": "Stroke services",
        "summary": "Tell us",
        "opens_at": NOW + timedelta(days=1),
        "closes_at": NOW + timedelta(days=85),
        "has_feedback": False,
    }
    base.update(kw)
    return ActivityFacts(**base)


@pytest.mark.parametrize("source", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_only_listed_transitions_are_possible(source, target):
    # Give every guard what it needs, so only the table decides.
    f = facts(status=source, has_feedback=True, level=Level.INFORM)
    problems = transition_problems(f, target, NOW)
    if target in TRANSITIONS[source]:
        assert problems == [], problems
    else:
        assert problems and "cannot be" in problems[0]


def test_archived_is_final():
    assert TRANSITIONS[Status.ARCHIVED] == frozenset()


def test_scheduling_needs_a_future_opening_date():
    assert transition_problems(facts(opens_at=None), Status.SCHEDULED, NOW) == [
        "Set an opening date to schedule the activity."
    ]
    past = transition_problems(facts(opens_at=NOW - timedelta(minutes=1)), Status.SCHEDULED, NOW)
    assert "in the past" in past[0]


def test_publishing_needs_title_summary_and_sane_dates():
    problems = transition_problems(
        facts(title=" ", closes_at=NOW, opens_at=NOW + timedelta(days=1)), Status.OPEN, NOW
    )
    assert any("title and a summary" in p for p in problems)
    assert any("closing date must be after" in p for p in problems)
    assert any("closing date has passed" in p for p in problems)


def test_feedback_must_be_written_before_publishing_it():
    f = facts(status=Status.CLOSED)
    assert "Write the feedback" in transition_problems(f, Status.FEEDBACK_PUBLISHED, NOW)[0]
    assert (
        transition_problems(
            facts(status=Status.CLOSED, has_feedback=True), Status.FEEDBACK_PUBLISHED, NOW
        )
        == []
    )


def test_consult_level_cannot_be_archived_without_feedback_but_inform_can():
    assert (
        "publish the feedback"
        in transition_problems(facts(status=Status.CLOSED), Status.ARCHIVED, NOW)[0]
    )
    assert (
        transition_problems(facts(status=Status.CLOSED, level=Level.INFORM), Status.ARCHIVED, NOW)
        == []
    )


def test_clock_opens_and_closes_exactly_on_time():
    f = facts(status=Status.SCHEDULED, opens_at=NOW, closes_at=NOW + timedelta(days=1))
    assert due_transition(f, NOW - timedelta(microseconds=1)) is None
    assert due_transition(f, NOW) == Status.OPEN
    g = facts(status=Status.OPEN, closes_at=NOW)
    assert due_transition(g, NOW - timedelta(seconds=1)) is None
    assert due_transition(g, NOW) == Status.CLOSED


def test_effective_status_skips_a_late_clock():
    f = facts(
        status=Status.SCHEDULED, opens_at=NOW - timedelta(days=2), closes_at=NOW - timedelta(days=1)
    )
    assert effective_status(f, NOW) == Status.CLOSED
    assert effective_status(f, NOW - timedelta(days=1, hours=1)) == Status.OPEN


def test_feedback_flag_for_closed_consultations_only():
    assert needs_feedback_flag(facts(status=Status.CLOSED))
    assert not needs_feedback_flag(facts(status=Status.CLOSED, level=Level.INFORM))
    assert not needs_feedback_flag(facts(status=Status.FEEDBACK_PUBLISHED))


def test_has_link_needs_a_real_web_address():
    assert domain.has_link("See https://discuss.example.nhs.uk/t/123 for the thread")
    assert domain.has_link("HTTP://EXAMPLE.ORG/x")
    for text in ("", "www", "on the website", "http://", "https:// example", "x"):
        assert not domain.has_link(text), text


def test_participation_problems_only_for_what_heard_cannot_host():
    base = {"has_questionnaire": False, "has_link": False, "has_place": False, "has_date": False}
    assert domain.participation_problems(kind="survey", level=domain.Level.CONSULT, **base) == []
    assert domain.participation_problems(
        kind="online_discussion", level=domain.Level.INVOLVE, **base
    )
    assert domain.participation_problems(kind="survey", level=domain.Level.EMPOWER, **base)
    for way in (
        {"has_questionnaire": True},
        {"has_link": True},
        {"has_place": True, "has_date": True},
    ):
        assert (
            domain.participation_problems(
                kind="online_discussion", level=domain.Level.EMPOWER, **{**base, **way}
            )
            == []
        )
    assert domain.participation_problems(
        kind="online_discussion", level=domain.Level.INVOLVE, **{**base, "has_place": True}
    )
