"""The proposal's whole journey, asked of each stage directly: the moves open to it now
(with what stands in the way), its timeline, the links to each stage's work and what
each stage publishes on its public page."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from heard.servicechange.assessment import selectors as assessment_selectors
from heard.servicechange.consultations import proposal_hooks as consultation_parts
from heard.servicechange.evidence import hooks as evidence_parts
from heard.servicechange.follow import sections as follow_parts
from heard.servicechange.lifecycle.facts import facts as proposal_facts
from heard.servicechange.outcomes import hooks as outcome_parts
from heard.servicechange.proposals import domain
from heard.servicechange.proposals import selectors as proposal_selectors
from heard.servicechange.proposals.models import Proposal
from heard.servicechange.proposals.parts import ProposalLink, TimelineEntry


@dataclass(frozen=True)
class Move:
    target: domain.Status
    label: str
    problems: list[str]
    backwards: bool = False

    @property
    def allowed(self) -> bool:
        return not self.problems


def moves(proposal: Proposal, facts: domain.ProposalFacts | None = None) -> list[Move]:
    """Every move the lifecycle table allows from here, with what stands in the way
    (``facts``: pass them if already gathered, to ask the stages only once)."""
    facts = facts or proposal_facts(proposal)
    targets = sorted(domain.TRANSITIONS[facts.status], key=domain.ORDER.index)
    here = domain.ORDER.index(facts.status)
    return [
        Move(
            t,
            domain.STATUS_LABELS[t],
            domain.transition_problems(facts, t),
            backwards=domain.ORDER.index(t) < here,
        )
        for t in targets
    ]


def timeline(proposal: Proposal) -> list[TimelineEntry]:
    """The whole history, oldest first: the proposal's own (moves, audited edits) and
    each stage's."""
    entries = [
        *proposal_selectors.own_timeline(proposal),
        *assessment_selectors.timeline(proposal),
        *consultation_parts.timeline(proposal),
        *outcome_parts.timeline(proposal),
    ]
    return sorted(entries, key=lambda e: e.at)


def links(proposal: Proposal, user: Any) -> list[ProposalLink]:
    """Each stage's work on the proposal that ``user`` may follow, in the order of the
    journey."""
    return [
        *assessment_selectors.links(proposal, user),
        *consultation_parts.links(proposal, user),
        *outcome_parts.links(proposal, user),
        *evidence_parts.links(proposal, user),
    ]


def public_sections(proposal: Proposal) -> list[ProposalLink]:
    """What is published about the proposal: following it, its consultation and its
    "you said, we did" (each stage returns only what is public)."""
    return [
        *follow_parts.proposal_follow_section(proposal),
        *consultation_parts.public_sections(proposal),
        *outcome_parts.public_sections(proposal),
    ]


def consultation_path(facts: domain.ProposalFacts) -> bool | None:
    """Whether the completed significance assessment requires formal consultation (None
    while it is not complete): the steps then show only the path the proposal will take."""
    return facts.consultation_required if facts.significance_determined else None


def public_view(proposal: Proposal, now: datetime | None = None) -> proposal_selectors.PublicView:
    return proposal_selectors.public_view(
        proposal,
        public_sections(proposal),
        now,
        consultation_required=consultation_path(proposal_facts(proposal)),
    )


def activity_related(activity: Any) -> list[Any]:
    """For an activity's public page: the public proposals it is part of (as their
    consultation, or linked to them), with what each has published (its consultation,
    "you said, we did"), so that a page mentioning the outcome links to it."""
    from django.urls import reverse

    from heard.engagement.hooks import ActivityLink
    from heard.servicechange.consultations.models import Consultation
    from heard.servicechange.proposals.models import ProposalActivity

    ids = set(
        ProposalActivity.objects.filter(activity_id=activity.pk).values_list(
            "proposal_id", flat=True
        )
    ) | set(
        Consultation.objects.filter(activity_id=activity.pk).values_list("proposal_id", flat=True)
    )
    links: list[Any] = []
    for proposal in Proposal.objects.filter(pk__in=ids, is_private=False).order_by("pk"):
        if not domain.is_public_stage(domain.Status(proposal.status)):
            continue
        links.append(
            ActivityLink(
                title=proposal.title,
                url=reverse("proposals_public:detail", args=[proposal.slug]),
                summary="The change this is part of, and where it has got to.",
            )
        )
        links += [
            ActivityLink(title=section.title, url=section.url, summary=section.summary)
            for section in public_sections(proposal)
            if section.url
            and section.url != reverse("engagement_public:activity", args=[activity.slug])
        ]
    return links
