"""Conscientious consideration (Gunning 4) and the decision. No Django.

After a formal consultation closes, analysis finds the themes in what people said. For
every theme the organisation writes what it heard, its response, and whether the theme
changed the recommendation (yes / partly / no) and how. A decision can be recorded only
when

- every theme found in the responses has a complete response;
- the outcome report has been issued to the decision makers *after* the last change to
  those responses (so the decision makers saw what was finally written);
- it is dated after the consultation closed (Gunning 1: the proposal was still at a
  formative stage while people were consulted) and not in the future;
- the overview and scrutiny committee was sent the first letter, and the decision is
  dated neither before its comments are due nor before the proposed decision date it was
  last told (reg. 23; ``heard.servicechange.consultations.scrutiny``);
- it names who decided, what was decided, and links the board paper.

Problems are written for the member of staff who has to act.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from heard.core import substance
from heard.servicechange.consultations import scrutiny


class Changed(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


CHANGED_LABELS = {
    Changed.YES: "Yes – it changed the recommendation",
    Changed.PARTLY: "Partly",
    Changed.NO: "No – the recommendation stands",
}

SHORT_CHANGED_LABELS = {Changed.YES: "Yes", Changed.PARTLY: "Partly", Changed.NO: "No"}


@dataclass(frozen=True)
class ThemeResponseFacts:
    response: str = ""
    changed: str = ""
    how: str = ""


# A response to a theme says what was considered and why, in a sentence or two: never
# "Noted.", a placeholder or a one-liner (heard.core.substance.statement_problems).
RESPONSE_MIN_WORDS = 10


def response_problems(facts: ThemeResponseFacts) -> list[str]:
    """What is missing from one theme's response."""
    problems = []
    if not facts.response.strip():
        problems.append("Write our response to this theme.")
    else:
        problems += substance.statement_problems(
            facts.response,
            what="what was considered about this theme and why",
            min_words=RESPONSE_MIN_WORDS,
        )
    if facts.changed not in {c.value for c in Changed}:
        problems.append("Say whether it changed the recommendation: yes, partly or no.")
    elif facts.changed in (Changed.YES, Changed.PARTLY) and substance.reason_problems(
        facts.how, what="", min_words=3
    ):
        problems.append("Say how it changed the recommendation, in a sentence.")
    return problems


def is_complete(facts: ThemeResponseFacts | None) -> bool:
    return facts is not None and not response_problems(facts)


def missing_themes(
    themes: Iterable[tuple[int, str]], responses: Mapping[int, ThemeResponseFacts]
) -> list[str]:
    """Names of the themes (id, name) without a complete response, in the order given."""
    return [name for theme_id, name in themes if not is_complete(responses.get(theme_id))]


@dataclass(frozen=True)
class DecisionFacts:
    """What the decision guard needs to know."""

    proposal_status: str
    decided_on: date | None
    today: date
    decided_by: str = ""
    decision: str = ""
    board_paper: bool = False
    # the formal consultation, if there was one
    consulted: bool = False
    # without a formal consultation the duty to involve (NHS Act 2006 s.14Z45) still
    # applies: the activities linked to the proposal through which people were involved
    # (the urgent-safety path excepted: the council is told at once instead)
    involvement_activities: int = 0
    urgent_path: bool = False
    consultation_closed: bool = False
    closes_on: date | None = None  # the day it closed, Europe/London
    # free-text questions with answers that have no themes yet (never analysed)
    unanalysed_questions: list[str] = field(default_factory=list)
    # free-text questions with themes but no signed-off codeframe version to report on
    unsigned_codeframes: list[str] = field(default_factory=list)
    themes_without_response: list[str] = field(default_factory=list)
    report_issued_at: datetime | None = None
    report_issued_on: date | None = None  # the day it was issued, Europe/London
    responses_changed_at: datetime | None = None
    already_decided: bool = False
    # the report as issued (stored): reopened since, or the record no longer matching it
    report_reopened: bool = False
    report_changes: list[str] = field(default_factory=list)
    # the equality impact assessment: attached before consulting, reviewed before deciding
    eqia_attached: bool = False
    eqia_reviewed_after_close: bool = False
    # overview and scrutiny (reg. 23): the first letter, and the dates last told
    osc_first_letter_on: date | None = None
    osc_comments_due_on: date | None = None
    osc_proposed_decision_on: date | None = None
    # the decision makers' own regard to the EqIA as reviewed (Brown principles): the day
    # each recorded it, and whether the person recording the decision has recorded theirs
    # (None: they are not one who may – an administrator recording for the board)
    due_regard_on: list[date] = field(default_factory=list)
    actor_due_regard: bool | None = None
    # what stands between the answers received and a report the decision makers can rely
    # on (AnalysisProgress.problems): answers not analysed, late answers with no decision,
    # themes no person reviewed, responses without substance
    analysis_problems: list[str] = field(default_factory=list)

    # the Consultation Institute's mid-point review, required of a formal consultation
    midpoint_reviewed: bool = True
    # a notifiable reconfiguration: the notice to the Secretary of State is missing, or a
    # call-in holds the decision (heard.servicechange.assessment.reconfiguration.hold_problems)
    reconfiguration_holds: list[str] = field(default_factory=list)


def due_regard_problems(facts: DecisionFacts) -> list[str]:
    """The decision makers' regard to the EqIA, before and at the decision (Brown)."""
    if not facts.eqia_attached or not facts.eqia_reviewed_after_close:
        return []  # said already: attach and review it first
    problems = []
    before = [
        day for day in facts.due_regard_on if facts.decided_on is None or day <= facts.decided_on
    ]
    if not facts.due_regard_on:
        problems.append(
            "No decision maker has recorded their regard to the reviewed equality impact "
            "assessment: each decision maker reads it and records, in their own words, the "
            "regard they had to it before the decision (it cannot be delegated)."
        )
    elif not before:
        problems.append(
            "Due regard is had before the decision: every record of it is dated after the "
            "decision date."
        )
    if facts.actor_due_regard is False:
        problems.append(
            "You are recording this decision: record your own regard to the reviewed EqIA first."
        )
    return problems


def decision_problems(facts: DecisionFacts) -> list[str]:
    """Why the decision cannot be recorded; an empty list means it can."""
    problems: list[str] = []
    if facts.already_decided:
        return ["A decision has already been recorded for this proposal."]
    if facts.proposal_status != "decision_pending":
        problems.append(
            "The proposal must be at \u201cDecision pending\u201d to record a decision."
        )
    if not facts.decided_by.strip():
        problems.append("Say who decided (for example, the ICB board).")
    if not facts.decision.strip():
        problems.append("Say what was decided.")
    if not facts.board_paper:
        problems.append("Link the board paper (a web address or an uploaded file).")
    if facts.decided_on is None:
        problems.append("Give the date of the decision.")
    elif facts.decided_on > facts.today:
        problems.append("The decision date cannot be in the future.")
    problems.extend(facts.reconfiguration_holds)
    if facts.consulted:
        if not facts.consultation_closed:
            problems.append("The formal consultation has not closed yet.")
        elif (
            facts.decided_on is not None
            and facts.closes_on is not None
            and facts.decided_on <= facts.closes_on
        ):
            problems.append(
                "The decision must be dated after the day the consultation closed "
                "(the proposal must still have been open to change while people were consulted)."
            )
        for name in facts.unanalysed_questions:
            problems.append(f"Analyse the answers to \u201c{name}\u201d to find their themes.")
        for name in facts.unsigned_codeframes:
            problems.append(unsigned_problem(name))
        if facts.themes_without_response:
            names = ", ".join(f"\u201c{n}\u201d" for n in facts.themes_without_response)
            count = len(facts.themes_without_response)
            problems.append(
                f"{count} theme{'s' if count != 1 else ''} "
                f"{'have' if count != 1 else 'has'} no complete response: {names}."
            )
        if not facts.midpoint_reviewed:
            problems.append(MIDPOINT_MISSING)
        if not facts.eqia_attached:
            problems.append(
                "Attach the equality impact assessment (EqIA) and review it in the light "
                "of what people said."
            )
        elif not facts.eqia_reviewed_after_close:
            problems.append(
                "Review the equality impact assessment (EqIA) in the light of what people "
                "said: record its review after the consultation closed."
            )
        problems.extend(
            scrutiny.decision_problems(
                decided_on=facts.decided_on,
                first_letter_on=facts.osc_first_letter_on,
                comments_due_on=facts.osc_comments_due_on,
                proposed_decision_on=facts.osc_proposed_decision_on,
            )
        )
        problems += due_regard_problems(facts)
        problems += facts.analysis_problems
        if facts.report_issued_at is None:
            problems.append("Issue the outcome report to the decision makers.")
        elif facts.report_reopened:
            problems.append(
                "The outcome report was reopened for changes: issue it again so the decision "
                "makers decide on what was finally written."
            )
        elif facts.report_changes:
            problems.append(
                "The record changed after the outcome report was issued ("
                + "; ".join(facts.report_changes)
                + "): reopen the report with a reason and issue it again."
            )
        elif facts.responses_changed_at is not None and (
            facts.responses_changed_at > facts.report_issued_at
        ):
            problems.append(
                "The theme responses changed after the outcome report was issued: "
                "issue it again so the decision makers see what was finally written."
            )
        elif (
            facts.decided_on is not None
            and facts.report_issued_on is not None
            and facts.decided_on < facts.report_issued_on
        ):
            problems.append("The decision cannot be dated before the outcome report was issued.")
    if not facts.consulted and not facts.urgent_path and facts.involvement_activities == 0:
        problems.append(INVOLVEMENT_MISSING)
    return problems


INVOLVEMENT_MISSING = (
    "No engagement activity is linked to this proposal. Formal consultation was not "
    "required, but the duty to involve (NHS Act 2006 s.14Z45) still applies: link the "
    "activities through which people were involved, before the decision."
)


MIDPOINT_MISSING = (
    "No mid-point review of the formal consultation is recorded: a formal consultation "
    "needs one (who has responded, who is missing, what was done about it), recorded "
    "while it runs."
)


def unsigned_problem(question: str) -> str:
    return (
        f"Sign off the codeframe of \u201c{question}\u201d: the report and the consideration "
        "of themes use a signed-off version of the themes, never the working copy."
    )


def issue_problems(
    *,
    consultation_closed: bool,
    unanalysed_questions: list[str],
    themes_without_response: list[str],
    issued_to: str,
    unsigned_codeframes: list[str] | None = None,
    analysis_problems: list[str] | None = None,
    midpoint_reviewed: bool = True,
) -> list[str]:
    """Why the outcome report cannot be issued to the decision makers yet."""
    problems = []
    if not consultation_closed:
        problems.append("The formal consultation has not closed yet.")
    if not midpoint_reviewed:
        problems.append(MIDPOINT_MISSING)
    for name in unanalysed_questions:
        problems.append(f"Analyse the answers to \u201c{name}\u201d to find their themes.")
    for name in unsigned_codeframes or []:
        problems.append(unsigned_problem(name))
    if themes_without_response:
        names = ", ".join(f"\u201c{n}\u201d" for n in themes_without_response)
        problems.append(f"Respond to every theme first: {names}.")
    problems += analysis_problems or []
    if not issued_to.strip():
        problems.append("Say who the report is issued to (the decision makers).")
    return problems


# Every answer analysed (Gunning 4) ---------------------------------------------------------


@dataclass(frozen=True)
class QuestionProgress:
    question: str
    signed_off: bool  # a signed-off codeframe version exists
    answers: int  # non-empty free-text answers, late ones included, set-aside ones not
    analysed: int  # coded in the signed-off codeframe, or marked "no theme" by a person
    no_theme: int  # of ``analysed``: reviewed by a person and given no theme
    unanalysed_late: int  # late answers (neither analysed nor set aside)
    by_person: int = 0  # of ``analysed``: looked at by a person (the rest: machine coding only)


@dataclass(frozen=True)
class AnalysisProgress:
    """How far the answers received have been analysed and considered: the checklist on
    the outcome's page and what report issue (and the decision) require."""

    questions: tuple[QuestionProgress, ...] = ()
    late_answers: int = 0  # answers in responses received after the close
    late_set_aside: int = 0  # of those, in responses set aside with a recorded reason
    late_undecided_refs: tuple[str, ...] = ()  # references of late responses to decide on
    themes_in_use: int = 0
    machine_only_themes: tuple[str, ...] = ()  # no person's coding in them at sign-off
    themes_responded: int = 0  # with a response of substance
    thin_responses: tuple[str, ...] = ()  # responses that do not say what/why (names)

    @property
    def answers(self) -> int:
        return sum(q.answers for q in self.questions)

    @property
    def by_person(self) -> int:
        return sum(q.by_person for q in self.questions)

    @property
    def machine_only(self) -> int:
        """Answers that count as analysed on the machine's coding alone (in the signed-off
        codeframe, not yet looked at by a person): said beside "Done", never hidden."""
        return sum(q.analysed - q.by_person for q in self.questions)

    @property
    def analysed(self) -> int:
        return sum(q.analysed for q in self.questions if q.signed_off)

    @property
    def late_undecided(self) -> int:
        return sum(q.unanalysed_late for q in self.questions)

    @property
    def themes_reviewed(self) -> int:
        return self.themes_in_use - len(self.machine_only_themes)

    def problems(self) -> list[str]:
        problems = []
        for q in self.questions:
            waiting = q.answers - q.analysed - q.unanalysed_late
            if q.signed_off and waiting > 0:
                problems.append(
                    f"{waiting} answer{'s' if waiting != 1 else ''} to \u201c{q.question}\u201d "
                    f"{'are' if waiting != 1 else 'is'} not coded in the signed-off codeframe "
                    "nor marked \u201cno theme\u201d by a person: code them, then sign off the "
                    "codeframe again."
                )
        if self.late_undecided:
            refs = ", ".join(self.late_undecided_refs)
            problems.append(
                f"{self.late_undecided} late answer{'s' if self.late_undecided != 1 else ''} "
                "(received after the consultation closed) "
                f"{'have' if self.late_undecided != 1 else 'has'} no decision: analyse "
                "them, or record for each response why it is not taken into account "
                f"({refs})."
            )
        if self.machine_only_themes:
            names = ", ".join(f"\u201c{n}\u201d" for n in self.machine_only_themes)
            problems.append(
                "No person reviewed these themes – every answer in them is a machine "
                f"suggestion nobody accepted: {names}. Review their codings in the analysis "
                "and sign off the codeframe again."
            )
        if self.thin_responses:
            names = ", ".join(f"\u201c{n}\u201d" for n in self.thin_responses)
            problems.append(
                "These responses to themes do not say what was considered and why (a "
                f"sentence or two, not \u201cNoted.\u201d): {names}."
            )
        return problems


# The report as issued, reopening and publication ---------------------------------------------


def is_placeholder(text: str) -> bool:
    """Empty, a placeholder ("x", "-", ".", "n/a"…) or no real words (heard.core.substance)."""
    return substance.is_placeholder(text) or len(substance.words(text)) < 2


def reason_problems(reason: str, *, what: str) -> list[str]:
    """A reason must say something: at least two real words, not a placeholder."""
    return substance.reason_problems(reason, what=what)


def locked_problem(version: int) -> str:
    return (
        f"The outcome report was issued (version {version}) and what it says is fixed: "
        "reopen it with a reason to change it, then issue it again as a new version."
    )


def reissue_problem(version: int) -> str:
    return (
        f"The outcome report has been issued (version {version}) and nothing has been reopened "
        "since: reopen it with a reason before issuing a new version."
    )


def approval_problems(
    *, status: str, submitted_by: int | None, approver: int | None, current: bool
) -> list[str]:
    """Why a "you said, we did" cannot be approved by this person now."""
    if status != "pending":
        return ["Only a publication waiting for approval can be approved."]
    problems = []
    if approver is not None and approver == submitted_by:
        problems.append(
            "A second person approves what goes public: you sent this one for approval."
        )
    if not current:
        problems.append(
            "What this publication was made from has changed since it was sent for approval: "
            "send the new version for approval instead."
        )
    return problems
