"""A proposal for service change and its lifecycle. No Django.

A proposal is logged as soon as it is under consideration (domain.md §4: the duty starts
then, not when the board resolves on it) and moves through:

    under consideration → early engagement → options → significance assessment
    → assurance → formal consultation | other involvement → decision pending
    → decided → implementation → evaluation

A move is allowed only if it is in ``TRANSITIONS`` and ``transition_problems`` finds
nothing in the way. Guards read ``ProposalFacts``: what the proposals app knows itself
(``OwnFacts``) and the typed facts of each later stage (``AssessmentFacts``,
``ConsultationFacts``, ``OutcomeFacts``), which ``heard.servicechange.lifecycle.facts``
asks each stage for directly and puts together with ``compose``. Problems are written for the member of staff who has to act.
``flags`` are warnings that do not block a move but are shown wherever the proposal is.
"""

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    UNDER_CONSIDERATION = "under_consideration"
    EARLY_ENGAGEMENT = "early_engagement"
    OPTIONS = "options"
    SIGNIFICANCE = "significance_assessment"
    ASSURANCE = "assurance"
    FORMAL_CONSULTATION = "formal_consultation"
    OTHER_INVOLVEMENT = "other_involvement"
    DECISION_PENDING = "decision_pending"
    DECIDED = "decided"
    IMPLEMENTATION = "implementation"
    EVALUATION = "evaluation"


STATUS_LABELS = {
    Status.UNDER_CONSIDERATION: "Under consideration",
    Status.EARLY_ENGAGEMENT: "Early engagement",
    Status.OPTIONS: "Options",
    Status.SIGNIFICANCE: "Significance assessment",
    Status.ASSURANCE: "Assurance",
    Status.FORMAL_CONSULTATION: "Formal consultation",
    Status.OTHER_INVOLVEMENT: "Other involvement",
    Status.DECISION_PENDING: "Decision pending",
    Status.DECIDED: "Decided",
    Status.IMPLEMENTATION: "Implementation",
    Status.EVALUATION: "Evaluation",
}

# What the public reads: the same stages in plain words, no jargon (issue: "Stage: Other
# involvement" told people nothing).
PUBLIC_STATUS_LABELS = {
    Status.UNDER_CONSIDERATION: "We are thinking about it",
    Status.EARLY_ENGAGEMENT: "Talking with people early",
    Status.OPTIONS: "Working out the options",
    Status.SIGNIFICANCE: "Deciding whether a formal consultation is needed",
    Status.ASSURANCE: "Checks by NHS England",
    Status.FORMAL_CONSULTATION: "Formal public consultation",
    Status.OTHER_INVOLVEMENT: "Involving people (no formal consultation needed)",
    Status.DECISION_PENDING: "Waiting for a decision",
    Status.DECIDED: "Decided",
    Status.IMPLEMENTATION: "Putting the change in place",
    Status.EVALUATION: "Checking how the change worked",
}

ORDER = list(Status)
# The stages at which the decision has been recorded (it is recorded with the move to
# "decided", in one transaction).
DECIDED_OR_LATER = frozenset({Status.DECIDED, Status.IMPLEMENTATION, Status.EVALUATION})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.UNDER_CONSIDERATION: frozenset({Status.EARLY_ENGAGEMENT, Status.OPTIONS}),
    Status.EARLY_ENGAGEMENT: frozenset({Status.OPTIONS}),
    Status.OPTIONS: frozenset({Status.EARLY_ENGAGEMENT, Status.SIGNIFICANCE}),
    Status.SIGNIFICANCE: frozenset(
        {Status.OPTIONS, Status.ASSURANCE, Status.OTHER_INVOLVEMENT, Status.DECISION_PENDING}
    ),
    Status.ASSURANCE: frozenset(
        {Status.SIGNIFICANCE, Status.FORMAL_CONSULTATION, Status.OTHER_INVOLVEMENT}
    ),
    Status.FORMAL_CONSULTATION: frozenset({Status.DECISION_PENDING}),
    Status.OTHER_INVOLVEMENT: frozenset({Status.DECISION_PENDING}),
    Status.DECISION_PENDING: frozenset({Status.DECIDED, Status.OPTIONS}),
    Status.DECIDED: frozenset({Status.IMPLEMENTATION}),
    Status.IMPLEMENTATION: frozenset({Status.EVALUATION}),
    Status.EVALUATION: frozenset(),
}

# The public "What we are working on" page lists proposals from early engagement onward
# (the seeds: plans are shared at the earliest possible stages).
PUBLIC_FROM = Status.EARLY_ENGAGEMENT


@dataclass(frozen=True)
class OwnFacts:
    """What the proposals app knows itself."""

    status: Status
    title: str = ""
    description: str = ""
    # early engagement recorded (linked activities or insight drawn on)
    early_engagement_count: int = 0
    # the engagement plan (lines = stakeholders or audiences planned for)
    plan_lines: int = 0
    seldom_heard_planned: bool = False
    # activities linked to the proposal (not as early engagement) that have closed: the
    # involvement that took place when formal consultation was not needed
    involvement_closed: int = 0


@dataclass(frozen=True)
class AssessmentFacts:
    """What the assessment stage knows (``assessment.selectors.stage_facts``)."""

    # options appraisal
    options_count: int = 0
    # significance
    significance_determined: bool = False
    consultation_required: bool = False
    urgent_path_recorded: bool = False
    # assurance
    stage2_passed: bool = False
    stage2_required: bool = True
    eqia_attached: bool = False
    # what is missing from the EqIA (each characteristic considered with evidence, a
    # mitigation for each negative impact): empty when complete
    eqia_problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsultationFacts:
    """What the consultation stage knows (``consultations.proposal_hooks.stage_facts``)."""

    exists: bool = False
    # people can respond (or could: it has opened by its dates and may since have closed)
    opened: bool = False
    closed: bool = False


@dataclass(frozen=True)
class OutcomeFacts:
    """What the outcome stage knows (``outcomes.hooks.stage_facts``)."""

    decision_recorded: bool = False


@dataclass(frozen=True)
class ProposalFacts:
    """What the lifecycle's guards read: the proposal's own facts and each stage's, put
    together by ``compose`` (the lifecycle asks every stage: ``lifecycle.facts``; a stage
    that needs the guards' answer before the later stages exist passes only its own and
    earlier stages' facts, and the rest keep their defaults)."""

    status: Status
    title: str = ""
    description: str = ""
    early_engagement_count: int = 0
    plan_lines: int = 0
    seldom_heard_planned: bool = False
    involvement_closed: int = 0
    options_count: int = 0
    significance_determined: bool = False
    consultation_required: bool = False
    urgent_path_recorded: bool = False
    stage2_passed: bool = False
    stage2_required: bool = True
    eqia_attached: bool = False
    eqia_problems: tuple[str, ...] = ()
    consultation_exists: bool = False
    consultation_opened: bool = False
    consultation_closed: bool = False
    decision_recorded: bool = False


def compose(
    own: OwnFacts,
    assessment: AssessmentFacts | None = None,
    consultation: ConsultationFacts | None = None,
    outcome: OutcomeFacts | None = None,
) -> ProposalFacts:
    a = assessment or AssessmentFacts()
    c = consultation or ConsultationFacts()
    o = outcome or OutcomeFacts()
    return ProposalFacts(
        status=own.status,
        title=own.title,
        description=own.description,
        early_engagement_count=own.early_engagement_count,
        plan_lines=own.plan_lines,
        seldom_heard_planned=own.seldom_heard_planned,
        involvement_closed=own.involvement_closed,
        options_count=a.options_count,
        significance_determined=a.significance_determined,
        consultation_required=a.consultation_required,
        urgent_path_recorded=a.urgent_path_recorded,
        stage2_passed=a.stage2_passed,
        stage2_required=a.stage2_required,
        eqia_attached=a.eqia_attached,
        eqia_problems=a.eqia_problems,
        consultation_exists=c.exists,
        consultation_opened=c.opened,
        consultation_closed=c.closed,
        decision_recorded=o.decision_recorded,
    )


def transition_problems(facts: ProposalFacts, target: Status) -> list[str]:
    """Why the proposal cannot move to ``target``; an empty list means it can."""
    if target not in TRANSITIONS[facts.status]:
        return [
            f"A proposal at \u201c{STATUS_LABELS[facts.status]}\u201d cannot move to "
            f"\u201c{STATUS_LABELS[target]}\u201d."
        ]
    problems: list[str] = []
    if not facts.title.strip() or not facts.description.strip():
        problems.append("Give the proposal a title and a description first.")
    if target == Status.SIGNIFICANCE and facts.options_count < 2:
        problems.append(
            "Record at least two options, one of them doing nothing, before assessing significance."
        )
    if target in (Status.ASSURANCE, Status.OTHER_INVOLVEMENT, Status.DECISION_PENDING) and (
        facts.status == Status.SIGNIFICANCE and not facts.significance_determined
    ):
        problems.append("Complete the significance assessment for all four areas first.")
    if (
        target == Status.OTHER_INVOLVEMENT
        and facts.consultation_required
        and not facts.urgent_path_recorded
    ):
        problems.append(
            "The significance assessment requires formal consultation: "
            "other involvement is not enough."
        )
    if (
        target == Status.DECISION_PENDING
        and facts.status == Status.SIGNIFICANCE
        and not facts.urgent_path_recorded
    ):
        problems.append(
            "Going straight to a decision is only possible on the urgent-safety path, "
            "with the reason and the notice to the council recorded."
        )
    if target == Status.FORMAL_CONSULTATION:
        if facts.significance_determined and not facts.consultation_required:
            problems.append(
                "The significance assessment found formal consultation is not required; "
                "record an override with reasons if it should go ahead."
            )
        if not facts.significance_determined:
            problems.append("Complete the significance assessment first.")
        if facts.stage2_required and not facts.stage2_passed:
            problems.append("NHS England assurance stage 2 must be recorded as passed.")
        if not facts.eqia_attached:
            problems.append("Attach the equality impact assessment (EqIA).")
        if not facts.consultation_opened:
            # Only the opening moves it (the lifecycle's consequence of the opening):
            # the public is never told a consultation is under way when none is open.
            problems.append(
                "The proposal moves to formal consultation when its consultation opens: "
                "open it from the consultation's page once every Gunning check passes."
            )
    if (
        target == Status.DECISION_PENDING
        and facts.status == Status.OTHER_INVOLVEMENT
        and facts.involvement_closed == 0
        and not facts.urgent_path_recorded
    ):
        problems.append(
            "Involve people before a decision: link the activity through which patients "
            "and the public were told and asked for their views, and wait until it has "
            "closed."
        )
    if (
        target == Status.DECISION_PENDING
        and facts.status == Status.FORMAL_CONSULTATION
        and not facts.consultation_closed
    ):
        problems.append("The formal consultation has not closed yet.")
    if target == Status.DECIDED and not facts.decision_recorded:
        problems.append("Record the decision (who decided, what, and the board paper).")
    return problems


def flags(facts: ProposalFacts) -> list[str]:
    """Warnings shown with the proposal; they do not block a move."""
    warnings: list[str] = []
    past_early = ORDER.index(facts.status) >= ORDER.index(Status.OPTIONS)
    if past_early and facts.early_engagement_count == 0:
        warnings.append(
            "This proposal moved to options with no early engagement recorded: "
            "link the activities or insight it drew on."
        )
    planning = (
        ORDER.index(Status.EARLY_ENGAGEMENT)
        <= ORDER.index(facts.status)
        < ORDER.index(Status.DECIDED)
    )
    if planning and facts.plan_lines == 0:
        warnings.append(
            "There is no engagement plan yet: add the stakeholders affected and how each "
            "will be involved."
        )
    elif planning and not facts.seldom_heard_planned:
        warnings.append("The engagement plan does not say how seldom-heard groups will be reached.")
    return warnings


def is_public_stage(status: Status) -> bool:
    return ORDER.index(status) >= ORDER.index(PUBLIC_FROM)
