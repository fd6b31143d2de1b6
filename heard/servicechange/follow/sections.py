"""What the follow app adds to pages of lower apps (through their hooks)."""

from typing import Any

from django.urls import reverse

from heard.servicechange.proposals.hooks import ProposalLink


def proposal_follow_section(proposal: Any) -> list[ProposalLink]:
    return [
        ProposalLink(
            title="Follow this proposal",
            url=f"{reverse('follow:start')}?proposal={proposal.slug}",
            summary="Get an email when it is decided, or when an activity about it opens, "
            "changes its dates or publishes what became of what people said.",
        )
    ]
