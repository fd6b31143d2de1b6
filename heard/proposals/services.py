"""Writing proposals. Every change is audited; lifecycle moves go through
``proposal_transition``, which checks the rules in ``domain.py``."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.proposals import domain
from heard.proposals.models import Proposal, ProposalTransition


class TransitionRefused(ValueError):
    """The proposal cannot move to that status now; ``problems`` says why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "proposal"
    slug, n = base, 1
    while Proposal.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def proposal_create(
    *,
    actor: Any,
    title: str,
    description: str,
    services: str = "",
    localities: list[str] | None = None,
    people_affected: int | None = None,
    lead: Any = None,
    topics: Any = (),
) -> Proposal:
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
            proposal=proposal, from_status="", to_status=proposal.status, actor=actor
        )
        audit_record(
            action=Action.PROPOSAL_CREATED,
            actor=actor,
            subject=proposal,
            after={"title": title, "status": proposal.status},
        )
    return proposal


def proposal_transition(
    *, proposal: Proposal, target: domain.Status | str, actor: Any, note: str = ""
) -> Proposal:
    """Move ``proposal`` to ``target`` if the lifecycle allows it; TransitionRefused if not."""
    target = domain.Status(target)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        problems = domain.transition_problems(locked.facts(), target)
        if problems:
            raise TransitionRefused(problems)
        before = locked.status
        locked.status = target.value
        locked.save(update_fields=["status", "updated_at"])
        ProposalTransition.objects.create(
            proposal=locked,
            from_status=before,
            to_status=target.value,
            actor=actor,
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
