"""What the follow app adds to the proposal's public page (asked by the lifecycle)."""

from typing import Any

from django.urls import reverse

from heard.servicechange.proposals.parts import ProposalLink


def proposal_follow_section(proposal: Any) -> list[ProposalLink]:
    return [
        ProposalLink(
            title="Follow this proposal",
            url=f"{reverse('follow:start')}?proposal={proposal.slug}",
            summary="Get an email when it is decided, or when an activity about it opens, "
            "changes its dates or publishes what became of what people said.",
        )
    ]
