"""Writing proposals. Every change is audited. Moving a proposal from stage to stage is
the lifecycle's (``heard.servicechange.lifecycle.services.proposal_transition``), which
checks the rules in ``domain.py`` against every stage's facts."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from heard.accounts.actors import Actor
from heard.audit.models import Action
from heard.audit.services import audit_record, audits_refusals
from heard.core.actors import person, require
from heard.core.substance import is_placeholder, words
from heard.servicechange.proposals.guard import StageRefused, stage
from heard.servicechange.proposals.models import (
    EngagementPlan,
    PlanItem,
    Proposal,
    ProposalActivity,
    ProposalEvidence,
    ProposalTransition,
)
from heard.servicechange.proposals.stages import Change


class TransitionRefused(ValueError):
    """The proposal cannot move to that status now; ``problems`` says why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


CHANGE = "proposals.change_proposals"
DECIDE = "proposals.record_decision"


def _may_change(actor: Actor) -> None:
    require(actor, CHANGE, to="change a proposal")


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "proposal"
    slug, n = base, 1
    while Proposal.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def proposal_create(
    *,
    actor: Actor,
    title: str,
    description: str,
    services: str = "",
    localities: list[str] | None = None,
    people_affected: int | None = None,
    lead: Any = None,
    topics: Any = (),
) -> Proposal:
    _may_change(actor)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            title=title,
            slug=_unique_slug(title),
            description=description,
            services=services,
            localities=list(localities or []),
            people_affected=people_affected,
            lead=lead,
        )
        if topics:
            proposal.topics.set(topics)
        ProposalTransition.objects.create(
            proposal=proposal, from_status="", to_status=proposal.status, actor=person(actor)
        )
        audit_record(
            action=Action.PROPOSAL_CREATED,
            actor=actor,
            subject=proposal,
            after={"title": title, "status": proposal.status},
        )
    return proposal


# Editing ------------------------------------------------------------------------------

EDITABLE = ("title", "description", "services", "localities", "people_affected", "heard_so_far")


def _snapshot(proposal: Proposal) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(proposal, name) for name in EDITABLE}
    values["lead"] = proposal.lead_id
    values["topics"] = sorted(proposal.topics.values_list("slug", flat=True))
    return values


@stage(
    Change.EDIT_PROPOSAL,
    proposal=lambda kw: kw["proposal"],
    refuse=StageRefused,
    who=lambda a: _may_change(a),
)
def proposal_update(
    *,
    proposal: Proposal,
    actor: Actor,
    title: str,
    description: str,
    services: str = "",
    localities: list[str] | None = None,
    people_affected: int | None = None,
    lead: Any = None,
    topics: Any = (),
    heard_so_far: str | None = None,
) -> Proposal:
    """Change what the proposal says; the audit event keeps only the fields that changed
    (the timeline shows them). Saving the same values again records nothing."""
    _may_change(actor)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = _snapshot(locked)
        locked.title = title
        locked.description = description
        locked.services = services
        locked.localities = list(localities or [])
        locked.people_affected = people_affected
        locked.lead = lead
        if heard_so_far is not None:
            locked.heard_so_far = heard_so_far
        locked.save()
        locked.topics.set(topics)
        after = _snapshot(locked)
        changed = [name for name in after if after[name] != before[name]]
        if changed:
            audit_record(
                action=Action.PROPOSAL_UPDATED,
                actor=actor,
                subject=locked,
                before={name: before[name] for name in changed},
                after={name: after[name] for name in changed},
            )
    return locked


class PrivacyRefused(ValueError):
    pass


@stage(
    Change.MAKE_PRIVATE,
    proposal=lambda kw: kw["proposal"],
    refuse=StageRefused,
    who=lambda a: _may_change(a),
)
def proposal_set_private(
    *, proposal: Proposal, actor: Actor, is_private: bool, reason: str = ""
) -> Proposal:
    """Keep a proposal off the public site, or publish it again. Keeping it private needs
    a recorded reason (the seeds: plans are shared at the earliest stage); raises
    ``PrivacyRefused`` without one."""
    _may_change(actor)
    reason = reason.strip()
    if is_private and not reason:
        raise PrivacyRefused("Give the reason for keeping this proposal private.")
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = {"is_private": locked.is_private, "reason": locked.private_reason}
        locked.is_private = is_private
        locked.private_reason = reason if is_private else ""
        locked.save(update_fields=["is_private", "private_reason", "updated_at"])
        audit_record(
            action=Action.PROPOSAL_PRIVACY_CHANGED,
            actor=actor,
            subject=locked,
            before=before,
            after={"is_private": is_private, "reason": locked.private_reason},
        )
    return locked


# What we drew on ---------------------------------------------------------------------


class EvidenceRefused(ValueError):
    pass


@audits_refusals("proposal.evidence_record", subject="proposal")
@stage(
    Change.RECORD_EVIDENCE,
    proposal=lambda kw: kw["proposal"],
    refuse=StageRefused,
    who=lambda a: _may_change(a),
)
def evidence_record(
    *,
    proposal: Proposal,
    actor: Actor,
    insight: Any = None,
    activity: Any = None,
    note: str = "",
) -> ProposalEvidence:
    """Record one insight, past activity or note the proposal drew on (early engagement).

    Exactly one of ``insight``/``activity`` or a note on its own; recording the same
    insight or activity twice returns the first record (double submission is harmless).
    Raises ``EvidenceRefused`` when nothing is given."""
    _may_change(actor)
    note = note.strip()
    if insight is not None and activity is not None:
        raise EvidenceRefused("Record an insight or an activity, not both at once.")
    if insight is None and activity is None and not note:
        raise EvidenceRefused("Choose an insight or an activity, or describe the evidence.")
    if insight is None and activity is None and (is_placeholder(note) or len(words(note)) < 2):
        # Early engagement is a safeguard (the seeds: plans shaped before ideas are
        # formed): "x" recorded as evidence would count as engagement that never was.
        raise EvidenceRefused(
            f"Describe the evidence in words a reader could follow – what it was and "
            f"where it came from: \u201c{note}\u201d is not evidence."
        )
    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=proposal.pk)
        if insight is not None:
            kind = ProposalEvidence.Kind.INSIGHT
            existing = proposal.evidence.filter(insight=insight).first()
        elif activity is not None:
            kind = ProposalEvidence.Kind.ACTIVITY
            existing = proposal.evidence.filter(activity=activity).first()
        else:
            kind = ProposalEvidence.Kind.NOTE
            existing = proposal.evidence.filter(kind=kind, note=note).first()
        if existing is not None:
            return existing
        evidence = ProposalEvidence.objects.create(
            proposal=proposal,
            kind=kind,
            insight=insight,
            activity=activity,
            note=note,
            recorded_by=person(actor),
        )
        audit_record(
            action=Action.PROPOSAL_EVIDENCE_RECORDED,
            actor=actor,
            subject=proposal,
            after={
                "evidence": evidence.pk,
                "kind": kind.value,
                "insight": getattr(insight, "pk", None),
                "activity": getattr(activity, "pk", None),
            },
        )
    return evidence


@stage(
    Change.REMOVE_EVIDENCE,
    proposal=lambda kw: kw["evidence"].proposal_id,
    refuse=StageRefused,
    who=lambda a: _may_change(a),
)
def evidence_remove(*, evidence: ProposalEvidence, actor: Actor) -> None:
    _may_change(actor)
    with transaction.atomic():
        proposal = evidence.proposal
        audit_record(
            action=Action.PROPOSAL_EVIDENCE_REMOVED,
            actor=actor,
            subject=proposal,
            before={
                "evidence": evidence.pk,
                "kind": evidence.kind,
                "insight": evidence.insight_id,
                "activity": evidence.activity_id,
            },
        )
        evidence.delete()


# Activities run for the proposal --------------------------------------------------------


@stage(
    Change.RECORD_EVIDENCE,
    proposal=lambda kw: kw["proposal"],
    refuse=StageRefused,
    who=lambda a: _may_change(a),
)
def activity_link(
    *,
    proposal: Proposal,
    activity: Any,
    actor: Actor,
    is_early_engagement: bool = False,
    plan_item: PlanItem | None = None,
) -> ProposalActivity:
    """Link an engagement activity to the proposal (again: updates the link)."""
    _may_change(actor)
    if plan_item is not None and plan_item.plan.proposal_id != proposal.pk:
        raise ValueError("That plan line belongs to another proposal.")
    with transaction.atomic():
        link, created = ProposalActivity.objects.get_or_create(
            proposal=proposal,
            activity=activity,
            defaults={
                "is_early_engagement": is_early_engagement,
                "plan_item": plan_item,
                "linked_by": person(actor),
            },
        )
        before = None
        if not created:
            before = {"early": link.is_early_engagement, "plan_item": link.plan_item_id}
            if before == {
                "early": is_early_engagement,
                "plan_item": getattr(plan_item, "pk", None),
            }:
                return link
            link.is_early_engagement = is_early_engagement
            link.plan_item = plan_item
            link.save(update_fields=["is_early_engagement", "plan_item"])
        audit_record(
            action=Action.PROPOSAL_ACTIVITY_LINKED,
            actor=actor,
            subject=proposal,
            before=before,
            after={
                "activity": activity.pk,
                "early": is_early_engagement,
                "plan_item": getattr(plan_item, "pk", None),
            },
        )
    return link


@stage(
    Change.REMOVE_EVIDENCE,
    proposal=lambda kw: kw["link"].proposal_id,
    refuse=StageRefused,
    who=lambda a: _may_change(a),
)
def activity_unlink(*, link: ProposalActivity, actor: Actor) -> None:
    _may_change(actor)
    with transaction.atomic():
        audit_record(
            action=Action.PROPOSAL_ACTIVITY_UNLINKED,
            actor=actor,
            subject=link.proposal,
            before={"activity": link.activity_id, "early": link.is_early_engagement},
        )
        link.delete()


# The engagement plan -----------------------------------------------------------------


def plan_for(proposal: Proposal) -> EngagementPlan:
    plan, _ = EngagementPlan.objects.get_or_create(proposal=proposal)
    return plan


@stage(
    Change.PLAN_ENGAGEMENT,
    proposal=lambda kw: kw["proposal"],
    refuse=StageRefused,
    who=lambda a: _may_change(a),
)
def plan_update(
    *,
    proposal: Proposal,
    actor: Actor,
    seldom_heard: str,
    timeline: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> EngagementPlan:
    _may_change(actor)
    if starts_on and ends_on and ends_on < starts_on:
        raise ValueError("The plan cannot end before it starts.")
    with transaction.atomic():
        plan = plan_for(proposal)
        fields = ("seldom_heard", "timeline", "starts_on", "ends_on")
        before = {f: getattr(plan, f) for f in fields}
        plan.seldom_heard, plan.timeline = seldom_heard, timeline
        plan.starts_on, plan.ends_on = starts_on, ends_on
        plan.save()
        after = {f: getattr(plan, f) for f in fields}
        changed = [f for f in fields if before[f] != after[f]]
        if changed:
            audit_record(
                action=Action.PROPOSAL_PLAN_CHANGED,
                actor=actor,
                subject=proposal,
                before={f: before[f] for f in changed},
                after={f: after[f] for f in changed},
            )
    return plan


@stage(
    Change.PLAN_ENGAGEMENT,
    proposal=lambda kw: kw["proposal"],
    refuse=StageRefused,
    who=lambda a: _may_change(a),
)
def plan_item_save(
    *,
    proposal: Proposal,
    actor: Actor,
    methods: str,
    stakeholder: Any = None,
    audience: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    item: PlanItem | None = None,
) -> PlanItem:
    """Add a line to the plan (or change ``item``): a stakeholder group from the map or
    another audience, with the methods. Raises ValueError without either."""
    _may_change(actor)
    audience = audience.strip()
    if stakeholder is None and not audience:
        raise ValueError("Choose a stakeholder from the map or describe the audience.")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValueError("A plan line cannot end before it starts.")
    with transaction.atomic():
        plan = plan_for(proposal)
        values = {
            "stakeholder": stakeholder,
            "audience": audience,
            "methods": methods.strip(),
            "starts_on": starts_on,
            "ends_on": ends_on,
        }
        if item is None:
            position = plan.items.count()
            item = PlanItem.objects.create(plan=plan, position=position, **values)
            action, before = Action.PROPOSAL_PLAN_ITEM_ADDED, None
        else:
            if item.plan_id != plan.pk:
                raise ValueError("That plan line belongs to another proposal.")
            before = {"who": item.who, "methods": item.methods}
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
            action = Action.PROPOSAL_PLAN_ITEM_CHANGED
        audit_record(
            action=action,
            actor=actor,
            subject=proposal,
            before=before,
            after={"item": item.pk, "who": item.who, "methods": item.methods},
        )
    return item


@stage(
    Change.PLAN_ENGAGEMENT,
    proposal=lambda kw: kw["item"].plan.proposal_id,
    refuse=StageRefused,
    who=lambda a: _may_change(a),
)
def plan_item_remove(*, item: PlanItem, actor: Actor) -> None:
    _may_change(actor)
    with transaction.atomic():
        audit_record(
            action=Action.PROPOSAL_PLAN_ITEM_REMOVED,
            actor=actor,
            subject=item.plan.proposal,
            before={"item": item.pk, "who": item.who, "methods": item.methods},
        )
        item.delete()
