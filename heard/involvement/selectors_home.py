"""Reads for the staff home: invitations nobody has answered."""

from collections.abc import Sequence

from django.db.models import Count, Q

from heard.involvement.models import Invitation, Opportunity


def opportunities_awaiting_answers(limit: int = 5) -> tuple[int, Sequence[Opportunity]]:
    """Invitations to open opportunities that nobody has answered yet: (how many in all,
    the first ``limit`` opportunities, most waiting first, each with ``unanswered``).
    Two queries, whatever the number of invitations."""
    total = Invitation.objects.filter(
        status=Invitation.Status.INVITED, opportunity__status=Opportunity.Status.OPEN
    ).count()
    rows = list(
        Opportunity.objects.filter(status=Opportunity.Status.OPEN)
        .annotate(
            unanswered=Count("invitations", filter=Q(invitations__status=Invitation.Status.INVITED))
        )
        .filter(unanswered__gt=0)
        .order_by("-unanswered", "pk")[:limit]
    )
    return total, rows
