from typing import Any

from heard.accounts.tests.factories import staff_member
from heard.core.roles import Role
from heard.people.models import Topic
from heard.proposals.models import Proposal
from heard.proposals.services import proposal_create


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
