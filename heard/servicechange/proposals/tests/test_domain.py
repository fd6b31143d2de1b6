"""The proposal lifecycle rules (domain.md §§4–6), every status against every target."""

import dataclasses
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heard.servicechange.proposals import domain
from heard.servicechange.proposals.domain import ProposalFacts, Status, flags, is_public_stage
from heard.servicechange.proposals.domain import transition_problems as problems

ALL = list(Status)
PAIRS = list(itertools.product(ALL, ALL))


def ready(status: Status, target: Status) -> ProposalFacts:
    """Facts under which the move ``status`` -> ``target`` should be allowed."""
    facts = ProposalFacts(
        status=status,
        title="Move the minor injuries unit",
        description="Relocate it to the new health centre.",
        early_engagement_count=3,
        involvement_closed=1,
        options_count=3,
        significance_determined=True,
        consultation_required=True,
        stage2_passed=True,
        eqia_attached=True,
        consultation_exists=True,
        consultation_opened=True,
        consultation_closed=True,
        decision_recorded=True,
    )
    if target == Status.OTHER_INVOLVEMENT:
        facts = dataclasses.replace(facts, consultation_required=False)
    if target == Status.DECISION_PENDING and status == Status.SIGNIFICANCE:
        facts = dataclasses.replace(facts, urgent_path_recorded=True)
    return facts


@pytest.mark.parametrize(
    ("status", "target"), [(s, t) for s, t in PAIRS if t not in domain.TRANSITIONS[s]]
)
def test_a_move_outside_the_table_is_refused_with_one_reason(status, target):
    found = problems(ready(status, target), target)
    assert len(found) == 1
    assert domain.STATUS_LABELS[status] in found[0]
    assert domain.STATUS_LABELS[target] in found[0]
    assert "cannot move" in found[0]


@pytest.mark.parametrize(
    ("status", "target"), [(s, t) for s in ALL for t in sorted(domain.TRANSITIONS[s])]
)
def test_every_allowed_move_goes_ahead_when_its_guards_are_met(status, target):
    assert problems(ready(status, target), target) == []


def test_no_status_may_move_to_itself_and_evaluation_is_the_end():
    for status in ALL:
        assert status not in domain.TRANSITIONS[status]
    assert domain.TRANSITIONS[Status.EVALUATION] == frozenset()
    assert set(domain.TRANSITIONS) == set(ALL)


def test_every_status_can_be_reached_from_under_consideration():
    seen, frontier = {Status.UNDER_CONSIDERATION}, [Status.UNDER_CONSIDERATION]
    while frontier:
        for nxt in domain.TRANSITIONS[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert seen == set(ALL)


def test_early_engagement_can_be_skipped_but_a_decided_proposal_cannot_go_back():
    assert Status.OPTIONS in domain.TRANSITIONS[Status.UNDER_CONSIDERATION]
    for later in (Status.DECIDED, Status.IMPLEMENTATION, Status.EVALUATION):
        assert not domain.TRANSITIONS[later] & {
            Status.OPTIONS,
            Status.FORMAL_CONSULTATION,
            Status.DECISION_PENDING,
        }


@pytest.mark.parametrize(
    ("status", "target"), [(s, t) for s in ALL for t in sorted(domain.TRANSITIONS[s])]
)
@pytest.mark.parametrize("blank", ["title", "description"])
def test_every_move_needs_a_title_and_description(status, target, blank):
    facts = dataclasses.replace(ready(status, target), **{blank: "   "})
    assert "Give the proposal a title and a description first." in problems(facts, target)


@pytest.mark.parametrize("count", [0, 1])
def test_significance_needs_two_options(count):
    facts = dataclasses.replace(ready(Status.OPTIONS, Status.SIGNIFICANCE), options_count=count)
    assert problems(facts, Status.SIGNIFICANCE) == [
        "Record at least two options, one of them doing nothing, before assessing significance."
    ]


@pytest.mark.parametrize(
    "target", [Status.ASSURANCE, Status.OTHER_INVOLVEMENT, Status.DECISION_PENDING]
)
def test_leaving_significance_forward_needs_the_assessment_complete(target):
    facts = dataclasses.replace(ready(Status.SIGNIFICANCE, target), significance_determined=False)
    assert "Complete the significance assessment for all four areas first." in problems(
        facts, target
    )


def test_back_to_options_from_significance_needs_no_assessment():
    facts = dataclasses.replace(
        ready(Status.SIGNIFICANCE, Status.OPTIONS), significance_determined=False
    )
    assert problems(facts, Status.OPTIONS) == []


@pytest.mark.parametrize("status", [Status.SIGNIFICANCE, Status.ASSURANCE])
def test_other_involvement_is_not_enough_when_consultation_is_required(status):
    facts = dataclasses.replace(ready(status, Status.OTHER_INVOLVEMENT), consultation_required=True)
    assert problems(facts, Status.OTHER_INVOLVEMENT) == [
        "The significance assessment requires formal consultation: other involvement is not enough."
    ]
    urgent = dataclasses.replace(facts, urgent_path_recorded=True)
    assert problems(urgent, Status.OTHER_INVOLVEMENT) == []


def test_straight_to_decision_only_on_the_urgent_path():
    facts = dataclasses.replace(
        ready(Status.SIGNIFICANCE, Status.DECISION_PENDING), urgent_path_recorded=False
    )
    found = problems(facts, Status.DECISION_PENDING)
    assert len(found) == 1
    assert "urgent-safety path" in found[0]


def test_formal_consultation_guards_each_say_what_is_missing():
    base = ready(Status.ASSURANCE, Status.FORMAL_CONSULTATION)
    cases = {
        "significance_determined": (False, "Complete the significance assessment first."),
        "stage2_passed": (False, "NHS England assurance stage 2 must be recorded as passed."),
        "eqia_attached": (False, "Attach the equality impact assessment (EqIA)."),
        "consultation_opened": (
            False,
            "The proposal moves to formal consultation when its consultation opens: "
            "open it from the consultation's page once every Gunning check passes.",
        ),
    }
    for field, (value, message) in cases.items():
        assert problems(
            dataclasses.replace(base, **{field: value}), Status.FORMAL_CONSULTATION
        ) == [message]
    not_required = dataclasses.replace(base, consultation_required=False)
    assert (
        "formal consultation is not required"
        in problems(not_required, Status.FORMAL_CONSULTATION)[0]
    )


def test_stage2_is_not_needed_where_the_setting_turns_it_off():
    facts = dataclasses.replace(
        ready(Status.ASSURANCE, Status.FORMAL_CONSULTATION),
        stage2_passed=False,
        stage2_required=False,
    )
    assert problems(facts, Status.FORMAL_CONSULTATION) == []


def test_decision_pending_waits_for_the_consultation_to_close():
    facts = dataclasses.replace(
        ready(Status.FORMAL_CONSULTATION, Status.DECISION_PENDING), consultation_closed=False
    )
    assert problems(facts, Status.DECISION_PENDING) == [
        "The formal consultation has not closed yet."
    ]
    other = dataclasses.replace(
        ready(Status.OTHER_INVOLVEMENT, Status.DECISION_PENDING), consultation_closed=False
    )
    assert problems(other, Status.DECISION_PENDING) == []


def test_a_decision_after_other_involvement_needs_involvement_that_took_place():
    """Found in the demo: a proposal not needing formal consultation moved from "other
    involvement" to "decision pending" with nothing linked and no one asked."""
    facts = dataclasses.replace(
        ready(Status.OTHER_INVOLVEMENT, Status.DECISION_PENDING), involvement_closed=0
    )
    found = problems(facts, Status.DECISION_PENDING)
    assert len(found) == 1 and "Involve people before a decision" in found[0]
    urgent = dataclasses.replace(facts, urgent_path_recorded=True)
    assert problems(urgent, Status.DECISION_PENDING) == []


def test_decided_needs_the_decision_recorded():
    facts = dataclasses.replace(
        ready(Status.DECISION_PENDING, Status.DECIDED), decision_recorded=False
    )
    assert problems(facts, Status.DECIDED) == [
        "Record the decision (who decided, what, and the board paper)."
    ]


facts_strategy = st.builds(
    ProposalFacts,
    status=st.sampled_from(ALL),
    title=st.sampled_from(["", " ", "A title"]),
    description=st.sampled_from(["", "Why"]),
    early_engagement_count=st.integers(0, 3),
    options_count=st.integers(0, 4),
    significance_determined=st.booleans(),
    consultation_required=st.booleans(),
    urgent_path_recorded=st.booleans(),
    stage2_passed=st.booleans(),
    stage2_required=st.booleans(),
    eqia_attached=st.booleans(),
    consultation_exists=st.booleans(),
    consultation_opened=st.booleans(),
    consultation_closed=st.booleans(),
    decision_recorded=st.booleans(),
)


@given(facts_strategy, st.sampled_from(ALL))
def test_problems_are_plain_sentences_and_only_allowed_moves_can_pass(facts, target):
    found = problems(facts, target)
    assert all(p.strip() and p[-1] in ".\u201d" for p in found)
    assert len(found) == len(set(found))
    if target not in domain.TRANSITIONS[facts.status]:
        assert len(found) == 1
    if not found:
        assert target in domain.TRANSITIONS[facts.status]
        assert facts.title.strip() and facts.description.strip()


@given(facts_strategy, st.sampled_from(ALL))
def test_formal_consultation_never_opens_without_its_preconditions(facts, target):
    if target == Status.FORMAL_CONSULTATION and not problems(facts, target):
        assert facts.significance_determined and facts.consultation_required
        assert facts.eqia_attached
        assert facts.stage2_passed or not facts.stage2_required
        assert facts.consultation_opened


@pytest.mark.parametrize("status", ALL)
@pytest.mark.parametrize("count", [0, 1])
def test_flag_for_options_without_early_engagement(status, count):
    facts = ProposalFacts(
        status=status, early_engagement_count=count, plan_lines=1, seldom_heard_planned=True
    )
    past_early = domain.ORDER.index(status) >= domain.ORDER.index(Status.OPTIONS)
    expected = past_early and count == 0
    assert bool(flags(facts)) is expected
    if expected:
        assert "no early engagement" in flags(facts)[0]


PLANNING = {
    Status.EARLY_ENGAGEMENT,
    Status.OPTIONS,
    Status.SIGNIFICANCE,
    Status.ASSURANCE,
    Status.FORMAL_CONSULTATION,
    Status.OTHER_INVOLVEMENT,
    Status.DECISION_PENDING,
}


@pytest.mark.parametrize("status", ALL)
@pytest.mark.parametrize(("lines", "seldom"), [(0, False), (0, True), (2, False), (2, True)])
def test_flags_for_a_missing_or_incomplete_engagement_plan(status, lines, seldom):
    facts = ProposalFacts(
        status=status, early_engagement_count=1, plan_lines=lines, seldom_heard_planned=seldom
    )
    found = flags(facts)
    if status not in PLANNING or (lines and seldom):
        assert found == []
    elif not lines:
        assert found == [
            "There is no engagement plan yet: add the stakeholders affected and how each "
            "will be involved."
        ]
    else:
        assert found == [
            "The engagement plan does not say how seldom-heard groups will be reached."
        ]


@pytest.mark.parametrize("status", ALL)
def test_public_from_early_engagement_onward(status):
    assert is_public_stage(status) is (status != Status.UNDER_CONSIDERATION)
