"""What outcomes tells the proposal, asked by the lifecycle
(``heard.servicechange.lifecycle``): whether the decision is recorded, timeline events,
the staff page's links and the public page's "You said, we did" section. (The feedback
guard and the feedback publication are engagement's hooks, registered in
``OutcomesConfig.ready``.)"""

from typing import Any

from django.urls import reverse

from heard.servicechange.outcomes import selectors
from heard.servicechange.outcomes.models import (
    Decision,
    Publication,
    ReportIssue,
    ReportReopening,
    ThemeResponse,
)
from heard.servicechange.proposals.domain import OutcomeFacts
from heard.servicechange.proposals.parts import ProposalLink, TimelineEntry


def stage_facts(proposal: Any) -> OutcomeFacts:
    return OutcomeFacts(decision_recorded=Decision.objects.filter(proposal=proposal).exists())


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
    for reopening in ReportReopening.objects.filter(
        publication__outcome__proposal=proposal
    ).select_related("publication"):
        entries.append(
            TimelineEntry(
                at=reopening.reopened_at,
                title=f"Outcome report version {reopening.publication.version} reopened",
                detail=reopening.reason,
                url=url,
            )
        )
    for item in Publication.objects.filter(
        kind=Publication.Kind.OUTCOME, proposal=proposal, status=Publication.Status.APPROVED
    ):
        if item.decided_at is not None:
            entries.append(
                TimelineEntry(
                    at=item.decided_at, title="\u201cYou said, we did\u201d published", url=url
                )
            )
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
            else (
                "Themes appear here once an analyst has signed off the codeframe"
                if themes.unsigned
                else "Themes appear here once the answers have been analysed"
            )
        )
    due = selectors.publication_due(proposal)
    if due is not None:
        summary = f"{summary}. {due.summary}"
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


def feedback_guard(activity: Any, target: str, now: Any, by_clock: bool) -> list[str]:
    """An activity's feedback is published by approving it (``publication_approve``),
    which moves the activity on; the move alone, without an approved text, is refused."""
    if target != "feedback_published":
        return []
    approved = selectors.approved_feedback(activity)
    if approved is not None and approved.content == {"feedback": activity.feedback.strip()}:
        return []
    return [
        "Feedback goes public only when a person with the permission to publish approves "
        "it: send it for approval."
    ]


def feedback_publication(activity: Any) -> dict[str, Any]:
    """What the activity's pages show of its "you said, we did": the approved publication
    (public) and where it stands (staff)."""
    published = selectors.approved_feedback(activity)
    latest = next(iter(selectors.publications_for_activity(activity)), None)
    return {
        "published": published,
        "latest": latest,
        "submit_url": reverse("outcomes:feedback_submit", args=[activity.pk]),
        "queue_url": reverse("outcomes:publications"),
    }
