from typing import Any

from heard.accounts.tests.factories import staff_member
from heard.core.roles import Role
from heard.people.models import Topic
from heard.servicechange.proposals.models import Proposal
from heard.servicechange.proposals.services import proposal_create


def topic(name: str = "Urgent care") -> Topic:
    from django.utils.text import slugify

    return Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]


def make_proposal(
    *,
    actor: Any = None,
    title: str = "Move the minor injuries unit to the new health centre",
    description: str = "The minor injuries unit in Cromer would move to the health centre.",
    localities: list[str] | None = None,
    topics: Any = (),
) -> Proposal:
    return proposal_create(
        actor=actor or staff_member(Role.PROGRAMME_LEAD),
        title=title,
        description=description,
        localities=localities if localities is not None else ["North Norfolk"],
        topics=topics,
    )


def put_at(proposal: Proposal, status: str) -> Proposal:
    """Test scaffolding: set the proposal's stage directly (no transition recorded)."""
    Proposal.objects.filter(pk=proposal.pk).update(status=str(status))
    proposal.refresh_from_db()
    return proposal


def ensure_stage(proposal: Proposal, change: Any) -> Proposal:
    """Test scaffolding: if the proposal's stage does not allow ``change``, put it at the
    first stage from its own onward that does (else the first that does)."""
    from heard.servicechange.proposals import stages
    from heard.servicechange.proposals.domain import ORDER, Status

    proposal.refresh_from_db()
    current = Status(proposal.status)
    if stages.allows(current, change):
        return proposal
    allowed = [s for s in ORDER if stages.allows(s, change)]
    later = [s for s in allowed if ORDER.index(s) > ORDER.index(current)]
    return put_at(proposal, (later or allowed)[0])
