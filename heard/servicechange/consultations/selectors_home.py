"""Reads for the staff home: what programme leads and scrutiny readers need now.

Programme leads: the checks failing on the proposals they lead (the proposal's own
warnings, and for a consultation not yet closed the live Gunning panel), and the dates
coming (comments from overview and scrutiny due, the proposed decision, the close).
Scrutiny readers: the consultations their committees are consulted on, and the outcome
reports issued. Each reads a bounded number of rows, so a fixed number of queries.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from heard.engagement import domain as engagement_domain
from heard.servicechange.assessment.models import Checkpoint
from heard.servicechange.consultations import gunning
from heard.servicechange.consultations.models import Consultation, Council
from heard.servicechange.consultations.selectors import gunning_panel
from heard.servicechange.proposals import domain as proposal_domain
from heard.servicechange.proposals.models import Proposal

ACTIVE = [
    s.value
    for s in proposal_domain.ORDER
    if proposal_domain.ORDER.index(s) < proposal_domain.ORDER.index(proposal_domain.Status.DECIDED)
]
BEFORE_CONSULTATION = [
    proposal_domain.Status.SIGNIFICANCE.value,
    proposal_domain.Status.ASSURANCE.value,
]


@dataclass(frozen=True)
class DueDate:
    on: date
    what: str
    proposal: Proposal
    consultation: Consultation | None = None

    @property
    def overdue(self) -> bool:
        return self.on < timezone.localdate()


@dataclass
class ProposalChecks:
    proposal: Proposal
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LeadWork:
    proposal_count: int
    failing: list[ProposalChecks]
    due: list[DueDate]


def _lead_proposals(user: Any) -> Any:
    return (
        Proposal.objects.filter(lead=user, status__in=ACTIVE)
        .select_related("consultation__activity")
        .order_by("-updated_at", "pk")
    )


def _closed(consultation: Consultation, now: datetime) -> bool:
    return engagement_domain.effective_status(consultation.activity.facts(), now) in (
        engagement_domain.Status.CLOSED,
        engagement_domain.Status.FEEDBACK_PUBLISHED,
        engagement_domain.Status.ARCHIVED,
    )


def lead_work(user: Any, *, limit: int = 5, now: datetime | None = None) -> LeadWork:
    """Checks and dates for the (at most ``limit``) most recently changed proposals
    ``user`` leads that are not yet decided."""
    now = now or timezone.now()
    qs = _lead_proposals(user)
    count = qs.count()
    proposals = list(qs[:limit])
    ids = [p.pk for p in proposals]
    stage2 = set(
        Checkpoint.objects.filter(
            proposal_id__in=ids,
            stage=Checkpoint.Stage.ASSURANCE_CHECKPOINT,
            outcome__in=[Checkpoint.Outcome.PASSED, Checkpoint.Outcome.PASSED_WITH_CONDITIONS],
        ).values_list("proposal_id", flat=True)
    )
    failing: list[ProposalChecks] = []
    due: list[DueDate] = []
    for proposal in proposals:
        checks = ProposalChecks(proposal)
        checks.problems += proposal_domain.flags(proposal_domain.compose(proposal.own_facts()))
        consultation = getattr(proposal, "consultation", None)
        if proposal.status in BEFORE_CONSULTATION and proposal.pk not in stage2:
            checks.problems.append("NHS England's stage 2 assurance checkpoint is not yet passed.")
        if consultation is not None and not _closed(consultation, now):
            for check in gunning_panel(consultation, now=now):
                if check.result == gunning.Result.FAIL:
                    checks.problems.append(f"{check.principle}: {' '.join(check.reasons)}")
        if consultation is not None:
            if consultation.osc_comments_due_on:
                due.append(
                    DueDate(
                        consultation.osc_comments_due_on,
                        "Comments due from overview and scrutiny",
                        proposal,
                        consultation,
                    )
                )
            if consultation.proposed_decision_on:
                due.append(
                    DueDate(
                        consultation.proposed_decision_on,
                        "Proposed decision",
                        proposal,
                        consultation,
                    )
                )
            closes = consultation.activity.closes_at
            if closes and closes > now:
                due.append(
                    DueDate(
                        timezone.localdate(closes), "Consultation closes", proposal, consultation
                    )
                )
        if checks.problems:
            failing.append(checks)
    due.sort(key=lambda d: (d.on, d.what))
    return LeadWork(proposal_count=count, failing=failing, due=due)


@dataclass(frozen=True)
class ScrutinyWork:
    consultations: list[Consultation]


def scrutiny_work(*, limit: int = 10) -> ScrutinyWork:
    """Consultations on which a council's overview and scrutiny committee is consulted,
    comments due soonest first (two queries)."""
    rows = list(
        Consultation.objects.filter(councils__isnull=False)
        .distinct()
        .select_related("proposal", "activity")
        .prefetch_related(Prefetch("councils", queryset=Council.objects.order_by("name")))
        .order_by("osc_comments_due_on", "-created_at")[:limit]
    )
    return ScrutinyWork(consultations=rows)
