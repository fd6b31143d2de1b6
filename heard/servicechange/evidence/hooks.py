"""What evidence packs add to a proposal's staff page (asked by the lifecycle)."""

from typing import Any

from django.urls import reverse

from heard.servicechange.proposals.parts import ProposalLink


def links(proposal: Any, user: Any) -> list[ProposalLink]:
    if not user.has_perm("evidence.build_pack"):
        return []
    from heard.servicechange.evidence.selectors import packs_of

    last = packs_of(proposal).first()
    summary = (
        f"Last built {last.requested_at:%d %b %Y %H:%M} ({last.get_status_display().lower()})"
        if last
        else "The record of the decision in one verifiable ZIP"
    )
    return [
        ProposalLink(
            title="Evidence pack",
            url=reverse("evidence:proposal", args=[proposal.pk]),
            summary=summary,
            status="Ready" if last and last.status == "done" else "",
        )
    ]
