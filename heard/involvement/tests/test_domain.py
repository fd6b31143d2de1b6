"""The pure lifecycle rules."""

import pytest

from heard.involvement.domain import (
    TransitionError,
    answer_blocked,
    answer_outcome,
    transition_check,
    transitions_from,
    withdraw_check,
)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("draft", "open", True),
        ("open", "closed", True),
        ("closed", "open", True),
        ("draft", "closed", False),
        ("open", "draft", False),
        ("closed", "draft", False),
        ("open", "bogus", False),
    ],
)
def test_transitions_table(current, target, allowed):
    if allowed:
        transition_check(current, target)
    else:
        with pytest.raises(TransitionError):
            transition_check(current, target)


def test_opening_needs_places():
    with pytest.raises(TransitionError, match="number of places"):
        transition_check("draft", "open", has_places=False)
    assert transitions_from("draft") == [("open", "Open for invitations")]


def test_answers_are_idempotent_and_can_change_but_not_after_withdrawal():
    assert answer_outcome("invited", "accept") == ("accepted", True)
    assert answer_outcome("accepted", "accept") == ("accepted", False)
    assert answer_outcome("accepted", "decline") == ("declined", True)
    with pytest.raises(TransitionError):
        answer_outcome("withdrawn", "accept")
    assert answer_blocked(opportunity_status="open", invitation_status="invited") == ""
    assert "withdrawn" in answer_blocked(opportunity_status="open", invitation_status="withdrawn")
    assert "no longer" in answer_blocked(opportunity_status="closed", invitation_status="invited")
    withdraw_check("accepted")
    with pytest.raises(TransitionError):
        withdraw_check("declined")
