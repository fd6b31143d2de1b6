"""What consultations tells the proposal, asked by the lifecycle
(``heard.servicechange.lifecycle``): its facts for the guards, timeline entries, the staff
link and the public section."""

from datetime import datetime, time
from typing import Any

from django.urls import reverse
from django.utils import timezone

from heard.engagement import domain as engagement_domain
from heard.servicechange.consultations import gunning
from heard.servicechange.consultations.models import Consultation
from heard.servicechange.consultations.services import creation_problems
from heard.servicechange.proposals.parts import ProposalLink, TimelineEntry


def _consultation(proposal: Any) -> Consultation | None:
    return Consultation.objects.filter(proposal=proposal).select_related("activity").first()


def _noon(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def timeline(proposal: Any) -> list[TimelineEntry]:
    consultation = _consultation(proposal)
    if consultation is None:
        return []
    url = reverse("consultations:detail", kwargs={"pk": consultation.pk})
    entries = [TimelineEntry(consultation.created_at, "Formal consultation created", url=url)]
    if consultation.document_published_at:
        entries.append(
            TimelineEntry(
                consultation.document_published_at, "Consultation document published", url=url
            )
        )
    now = timezone.now()
    status = consultation.status_at(now)
    activity = consultation.activity
    if activity.opens_at and status != engagement_domain.Status.DRAFT:
        opened = activity.opens_at <= now
        entries.append(
            TimelineEntry(
                activity.opens_at,
                "Formal consultation opened" if opened else "Formal consultation due to open",
                url=url,
            )
        )
    if activity.closes_at and status != engagement_domain.Status.DRAFT:
        closed = consultation.is_closed_at(now)
        if activity.closed_early and activity.scheduled_closes_at:
            # The real closing time, and the notice of why it came before the published one.
            entries.append(
                TimelineEntry(
                    activity.closes_at,
                    "Formal consultation closed early",
                    detail=(
                        f"It was due to close on "
                        f"{timezone.localtime(activity.scheduled_closes_at):%-d %B %Y, %H:%M}. "
                        f"{activity.closed_early_reason}"
                    ).strip(),
                    url=url,
                )
            )
        else:
            entries.append(
                TimelineEntry(
                    activity.closes_at,
                    "Formal consultation closed" if closed else "Formal consultation due to close",
                    url=url,
                )
            )
    osc_url = reverse("consultations:osc", kwargs={"pk": consultation.pk})
    for letter in consultation.scrutiny_letters.all():
        if letter.kind == letter.Kind.FIRST:
            entries.append(
                TimelineEntry(
                    letter.sent_at,
                    "First letter to overview and scrutiny (reg. 23)",
                    detail=(
                        f"To {letter.addressed_to}: comments wanted by "
                        f"{gunning.format_date(letter.comments_due_on)}, proposed decision "
                        f"date {gunning.format_date(letter.proposed_decision_on)}."
                    ),
                    url=osc_url,
                )
            )
    for notice in consultation.osc_notices.all():
        entries.append(
            TimelineEntry(
                notice.at,
                "Overview and scrutiny told of a change of dates",
                detail=notice.summary,
                url=osc_url,
            )
        )
    for response in consultation.scrutiny_responses.all():
        entries.append(
            TimelineEntry(
                _noon(response.received_on),
                "Overview and scrutiny committee's response received",
                detail=f"{response.get_position_display()}."
                + (f" {response.summary[:300]}" if response.summary else ""),
                url=osc_url,
            )
        )
    for review in consultation.midpoint_reviews.all():
        entries.append(
            TimelineEntry(review.at, "Mid-point review", detail=review.action_taken, url=url)
        )
    return entries


def links(proposal: Any, user: Any) -> list[ProposalLink]:
    if not user.has_perm("consultations.view_consultations"):
        return []
    consultation = _consultation(proposal)
    if consultation is None:
        if user.has_perm("consultations.change_consultations") and not creation_problems(proposal):
            return [
                ProposalLink(
                    title="Formal consultation",
                    url=reverse("consultations:create", kwargs={"proposal_pk": proposal.pk}),
                    summary="Formal consultation is required. Create it to prepare the "
                    "document and check it against the Gunning principles.",
                    status="Not started",
                )
            ]
        return []
    from heard.servicechange.consultations.gunning import Result
    from heard.servicechange.consultations.selectors import gunning_panel

    status = consultation.status_at()
    if status == engagement_domain.Status.DRAFT:
        panel = gunning_panel(consultation)
        failing = [c for c in panel if c.blocks]
        cautions = [c for c in panel if c.result in (Result.WARNING, Result.SHORTENED)]
        tag = "Failing checks" if failing else "Ready to open"
        if failing:
            summary = f"{len(failing)} check{'s' if len(failing) != 1 else ''} failing: " + (
                ", ".join(c.principle for c in failing)
            )
        elif cautions:
            summary = "No check fails; not passed: " + ", ".join(
                f"{c.principle} ({c.label.lower()})" for c in cautions
            )
        else:
            summary = "Every check passes."
    else:
        tag = engagement_domain.STATUS_LABELS[status]
        summary = _period(consultation)
    return [
        ProposalLink(
            title="Formal consultation",
            url=reverse("consultations:detail", kwargs={"pk": consultation.pk}),
            summary=summary,
            status=tag,
        )
    ]


def _period(consultation: Consultation) -> str:
    opens, closes = consultation.opens_at, consultation.closes_at
    if not opens or not closes:
        return ""
    return (
        f"{gunning.format_date(gunning.local_date(opens))} to "
        f"{gunning.format_date(gunning.local_date(closes))}"
    )


def public_sections(proposal: Any) -> list[ProposalLink]:
    consultation = _consultation(proposal)
    if consultation is None or consultation.document_published_at is None:
        return []
    status = consultation.status_at()
    if status == engagement_domain.Status.DRAFT:
        return []
    label = {
        engagement_domain.Status.SCHEDULED: "Opening soon",
        engagement_domain.Status.OPEN: "Open",
    }.get(status, "Closed")
    return [
        ProposalLink(
            title="Formal consultation",
            url=reverse("consultations_public:detail", kwargs={"slug": consultation.slug}),
            summary=_period(consultation),
            status=label,
        )
    ]
