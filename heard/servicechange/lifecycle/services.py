"""Moving a proposal through its lifecycle, and the moves that follow an act.

``proposal_transition`` is the only way a proposal changes stage: it locks the proposal,
asks every stage for its facts (``facts.facts``) and refuses with the reasons of
``domain.transition_problems``. Two acts of the stages below move the proposal on as
their consequence, in the same transaction, attributed to the person who acted:

* the formal consultation opening (by a person, or by Heard's clock at its time) moves
  the proposal to "formal consultation" (``consultation_opened``, a consequence
  registered with engagement's activity moves);
* recording the decision moves it to "decided" (``decision_record``).
"""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from heard.accounts.actors import Actor
from heard.audit.models import Action
from heard.audit.services import audit_record, audits_refusals
from heard.core.actors import SystemActor, person, require
from heard.core.substance import reason_problems
from heard.engagement import domain as engagement_domain
from heard.engagement.guards import ConsequenceRefused
from heard.servicechange.consultations.models import Consultation
from heard.servicechange.lifecycle.facts import facts
from heard.servicechange.outcomes import services as outcome_services
from heard.servicechange.outcomes.models import Decision
from heard.servicechange.proposals import domain
from heard.servicechange.proposals.models import Proposal, ProposalTransition
from heard.servicechange.proposals.services import CHANGE, DECIDE, TransitionRefused


@audits_refusals(lambda call: f"proposal.{call['target']}", subject="proposal")
def proposal_transition(
    *,
    proposal: Proposal,
    target: domain.Status | str,
    actor: Actor | SystemActor,
    note: str = "",
) -> Proposal:
    """Move ``proposal`` to ``target`` if the lifecycle allows it; TransitionRefused if not.
    Going back a stage needs a reason (``note``) a reader could follow: it is on the
    timeline, for anyone asking later why the work was done again."""
    target = domain.Status(target)
    note = " ".join(note.split())
    if target == domain.Status.DECIDED:
        require(actor, DECIDE, to="record the decision on a proposal")
    else:
        # Heard's clock moves the proposal on when it opens its formal consultation.
        require(actor, CHANGE, to="move a proposal on", system=True)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        problems = domain.transition_problems(facts(locked), target)
        if not problems and domain.ORDER.index(target) < domain.ORDER.index(
            domain.Status(locked.status)
        ):
            problems = reason_problems(note, what="for going back a stage")
        if problems:
            raise TransitionRefused(problems)
        before = locked.status
        locked.status = target.value
        locked.save(update_fields=["status", "updated_at"])
        ProposalTransition.objects.create(
            proposal=locked,
            from_status=before,
            to_status=target.value,
            actor=person(actor),
            note=note,
            at=timezone.now(),
        )
        audit_record(
            action=Action.PROPOSAL_TRANSITIONED,
            actor=actor,
            subject=locked,
            before={"status": before},
            after={"status": target.value, "note": note},
        )
    return locked


def consultation_opened(activity: Any, target: str, actor: Actor | SystemActor) -> None:
    """When a formal consultation's activity opens, its proposal moves to "formal
    consultation" – by the person who opened it, or Heard's clock when it opened at its
    time. Registered with engagement's activity moves; runs in the move's transaction, so
    a refusal here refuses the opening and keeps neither."""
    if str(target) != str(engagement_domain.Status.OPEN):
        return
    consultation = Consultation.objects.filter(activity_id=activity.pk).first()
    if consultation is None:
        return
    proposal = Proposal.objects.get(pk=consultation.proposal_id)
    if proposal.status == domain.Status.FORMAL_CONSULTATION:
        return
    by_clock = isinstance(actor, SystemActor)
    try:
        proposal_transition(
            proposal=proposal,
            target=domain.Status.FORMAL_CONSULTATION,
            actor=actor,
            note="The formal consultation opened" + (" (by the clock)." if by_clock else "."),
        )
    except TransitionRefused as refused:
        raise ConsequenceRefused(list(refused.problems)) from refused


@audits_refusals("outcome.decide", subject="proposal")
def decision_record(
    *,
    proposal: Proposal,
    actor: Actor,
    decided_on: date | None,
    decided_by: str,
    decision: str,
    board_paper_url: str = "",
    board_paper_file: UploadedFile | None = None,
) -> Decision:
    """Record the decision (``outcomes.services.decision_record``, which checks what it
    may rest on) and move the proposal to "decided", in one transaction: either both are
    kept or neither. A refusal is audited once, as the decision's."""
    record: Decision | None = None
    try:
        with transaction.atomic():
            record = outcome_services.decision_record(
                proposal=proposal,
                actor=actor,
                decided_on=decided_on,
                decided_by=decided_by,
                decision=decision,
                board_paper_url=board_paper_url,
                board_paper_file=board_paper_file,
            )
            try:
                proposal_transition(
                    proposal=proposal,
                    target=domain.Status.DECIDED,
                    actor=actor,
                    note=f"Decided by {record.decided_by} on {record.decided_on:%-d %B %Y}.",
                )
            except TransitionRefused as refused:
                raise outcome_services.OutcomeRefused(list(refused.problems)) from refused
    except BaseException:
        # The row is rolled back; the stored board paper is not.
        if record is not None and record.board_paper_file:
            record.board_paper_file.delete(save=False)
        raise
    return record
