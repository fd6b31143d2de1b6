"""Reads for the staff home: outcome reports waiting for the board's decision."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, F, Max, OuterRef, Prefetch
from django.utils import timezone

from heard.servicechange.consultations.checkpoints import PUBLISH_WITHIN
from heard.servicechange.outcomes.models import Decision, Publication, ReportIssue
from heard.servicechange.proposals import domain as proposal_domain
from heard.servicechange.proposals.models import Proposal


@dataclass(frozen=True)
class BoardWork:
    awaiting: Sequence[Proposal]  # each with ``issued`` (latest issue) and ``issued_to``
    decision_pending: int
    recently_decided: list[Decision]
    # formal consultations closed over 12 weeks ago whose outcome is not published; each
    # proposal has ``closed_at`` (the real close) and ``due_on``
    overdue_outcomes: Sequence[Proposal] = ()


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
    return BoardWork(
        awaiting=awaiting,
        decision_pending=pending,
        recently_decided=decided,
        overdue_outcomes=overdue_outcomes(limit=limit),
    )


def overdue_outcomes(*, limit: int = 5) -> Sequence[Proposal]:
    """Proposals whose formal consultation closed (really: an early close counts from when
    it closed) more than 12 weeks ago with no outcome published. One query."""
    cutoff = timezone.now() - PUBLISH_WITHIN
    published = Publication.objects.filter(
        proposal=OuterRef("pk"),
        kind=Publication.Kind.OUTCOME,
        status=Publication.Status.APPROVED,
    )
    rows = list(
        Proposal.objects.filter(
            consultation__activity__closes_at__lt=cutoff,
            consultation__activity__status__in=("closed", "feedback_published", "archived"),
        )
        .exclude(Exists(published))
        .annotate(closed_at=F("consultation__activity__closes_at"))
        .order_by("closed_at", "pk")[:limit]
    )
    for proposal in rows:
        proposal.due_on = timezone.localdate(proposal.closed_at) + PUBLISH_WITHIN  # type: ignore[attr-defined]
    return rows
