"""A proposal for service change and its lifecycle. No Django.

A proposal is logged as soon as it is under consideration (domain.md §4: the duty starts
then, not when the board resolves on it) and moves through:

    under consideration → early engagement → options → significance assessment
    → assurance → formal consultation | other involvement → decision pending
    → decided → implementation → evaluation

A move is allowed only if it is in ``TRANSITIONS`` and ``transition_problems`` finds
nothing in the way. Guards read ``ProposalFacts``: what the proposals app knows itself,
plus facts contributed by the apps above it (assessment, consultations, outcomes) through
``heard.servicechange.proposals.hooks``. Problems are written for the member of staff who has to act.
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
class ProposalFacts:
    """What the guards need to know. Apps above proposals fill the fields they own
    (see ``hooks.register_facts``); a field nobody fills keeps its default."""

    status: Status
    title: str = ""
    description: str = ""
    # proposals: early engagement recorded (linked activities or insight drawn on)
    early_engagement_count: int = 0
    # proposals: the engagement plan (lines = stakeholders or audiences planned for)
    plan_lines: int = 0
    seldom_heard_planned: bool = False
    # assessment: options appraisal
    options_count: int = 0
    # assessment: significance
    significance_determined: bool = False
    consultation_required: bool = False
    urgent_path_recorded: bool = False
    # assessment: assurance
    stage2_passed: bool = False
    stage2_required: bool = True
    eqia_attached: bool = False
    # what is missing from the EqIA (each characteristic considered with evidence, a
    # mitigation for each negative impact): empty when complete
    eqia_problems: tuple[str, ...] = ()
    # consultations
    consultation_exists: bool = False
    consultation_closed: bool = False
    # outcomes
    decision_recorded: bool = False


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
