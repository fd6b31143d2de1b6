"""The conscientious-consideration and decision rules (pure)."""

from datetime import UTC, date, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from heard.servicechange.outcomes import domain
from heard.servicechange.outcomes.domain import Changed, DecisionFacts, ThemeResponseFacts

TODAY = date(2026, 6, 1)
# A response that says what was considered and why (at least a sentence or two).
SAID = (
    "We looked at the bus times from the villages and will run a shuttle bus, "
    "because the journey takes over an hour."
)


def test_a_complete_response_has_text_and_a_choice() -> None:
    assert domain.is_complete(ThemeResponseFacts(SAID, "no"))
    assert not domain.is_complete(None)
    assert domain.response_problems(ThemeResponseFacts("", "no")) == [
        "Write our response to this theme."
    ]
    assert domain.response_problems(ThemeResponseFacts(SAID, "")) == [
        "Say whether it changed the recommendation: yes, partly or no."
    ]
    assert domain.response_problems(ThemeResponseFacts(SAID, "maybe")) != []


def test_yes_or_partly_needs_how() -> None:
    for changed in (Changed.YES, Changed.PARTLY):
        assert domain.response_problems(ThemeResponseFacts(SAID, changed)) == [
            "Say how it changed the recommendation, in a sentence."
        ]
        assert domain.is_complete(ThemeResponseFacts(SAID, changed, "Opening hours kept."))
    assert domain.is_complete(ThemeResponseFacts(SAID, Changed.NO, ""))


def test_noted_a_placeholder_or_a_one_liner_is_no_response_to_a_theme() -> None:
    """Found earlier: "." and "Noted." were accepted as the response to a theme."""
    for text in (".", "Noted.", "noted with thanks", "ok", "We will add spaces."):
        problems = domain.response_problems(ThemeResponseFacts(text, Changed.NO))
        assert problems and "what was considered" in problems[0], text
        assert not domain.is_complete(ThemeResponseFacts(text, Changed.NO))


@given(
    response=st.text(max_size=5),
    changed=st.sampled_from(["", "yes", "partly", "no", "x"]),
    how=st.text(max_size=5),
)
def test_complete_exactly_when_every_part_is_there(response: str, changed: str, how: str) -> None:
    # Five characters are never a sentence or two: never complete.
    expected = False
    assert domain.is_complete(ThemeResponseFacts(response, changed, how)) is expected


def test_missing_themes_in_order() -> None:
    themes = [(1, "Travel"), (2, "Parking"), (3, "Waiting")]
    responses = {2: ThemeResponseFacts(SAID, "no"), 3: ThemeResponseFacts("", "no")}
    assert domain.missing_themes(themes, responses) == ["Travel", "Waiting"]
    assert domain.missing_themes([], {}) == []


def _ready(**changes: object) -> DecisionFacts:
    values: dict[str, object] = {
        "proposal_status": "decision_pending",
        "decided_on": date(2026, 5, 20),
        "today": TODAY,
        "decided_by": "NHS Example ICB board",
        "decision": "Move the unit to the health centre.",
        "board_paper": True,
        "consulted": True,
        "consultation_closed": True,
        "closes_on": date(2026, 4, 1),
        "report_issued_at": datetime(2026, 5, 1, 9, tzinfo=UTC),
        "report_issued_on": date(2026, 5, 1),
        "responses_changed_at": datetime(2026, 4, 20, tzinfo=UTC),
        "eqia_attached": True,
        "eqia_reviewed_after_close": True,
        # reg. 23: the committee written to before opening, its dates come
        "osc_first_letter_on": date(2026, 1, 15),
        "osc_comments_due_on": date(2026, 4, 1),
        "osc_proposed_decision_on": date(2026, 4, 1),
        "due_regard_on": [date(2026, 3, 1)],
    }
    values.update(changes)
    return DecisionFacts(**values)  # type: ignore[arg-type]


def test_a_complete_decision_passes() -> None:
    assert domain.decision_problems(_ready()) == []


def test_without_a_consultation_only_the_record_itself_is_needed() -> None:
    facts = _ready(
        consulted=False,
        consultation_closed=False,
        closes_on=None,
        report_issued_at=None,
        involvement_activities=1,
    )
    assert domain.decision_problems(facts) == []


def test_without_a_consultation_the_duty_to_involve_still_applies() -> None:
    """Issue 13: a ward closure decided with no activity linked was allowed."""
    bare = {
        "consulted": False,
        "consultation_closed": False,
        "closes_on": None,
        "report_issued_at": None,
    }
    assert domain.decision_problems(_ready(**bare)) == [domain.INVOLVEMENT_MISSING]
    # the urgent-safety path tells the council at once instead
    assert domain.decision_problems(_ready(**bare, urgent_path=True)) == []


def test_each_failing_reason_is_reported() -> None:
    cases = {
        "The proposal must be at": _ready(proposal_status="formal_consultation"),
        "Say who decided": _ready(decided_by=" "),
        "Say what was decided": _ready(decision=""),
        "Link the board paper": _ready(board_paper=False),
        "Give the date": _ready(decided_on=None),
        "cannot be in the future": _ready(decided_on=date(2026, 6, 2)),
        "has not closed yet": _ready(consultation_closed=False),
        "dated after the day the consultation closed": _ready(
            decided_on=date(2026, 4, 1),
            report_issued_on=date(2026, 4, 1),
            responses_changed_at=datetime(2026, 3, 1, tzinfo=UTC),
        ),
        "Analyse the answers to \u201cWhy?\u201d": _ready(unanalysed_questions=["Why?"]),
        "2 themes have no complete response: \u201cA\u201d, \u201cB\u201d": _ready(
            themes_without_response=["A", "B"]
        ),
        "1 theme has no complete response": _ready(themes_without_response=["A"]),
        "Issue the outcome report": _ready(report_issued_at=None, report_issued_on=None),
        "issue it again": _ready(responses_changed_at=datetime(2026, 5, 2, tzinfo=UTC)),
        "before the outcome report was issued": _ready(decided_on=date(2026, 4, 30)),
        "Attach the equality impact assessment": _ready(
            eqia_attached=False, eqia_reviewed_after_close=False
        ),
        "record its review after the consultation closed": _ready(eqia_reviewed_after_close=False),
        "never sent the first letter": _ready(osc_first_letter_on=None),
        "comments are due on 21 May 2026": _ready(osc_comments_due_on=date(2026, 5, 21)),
        "told the decision would be taken on 21 May 2026": _ready(
            osc_proposed_decision_on=date(2026, 5, 21)
        ),
    }
    for expected, facts in cases.items():
        problems = domain.decision_problems(facts)
        assert len(problems) == 1, (expected, problems)
        assert expected in problems[0], (expected, problems)


def test_a_decided_proposal_cannot_be_decided_again() -> None:
    assert domain.decision_problems(_ready(already_decided=True)) == [
        "A decision has already been recorded for this proposal."
    ]


def test_decision_the_day_after_close_is_allowed() -> None:
    facts = _ready(
        decided_on=date(2026, 4, 2),
        report_issued_at=datetime(2026, 4, 2, 8, tzinfo=UTC),
        report_issued_on=date(2026, 4, 2),
        responses_changed_at=datetime(2026, 4, 2, 7, tzinfo=UTC),
    )
    assert domain.decision_problems(facts) == []


def test_issue_problems() -> None:
    ok: dict[str, Any] = {
        "consultation_closed": True,
        "unanalysed_questions": [],
        "themes_without_response": [],
        "issued_to": "Board",
    }
    assert domain.issue_problems(**ok) == []
    assert "not closed" in domain.issue_problems(**{**ok, "consultation_closed": False})[0]
    assert (
        "Respond to every theme"
        in domain.issue_problems(**{**ok, "themes_without_response": ["Parking"]})[0]
    )
    assert "Analyse" in domain.issue_problems(**{**ok, "unanalysed_questions": ["Q"]})[0]
    assert "Say who" in domain.issue_problems(**{**ok, "issued_to": ""})[0]


def test_the_decision_is_refused_without_the_decision_makers_due_regard() -> None:
    problems = domain.decision_problems(_ready(due_regard_on=[]))
    assert any("No decision maker has recorded their regard" in p for p in problems)
    # recorded after the decision date: not had before the decision
    late = domain.decision_problems(_ready(due_regard_on=[date(2026, 5, 21)]))
    assert any("Due regard is had before the decision" in p for p in late)
    # the person recording the decision, one who may, has not recorded theirs
    mine = domain.decision_problems(_ready(actor_due_regard=False))
    assert any("record your own regard" in p for p in mine)
    assert domain.decision_problems(_ready(actor_due_regard=True)) == []


def test_analysis_progress_names_what_is_missing() -> None:
    progress = domain.AnalysisProgress(
        questions=(
            domain.QuestionProgress(
                question="What do you think?",
                signed_off=True,
                answers=415,
                analysed=410,
                no_theme=4,
                unanalysed_late=3,
            ),
        ),
        late_answers=5,
        late_set_aside=0,
        late_undecided_refs=("P0000001", "P0000002", "P0000003"),
        themes_in_use=4,
        machine_only_themes=("Parking",),
        themes_responded=3,
        thin_responses=("Travel",),
    )
    problems = progress.problems()
    assert progress.analysed == 410 and progress.late_undecided == 3
    assert "2 answers to \u201cWhat do you think?\u201d are not coded" in problems[0]
    assert "3 late answers" in problems[1] and "P0000002" in problems[1]
    assert "\u201cParking\u201d" in problems[2]
    assert "\u201cTravel\u201d" in problems[3]
    assert domain.AnalysisProgress().problems() == []
    # a decision is refused while any of it stands
    assert problems[0] in domain.decision_problems(_ready(analysis_problems=problems))
