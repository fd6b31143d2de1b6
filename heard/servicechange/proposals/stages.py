"""What each stage of a proposal for service change allows: one table. No Django.

The stages are the proposal's lifecycle (``domain.Status``); the changes are every act
that writes to the record of a service change – the proposal itself, its engagement plan
and evidence, the options appraisal, the significance and assurance records, the
consultation and its document, the consideration of what people said, the report to the
board, the decision and the published outcome. ``ALLOWED`` says, for each change, the
stages in which it may be made (the pattern of adhocracy4's phases, whose phase types
declare the features they allow). Every service that makes one of these changes is
declared with ``heard.servicechange.proposals.guard.stage`` and reads this table inside its transaction,
under a lock on the proposal; a test per cell of the table proves the answer.

Moving between stages is a different question, answered by ``domain.TRANSITIONS`` and
``domain.transition_problems``. The stage table is about what may change *within* a stage.

The effective stage (``effective``) is the proposal's status, except that a consultation
which has opened by its dates counts as "formal consultation" even if Heard's clock has
not yet moved the proposal on: from the moment people can respond, what they respond to
is frozen.
"""

from enum import StrEnum

from heard.servicechange.proposals.domain import STATUS_LABELS, Status


class Change(StrEnum):
    EDIT_PROPOSAL = "edit_proposal"
    MAKE_PRIVATE = "make_private"
    PLAN_ENGAGEMENT = "plan_engagement"
    RECORD_EVIDENCE = "record_evidence"
    REMOVE_EVIDENCE = "remove_evidence"
    APPRAISE_OPTIONS = "appraise_options"
    ASSESS_SIGNIFICANCE = "assess_significance"
    OVERRIDE_SIGNIFICANCE = "override_significance"
    RECORD_URGENT_PATH = "record_urgent_path"
    RECORD_ASSURANCE = "record_assurance"
    ATTACH_EQIA = "attach_eqia"
    REVIEW_EQIA = "review_eqia"
    RECORD_DUE_REGARD = "record_due_regard"
    NOTIFY_RECONFIGURATION = "notify_reconfiguration"
    RECORD_CALL_IN = "record_call_in"
    CREATE_CONSULTATION = "create_consultation"
    PREPARE_CONSULTATION = "prepare_consultation"
    SET_CONSULTATION_DATES = "set_consultation_dates"
    PROMOTE_CONSULTATION = "promote_consultation"
    CORRECT_CONSULTATION_DOCUMENT = "correct_consultation_document"
    CORRESPOND_WITH_OSC = "correspond_with_osc"
    MIDPOINT_REVIEW = "midpoint_review"
    CONSIDER_RESPONSES = "consider_responses"
    ISSUE_REPORT = "issue_report"
    RECORD_DECISION = "record_decision"
    PUBLISH_OUTCOME = "publish_outcome"


# What each change is, in the words of the member of staff who is refused it.
CHANGE_LABELS: dict[Change, str] = {
    Change.EDIT_PROPOSAL: "change the proposal's title, description or details",
    Change.MAKE_PRIVATE: "make the proposal private or public",
    Change.PLAN_ENGAGEMENT: "change the engagement plan",
    Change.RECORD_EVIDENCE: "link insight or activities to the proposal",
    Change.REMOVE_EVIDENCE: "remove linked insight or activities",
    Change.APPRAISE_OPTIONS: "change the options appraisal",
    Change.ASSESS_SIGNIFICANCE: "change the significance assessment",
    Change.OVERRIDE_SIGNIFICANCE: "override the significance determination",
    Change.RECORD_URGENT_PATH: "record the urgent-safety path",
    Change.RECORD_ASSURANCE: "record NHS England assurance",
    Change.ATTACH_EQIA: "record or attach the equality impact assessment",
    Change.REVIEW_EQIA: "review the equality impact assessment after involvement",
    Change.RECORD_DUE_REGARD: "record a decision maker's regard to the equality impact assessment",
    Change.NOTIFY_RECONFIGURATION: "record the notice of a notifiable reconfiguration",
    Change.RECORD_CALL_IN: "record a call-in request or the Secretary of State's answer",
    Change.CREATE_CONSULTATION: "set up a formal consultation",
    Change.PREPARE_CONSULTATION: "prepare or open the consultation (document, councils)",
    Change.SET_CONSULTATION_DATES: "change the consultation's dates",
    Change.PROMOTE_CONSULTATION: "send a mailout about the consultation",
    Change.CORRECT_CONSULTATION_DOCUMENT: "correct the published consultation document",
    Change.CORRESPOND_WITH_OSC: "record the correspondence with overview and scrutiny",
    Change.MIDPOINT_REVIEW: "record the mid-point review",
    Change.CONSIDER_RESPONSES: "record how the responses were considered",
    Change.ISSUE_REPORT: "issue or reopen the outcome report",
    Change.RECORD_DECISION: "record the decision",
    Change.PUBLISH_OUTCOME: "publish or withdraw the outcome",
}

S = Status
_EVERY = frozenset(Status)
_BEFORE_CONSULTING = frozenset(
    {S.UNDER_CONSIDERATION, S.EARLY_ENGAGEMENT, S.OPTIONS, S.SIGNIFICANCE, S.ASSURANCE}
)
_BEFORE_DECISION = _EVERY - {S.DECIDED, S.IMPLEMENTATION, S.EVALUATION}
_PREPARING = frozenset({S.SIGNIFICANCE, S.ASSURANCE})

ALLOWED: dict[Change, frozenset[Status]] = {
    # The proposal's own description is what people are told about: it may be improved
    # until the decision, and is part of the record of the decision after it.
    Change.EDIT_PROPOSAL: _BEFORE_DECISION,
    # Hiding a proposal once people have been consulted on it would hide what they were
    # consulted on.
    Change.MAKE_PRIVATE: _BEFORE_CONSULTING,
    # Engagement is continuous: the plan is kept up at every stage, evaluation included.
    Change.PLAN_ENGAGEMENT: _EVERY,
    Change.RECORD_EVIDENCE: _EVERY,
    # What the proposal drew on is evidence of a formative stage once people are consulted.
    Change.REMOVE_EVIDENCE: _BEFORE_CONSULTING,
    Change.APPRAISE_OPTIONS: _BEFORE_CONSULTING,
    Change.ASSESS_SIGNIFICANCE: frozenset({S.OPTIONS, S.SIGNIFICANCE, S.ASSURANCE}),
    Change.OVERRIDE_SIGNIFICANCE: _PREPARING,
    Change.RECORD_URGENT_PATH: _PREPARING,
    Change.RECORD_ASSURANCE: _BEFORE_CONSULTING,
    # Attached before people are consulted or involved on the change; reviewed after.
    Change.ATTACH_EQIA: _BEFORE_CONSULTING | {S.OTHER_INVOLVEMENT},
    Change.REVIEW_EQIA: frozenset({S.FORMAL_CONSULTATION, S.OTHER_INVOLVEMENT, S.DECISION_PENDING}),
    # Each decision maker's own regard to the reviewed EqIA, before the decision (Brown).
    Change.RECORD_DUE_REGARD: frozenset(
        {S.FORMAL_CONSULTATION, S.OTHER_INVOLVEMENT, S.DECISION_PENDING}
    ),
    # The notice to the Secretary of State comes before the decision.
    Change.NOTIFY_RECONFIGURATION: frozenset(
        {
            S.SIGNIFICANCE,
            S.ASSURANCE,
            S.FORMAL_CONSULTATION,
            S.OTHER_INVOLVEMENT,
            S.DECISION_PENDING,
        }
    ),
    # A call-in request and the Secretary of State's answer hold the decision, so they
    # are recorded before it (a request after the decision is outside Heard's record).
    Change.RECORD_CALL_IN: frozenset(
        {
            S.SIGNIFICANCE,
            S.ASSURANCE,
            S.FORMAL_CONSULTATION,
            S.OTHER_INVOLVEMENT,
            S.DECISION_PENDING,
        }
    ),
    Change.CREATE_CONSULTATION: _PREPARING,
    # What people will be consulted on is settled before it opens, councils included.
    Change.PREPARE_CONSULTATION: _PREPARING,
    # While open: extended, or closed early (a recorded act).
    Change.SET_CONSULTATION_DATES: _PREPARING | {S.FORMAL_CONSULTATION},
    Change.PROMOTE_CONSULTATION: _PREPARING | {S.FORMAL_CONSULTATION},
    # A correction is a new, reasoned version; after the decision the document is final.
    Change.CORRECT_CONSULTATION_DOCUMENT: frozenset({S.FORMAL_CONSULTATION, S.DECISION_PENDING}),
    Change.CORRESPOND_WITH_OSC: _PREPARING | {S.FORMAL_CONSULTATION, S.DECISION_PENDING},
    Change.MIDPOINT_REVIEW: frozenset({S.FORMAL_CONSULTATION}),
    Change.CONSIDER_RESPONSES: frozenset(
        {S.FORMAL_CONSULTATION, S.OTHER_INVOLVEMENT, S.DECISION_PENDING}
    ),
    Change.ISSUE_REPORT: frozenset({S.FORMAL_CONSULTATION, S.DECISION_PENDING}),
    Change.RECORD_DECISION: frozenset({S.DECISION_PENDING}),
    # "You said, we did" goes for approval when the report is issued, and is published
    # (or withdrawn for a correction) from then on.
    Change.PUBLISH_OUTCOME: frozenset(
        {S.FORMAL_CONSULTATION, S.DECISION_PENDING, S.DECIDED, S.IMPLEMENTATION, S.EVALUATION}
    ),
}

assert set(ALLOWED) == set(Change) and set(CHANGE_LABELS) == set(Change)


def allows(stage: Status | str, change: Change | str) -> bool:
    return Status(stage) in ALLOWED[Change(change)]


def effective(status: Status | str, *, consultation_opened: bool) -> Status:
    """The stage whose rules apply: a consultation open by its dates is "formal
    consultation" even before the proposal's status has caught up with it."""
    status = Status(status)
    if consultation_opened and status in _PREPARING:
        return S.FORMAL_CONSULTATION
    return status


_DECIDED = frozenset({S.DECIDED, S.IMPLEMENTATION, S.EVALUATION})
_CONSULTED = frozenset({S.FORMAL_CONSULTATION, S.OTHER_INVOLVEMENT, S.DECISION_PENDING})
# What people are consulted on: frozen in place from the moment they can respond.
FROZEN_ONCE_CONSULTED = frozenset(
    {
        Change.MAKE_PRIVATE,
        Change.REMOVE_EVIDENCE,
        Change.APPRAISE_OPTIONS,
        Change.ASSESS_SIGNIFICANCE,
        Change.OVERRIDE_SIGNIFICANCE,
        Change.RECORD_URGENT_PATH,
        Change.RECORD_ASSURANCE,
        Change.ATTACH_EQIA,
        Change.CREATE_CONSULTATION,
        Change.PREPARE_CONSULTATION,
    }
)


def refusal(stage: Status | str, change: Change | str) -> str:
    """Why ``change`` may not be made at ``stage``, for the member of staff; "" if it may.
    Says what to do instead where there is something to do."""
    stage, change = Status(stage), Change(change)
    if stage in ALLOWED[change]:
        return ""
    where = [STATUS_LABELS[s] for s in Status if s in ALLOWED[change]]
    message = (
        f"This proposal is at \u201c{STATUS_LABELS[stage]}\u201d: you cannot "
        f"{CHANGE_LABELS[change]} at this stage. It can be done at: {', '.join(where)}."
    )
    if stage in _DECIDED:
        message += (
            " The decision has been recorded: this is part of the record of the decision "
            "and can no longer change."
        )
    elif stage in _CONSULTED and change in FROZEN_ONCE_CONSULTED:
        message += (
            " What people were consulted on can no longer be changed in place: if something "
            "in it was wrong, correct the consultation document with the reason (a new "
            "version, shown on the public page)."
        )
    return message


def allowed_at(stage: Status | str) -> list[Change]:
    """The changes a stage allows, in the table's order (shown on the proposal's page)."""
    return [c for c in Change if Status(stage) in ALLOWED[c]]
