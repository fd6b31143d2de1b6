"""What outcomes tells the proposals app (registered in ``OutcomesConfig.ready``):
the ``decision_recorded`` fact, timeline events, the staff page's links and the public
page's "You said, we did" section."""

from typing import Any

from django.urls import reverse

from heard.outcomes import selectors
from heard.outcomes.models import Decision, ReportIssue, ThemeResponse
from heard.proposals.hooks import ProposalLink, TimelineEntry


def facts(proposal: Any) -> dict[str, Any]:
    return {"decision_recorded": Decision.objects.filter(proposal=proposal).exists()}


def timeline(proposal: Any) -> list[TimelineEntry]:
    url = reverse("outcomes:proposal", args=[proposal.pk])
    entries = [
        TimelineEntry(
            at=issue.issued_at,
            title="Outcome report issued to the decision makers",
            detail=f"To {issue.issued_to}",
            url=url,
        )
        for issue in ReportIssue.objects.filter(outcome__proposal=proposal)
    ]
    first = ThemeResponse.objects.filter(outcome__proposal=proposal).order_by("updated_at").first()
    if first is not None:
        entries.append(
            TimelineEntry(at=first.updated_at, title="Responses to themes begun", url=url)
        )
    decision = selectors.decision_of(proposal)
    if decision is not None:
        entries.append(
            TimelineEntry(
                at=decision.recorded_at,
                title=f"Decision recorded: decided by {decision.decided_by} on "
                f"{decision.decided_on:%-d %B %Y}",
                detail=decision.decision,
                url=url,
            )
        )
    return entries


def links(proposal: Any, user: Any) -> list[ProposalLink]:
    if not user.has_perm("outcomes.view_outcomes"):
        return []
    decision = selectors.decision_of(proposal)
    consulted = selectors.consultation_of(proposal) is not None
    if decision is None and not consulted and proposal.status != "decision_pending":
        return []
    if decision is not None:
        status, summary = "Done", f"Decided by {decision.decided_by}"
    else:
        themes = selectors.themes_for(proposal)
        missing = len(themes.missing)
        status = "Not started" if not themes.items else ("In progress" if missing else "Ready")
        summary = (
            f"{len(themes.items)} themes, {missing} without a response"
            if themes.items
            else "Themes appear here once the answers have been analysed"
        )
    return [
        ProposalLink(
            title="Conscientious consideration, outcome report and decision",
            url=reverse("outcomes:proposal", args=[proposal.pk]),
            summary=summary,
            status=status,
        )
    ]


def public_sections(proposal: Any) -> list[ProposalLink]:
    if not selectors.is_published(proposal):
        return []
    return [
        ProposalLink(
            title="You said, we did",
            url=reverse("outcomes_public:detail", args=[proposal.slug]),
            summary="What people told us in the consultation and what we did about it.",
        )
    ]
