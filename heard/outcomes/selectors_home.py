"""Reads for the staff home: outcome reports waiting for the board's decision."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Max, Prefetch

from heard.outcomes.models import Decision, ReportIssue
from heard.proposals import domain as proposal_domain
from heard.proposals.models import Proposal


@dataclass(frozen=True)
class BoardWork:
    awaiting: Sequence[Proposal]  # each with ``issued`` (latest issue) and ``issued_to``
    decision_pending: int
    recently_decided: list[Decision]


def board_work(*, limit: int = 5) -> BoardWork:
    """Proposals whose outcome report was issued and that have no decision yet, latest
    issue first; how many proposals wait for a decision; the latest decisions. Four
    queries."""
    awaiting = list(
        Proposal.objects.filter(outcome__issues__isnull=False, decision__isnull=True)
        .annotate(issued=Max("outcome__issues__issued_at"))
        .prefetch_related(
            Prefetch(
                "outcome__issues",
                queryset=ReportIssue.objects.order_by("-issued_at", "-pk"),
            )
        )
        .select_related("outcome")
        .order_by("-issued", "pk")[:limit]
    )
    pending = Proposal.objects.filter(status=proposal_domain.Status.DECISION_PENDING).count()
    decided = list(
        Decision.objects.select_related("proposal").order_by("-decided_on", "-pk")[:limit]
    )
    return BoardWork(awaiting=awaiting, decision_pending=pending, recently_decided=decided)
