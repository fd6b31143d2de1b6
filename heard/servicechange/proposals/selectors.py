"""Reading proposals: lists, the hub page's parts, what we already know, the timeline,
plan progress and the public pages."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.selectors import EventFilter, audit_events
from heard.engagement import domain as engagement_domain
from heard.engagement import selectors as engagement_selectors
from heard.engagement.models import Activity
from heard.insight import selectors as insight_selectors
from heard.insight.models import Insight
from heard.people.models import Group
from heard.people.postcodes import LOCALITIES
from heard.servicechange.proposals import domain, related
from heard.servicechange.proposals.models import (
    EngagementPlan,
    PlanItem,
    Proposal,
    ProposalActivity,
    ProposalEvidence,
)
from heard.servicechange.proposals.parts import ProposalLink, TimelineEntry

# Lists ----------------------------------------------------------------------------


def localities() -> tuple[str, ...]:
    """The places the app knows (as engagement and the insight bank use them)."""
    return LOCALITIES


def staff_proposals(*, status: str = "", q: str = "") -> QuerySet[Proposal]:
    qs = Proposal.objects.select_related("lead").order_by("-updated_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    if q.strip():
        qs = qs.filter(title__icontains=q.strip())
    return qs


def status_counts() -> dict[str, int]:
    rows = Proposal.objects.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def proposal_by_slug(slug: str) -> Proposal | None:
    return (
        Proposal.objects.select_related("lead").prefetch_related("topics").filter(slug=slug).first()
    )


def proposal_for(pk: int) -> Proposal | None:
    return Proposal.objects.select_related("lead").prefetch_related("topics").filter(pk=pk).first()


def public_stage_statuses() -> list[str]:
    return [s.value for s in domain.Status if domain.is_public_stage(s)]


def public_proposals() -> QuerySet[Proposal]:
    """Proposals from early engagement onward that are not kept private."""
    return (
        Proposal.objects.filter(status__in=public_stage_statuses(), is_private=False)
        .prefetch_related("topics")
        .order_by("-updated_at", "-pk")
    )


def public_proposal(slug: str) -> Proposal | None:
    return public_proposals().filter(slug=slug).first()


# The hub: facts and flags ---------------------------------------------------------------


def own_flags(proposal: Proposal) -> list[str]:
    """The flags, from what the proposals app knows itself (the flags read only those
    facts), without asking the apps above: cheap enough for every row of a list."""
    return domain.flags(domain.compose(proposal.own_facts()))


def lifecycle_steps(
    proposal: Proposal,
    labels: dict[domain.Status, str] = domain.STATUS_LABELS,
    *,
    consultation_required: bool | None = None,
) -> list[tuple[str, str]]:
    """The main line of the lifecycle with each step's state: done, current or to do.
    Formal consultation and other involvement are alternatives: only the one taken is
    listed; before either, the one the significance assessment points to
    (``consultation_required``, from the lifecycle's facts), or both while it is open."""
    current = domain.Status(proposal.status)
    taken = set(proposal.transitions.values_list("to_status", flat=True))
    expected = (
        {
            True: domain.Status.FORMAL_CONSULTATION,
            False: domain.Status.OTHER_INVOLVEMENT,
        }.get(consultation_required)
        if consultation_required is not None
        else None
    )
    steps = []
    for status in domain.ORDER:
        alternative = {
            domain.Status.FORMAL_CONSULTATION: domain.Status.OTHER_INVOLVEMENT,
            domain.Status.OTHER_INVOLVEMENT: domain.Status.FORMAL_CONSULTATION,
        }.get(status)
        if alternative and alternative.value in taken and status.value not in taken:
            continue
        if (
            alternative
            and expected is not None
            and status != expected
            and not ({status.value, alternative.value} & taken)
        ):
            continue
        if status == current:
            state = "current"
        elif domain.ORDER.index(status) < domain.ORDER.index(current):
            state = "done" if status.value in taken else "skipped"
        else:
            state = "todo"
        steps.append((labels[status], state))
    return steps


# What do we already know -------------------------------------------------------------


@dataclass
class RelatedInsight:
    insight: Insight
    score: float
    reasons: list[str] = field(default_factory=list)
    drawn_on: bool = False


@dataclass
class RelatedActivity:
    activity: Activity
    reasons: list[str] = field(default_factory=list)
    drawn_on: bool = False
    linked: bool = False


@dataclass(frozen=True)
class WhatWeKnow:
    terms: list[str]
    insights: list[RelatedInsight]
    activities: list[RelatedActivity]
    insight_total_by_topic: int
    insight_total_by_place: int


def what_we_know(
    *,
    title: str,
    description: str,
    topics: Any = (),
    localities: list[str] | tuple[str, ...] = (),
    proposal: Proposal | None = None,
    limit: int = 12,
    per_term: int = 25,
) -> WhatWeKnow:
    """Insights and past activities related to a proposal (or a draft of one) by its key
    words, topics and places, best first, each with the reasons it was found."""
    topics = list(topics)
    topic_ids = {t.pk for t in topics}
    places = [p for p in localities if p]
    terms = related.key_terms(title, description)
    found: dict[int, Insight] = {}
    shared: dict[int, list[str]] = {}
    for term in terms:
        page = insight_selectors.insight_search(
            insight_selectors.InsightFilter(q=term), per_page=per_term
        )
        for insight in page.items:
            found.setdefault(insight.pk, insight)
            shared.setdefault(insight.pk, []).append(term)
    by_topic_total = by_place_total = 0
    for topic in topics:
        page = insight_selectors.insight_search(
            insight_selectors.InsightFilter(topic=topic.slug), per_page=per_term
        )
        by_topic_total += page.total
        for insight in page.items:
            found.setdefault(insight.pk, insight)
    for place in places:
        page = insight_selectors.insight_search(
            insight_selectors.InsightFilter(locality=place), per_page=per_term
        )
        by_place_total += page.total
        for insight in page.items:
            found.setdefault(insight.pk, insight)
    drawn_insights: set[int] = set()
    drawn_activities: set[int] = set()
    linked_activities: set[int] = set()
    if proposal is not None:
        drawn_insights = set(
            proposal.evidence.filter(insight__isnull=False).values_list("insight_id", flat=True)
        )
        drawn_activities = set(
            proposal.evidence.filter(activity__isnull=False).values_list("activity_id", flat=True)
        )
        linked_activities = set(proposal.activity_links.values_list("activity_id", flat=True))
    topic_of: dict[int, set[int]] = {}
    for through in Insight.topics.through.objects.filter(insight_id__in=list(found)):
        topic_of.setdefault(through.insight_id, set()).add(through.topic_id)
    ranked: list[RelatedInsight] = []
    for pk, insight in found.items():
        words = shared.get(pk, [])
        same_topic = bool(topic_of.get(pk, set()) & topic_ids)
        same_place = bool(insight.locality and insight.locality in places)
        reasons = []
        if words:
            reasons.append("Shares the words: " + ", ".join(words))
        if same_topic:
            names = sorted(t.name for t in topics if t.pk in topic_of.get(pk, set()))
            reasons.append("Same topic: " + ", ".join(names))
        if same_place:
            reasons.append(f"Same place: {insight.locality}")
        ranked.append(
            RelatedInsight(
                insight=insight,
                score=related.score(
                    shared_terms=len(words), same_topic=same_topic, same_place=same_place
                ),
                reasons=reasons,
                drawn_on=pk in drawn_insights,
            )
        )
    ranked.sort(key=lambda r: (-r.score, -r.insight.occurred_on.toordinal(), -r.insight.pk))
    return WhatWeKnow(
        terms=terms,
        insights=ranked[:limit],
        activities=_related_activities(
            terms, topics, places, drawn_activities, linked_activities, limit
        ),
        insight_total_by_topic=by_topic_total,
        insight_total_by_place=by_place_total,
    )


def _word_regex(term: str) -> str:
    """A whole-word, case-insensitive pattern that SQLite's and PostgreSQL's regular
    expressions read alike (``\\b`` differs between them)."""
    return r"(^|[^a-z0-9])" + re.escape(term) + r"($|[^a-z0-9])"


def _related_activities(
    terms: list[str],
    topics: list[Any],
    places: list[str],
    drawn: set[int],
    linked: set[int],
    limit: int,
) -> list[RelatedActivity]:
    """Activities ever published (not drafts) sharing a topic, a place or a key word
    (as a whole word in the title, summary or body)."""
    published = Activity.objects.exclude(status=engagement_domain.Status.DRAFT).order_by(
        "-created_at"
    )
    found: dict[int, RelatedActivity] = {}

    def add(qs: QuerySet[Activity], reason: str) -> None:
        for activity in qs.distinct()[:20]:
            entry = found.setdefault(
                activity.pk,
                RelatedActivity(
                    activity, drawn_on=activity.pk in drawn, linked=activity.pk in linked
                ),
            )
            if reason not in entry.reasons:
                entry.reasons.append(reason)

    for topic in topics:
        add(published.filter(topics=topic), f"Same topic: {topic.name}")
    for place in places:
        add(published.filter(localities__name=place), f"Same place: {place}")
    for term in terms:
        pattern = _word_regex(term)
        add(
            published.filter(
                Q(title__iregex=pattern) | Q(summary__iregex=pattern) | Q(body__iregex=pattern)
            ),
            f"Mentions \u201c{term}\u201d",
        )
    ranked = sorted(found.values(), key=lambda r: (-len(r.reasons), r.activity.title))
    return ranked[:limit]


def what_we_know_for(proposal: Proposal, *, limit: int = 12) -> WhatWeKnow:
    return what_we_know(
        limit=limit,
        title=proposal.title,
        description=proposal.description,
        topics=list(proposal.topics.all()),
        localities=list(proposal.localities or []),
        proposal=proposal,
    )


KNOW_SUMMARY_SECONDS = 300


def what_we_know_summary(proposal: Proposal, *, limit: int = 3) -> WhatWeKnow:
    """The closest few of ``what_we_know_for``, for the proposal's hub page.

    The searches behind it take a few hundred milliseconds on a large bank, so which
    insights and activities matched is kept for five minutes (a change to the proposal
    starts afresh); whether each was drawn on is always read now. The full "what do we
    already know" page never uses this cache."""
    key = f"proposals:know:{proposal.pk}:{proposal.updated_at.timestamp()}:{limit}"
    found = cache.get(key)
    if found is None:
        know = what_we_know_for(proposal, limit=limit)
        found = {
            "terms": know.terms,
            "insights": [(r.insight.pk, r.score, r.reasons) for r in know.insights],
            "activities": [(r.activity.pk, r.reasons) for r in know.activities],
            "by_topic": know.insight_total_by_topic,
            "by_place": know.insight_total_by_place,
        }
        cache.set(key, found, KNOW_SUMMARY_SECONDS)
    drawn_insights = set(proposal.evidence.values_list("insight_id", flat=True))
    drawn_activities = set(proposal.evidence.values_list("activity_id", flat=True))
    linked = set(proposal.activity_links.values_list("activity_id", flat=True))
    insights = Insight.objects.in_bulk([pk for pk, _, _ in found["insights"]])
    activities = Activity.objects.in_bulk([pk for pk, _ in found["activities"]])
    return WhatWeKnow(
        terms=found["terms"],
        insights=[
            RelatedInsight(insights[pk], score, reasons, drawn_on=pk in drawn_insights)
            for pk, score, reasons in found["insights"]
            if pk in insights
        ],
        activities=[
            RelatedActivity(
                activities[pk], reasons, drawn_on=pk in drawn_activities, linked=pk in linked
            )
            for pk, reasons in found["activities"]
            if pk in activities
        ],
        insight_total_by_topic=found["by_topic"],
        insight_total_by_place=found["by_place"],
    )


def evidence_for(proposal: Proposal) -> list[ProposalEvidence]:
    return list(
        proposal.evidence.select_related("insight", "activity", "recorded_by").order_by(
            "recorded_at", "pk"
        )
    )


def insight_choice(pk: int) -> Insight | None:
    return insight_selectors.insight_detail(pk)


def activity_choice(pk: int) -> Activity | None:
    return Activity.objects.exclude(status=engagement_domain.Status.DRAFT).filter(pk=pk).first()


def linkable_activities(proposal: Proposal) -> QuerySet[Activity]:
    """Activities staff may link to the proposal (any not archived), newest first."""
    linked = proposal.activity_links.values("activity_id")
    return (
        Activity.objects.exclude(status=engagement_domain.Status.ARCHIVED)
        .exclude(pk__in=linked)
        .order_by("-created_at", "title")
    )


# Linked activities and the plan -------------------------------------------------------


@dataclass(frozen=True)
class LinkedActivity:
    link: ProposalActivity
    activity: Activity
    status: engagement_domain.Status
    status_label: str
    responses: int

    @property
    def is_open(self) -> bool:
        return self.status == engagement_domain.Status.OPEN

    @property
    def is_done(self) -> bool:
        return self.status in (
            engagement_domain.Status.CLOSED,
            engagement_domain.Status.FEEDBACK_PUBLISHED,
            engagement_domain.Status.ARCHIVED,
        )


def linked_activities(proposal: Proposal, now: datetime | None = None) -> list[LinkedActivity]:
    moment = now or timezone.now()
    links = list(
        proposal.activity_links.select_related("activity", "plan_item")
        .annotate(n_responses=Count("activity__responses"))
        .order_by("linked_at", "pk")
    )
    rows = []
    for link in links:
        status = engagement_selectors.effective_status(link.activity, moment)
        rows.append(
            LinkedActivity(
                link=link,
                activity=link.activity,
                status=status,
                status_label=engagement_domain.STATUS_LABELS[status],
                responses=link.n_responses,
            )
        )
    return rows


@dataclass(frozen=True)
class PlanLine:
    item: PlanItem
    activities: list[LinkedActivity]

    @property
    def progress(self) -> str:
        """Not started (no activity), planned (none open yet), under way, or done."""
        if not self.activities:
            return "Not started"
        if all(a.is_done for a in self.activities):
            return "Done"
        if any(a.is_open or a.is_done for a in self.activities):
            return "Under way"
        return "Planned"


@dataclass(frozen=True)
class PlanView:
    plan: EngagementPlan | None
    lines: list[PlanLine]
    unplanned: list[LinkedActivity]  # linked activities on no plan line

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if line.progress == "Done")

    @property
    def under_way(self) -> int:
        return sum(1 for line in self.lines if line.progress == "Under way")


def plan_view(proposal: Proposal, now: datetime | None = None) -> PlanView:
    plan = EngagementPlan.objects.filter(proposal=proposal).first()
    linked = linked_activities(proposal, now)
    if plan is None:
        return PlanView(None, [], linked)
    items = list(plan.items.select_related("stakeholder"))
    lines = [
        PlanLine(item, [a for a in linked if a.link.plan_item_id == item.pk]) for item in items
    ]
    planned_ids = {item.pk for item in items}
    unplanned = [a for a in linked if a.link.plan_item_id not in planned_ids]
    return PlanView(plan, lines, unplanned)


def stakeholder_choices() -> QuerySet[Group]:
    """Groups on the stakeholder map (active), most influential first."""
    return Group.objects.filter(active=True).order_by("-influence", "-interest", "name")


# The timeline ---------------------------------------------------------------------------

_FIELD_LABELS = {
    "title": "title",
    "description": "description",
    "services": "services",
    "localities": "places",
    "people_affected": "people affected",
    "heard_so_far": "what we have heard so far",
    "lead": "lead",
    "topics": "topics",
}


_EVIDENCE_KINDS = dict(ProposalEvidence.Kind.choices)


def _audit_detail(action: str, before: Any, after: Any, titles: dict[int, str]) -> str:
    """A plain sentence for one audited change (no personal data is in the trail)."""
    values = after if isinstance(after, dict) else before if isinstance(before, dict) else {}
    if action == Action.PROPOSAL_UPDATED:
        names = [_FIELD_LABELS.get(str(k), str(k)) for k in values]
        return "Changed: " + ", ".join(names) + "."
    if action == Action.PROPOSAL_PRIVACY_CHANGED:
        if values.get("is_private"):
            return f"Kept private: {values.get('reason', '')}"
        return "Shown on the public site."
    if action in (Action.PROPOSAL_EVIDENCE_RECORDED, Action.PROPOSAL_EVIDENCE_REMOVED):
        kind = str(_EVIDENCE_KINDS.get(values.get("kind", ""), "Evidence"))
        activity = values.get("activity")
        return f"{kind}: {titles[activity]}" if activity in titles else kind
    if action in (Action.PROPOSAL_ACTIVITY_LINKED, Action.PROPOSAL_ACTIVITY_UNLINKED):
        title = titles.get(int(values.get("activity") or 0), "an activity since deleted")
        return f"{title}{' (early engagement)' if values.get('early') else ''}"
    if action in (
        Action.PROPOSAL_PLAN_ITEM_ADDED,
        Action.PROPOSAL_PLAN_ITEM_CHANGED,
        Action.PROPOSAL_PLAN_ITEM_REMOVED,
    ):
        return f"{values.get('who', '')}: {values.get('methods', '')}"
    return ""


_TIMELINE_SKIP = {Action.PROPOSAL_CREATED.value, Action.PROPOSAL_TRANSITIONED.value}


def own_timeline(proposal: Proposal) -> list[TimelineEntry]:
    """The proposal's own history, oldest first: lifecycle moves and audited edits (what
    was drawn on, links, plan, privacy). The lifecycle adds each stage's entries
    (``lifecycle.selectors.timeline``)."""
    entries: list[TimelineEntry] = []
    for move in proposal.transitions.select_related("actor").order_by("at", "pk"):
        if not move.from_status:
            title = "Logged as under consideration"
        else:
            title = f"Moved to {domain.STATUS_LABELS[domain.Status(move.to_status)]}"
        who = (move.actor.full_name or "A member of staff") if move.actor else ""
        detail = " – ".join(part for part in (who, move.note) if part)
        entries.append(TimelineEntry(at=move.at, title=title, detail=detail))
    events = list(
        audit_events(
            EventFilter(subject_type=Proposal._meta.label_lower, subject_id=str(proposal.pk))
        )
        .exclude(action__in=_TIMELINE_SKIP)
        # reading is not a step in the proposal's history (the audit trail keeps it):
        # found in the demo, five "Outcome report PDF downloaded" lines led the timeline
        .exclude(action__endswith="downloaded")
        .exclude(action__endswith="viewed")
    )
    activity_ids: set[int] = {
        int(values["activity"])
        for event in events
        for values in (event.before, event.after)
        if isinstance(values, dict) and values.get("activity")
    }
    titles = dict(Activity.objects.filter(pk__in=activity_ids).values_list("pk", "title"))
    for event in events:
        entries.append(
            TimelineEntry(
                at=event.occurred_at,
                title=event.action_label,
                detail=_audit_detail(event.action, event.before, event.after, titles),
            )
        )
    return sorted(entries, key=lambda e: e.at)


# Public -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicView:
    proposal: Proposal
    steps: list[tuple[str, str]]
    open_activities: list[Activity]
    forthcoming_activities: list[Activity]
    stage_rows: list[tuple[str, str, datetime | None]]  # (label, state, date it was reached)
    heard_counts: list[tuple[str, int]]  # (activity title, responses), closed or open
    total_responses: int
    sections: list[ProposalLink]


def public_view(
    proposal: Proposal,
    sections: list[ProposalLink],
    now: datetime | None = None,
    *,
    consultation_required: bool | None = None,
) -> PublicView:
    """``sections``: what the stages publish on the proposal's page, and
    ``consultation_required``: what the significance assessment found, if it is complete
    (the lifecycle asks the stages: ``lifecycle.selectors.public_view``)."""
    linked = [
        row
        for row in linked_activities(proposal, now)
        if row.status != engagement_domain.Status.DRAFT
    ]
    heard = [(row.activity.title, row.responses) for row in linked if row.responses]
    return PublicView(
        proposal=proposal,
        steps=public_steps(proposal, consultation_required=consultation_required),
        stage_rows=public_stage_rows(proposal, consultation_required=consultation_required),
        open_activities=[row.activity for row in linked if row.is_open],
        forthcoming_activities=[
            row.activity for row in linked if row.status == engagement_domain.Status.SCHEDULED
        ],
        heard_counts=heard,
        total_responses=sum(n for _, n in heard),
        sections=sections,
    )


def public_stage_rows(
    proposal: Proposal, *, consultation_required: bool | None = None
) -> list[tuple[str, str, datetime | None]]:
    """The public stages with the date each was last reached (for done and current)."""
    reached: dict[str, datetime] = {}
    for move in proposal.transitions.order_by("at", "pk"):
        reached[domain.PUBLIC_STATUS_LABELS[domain.Status(move.to_status)]] = move.at
    return [
        (label, state, reached.get(label) if state in ("done", "current") else None)
        for label, state in public_steps(proposal, consultation_required=consultation_required)
    ]


def public_steps(
    proposal: Proposal, *, consultation_required: bool | None = None
) -> list[tuple[str, str]]:
    """The stages the public sees, each done, current or still to come."""
    return [
        (label, state)
        for label, state in lifecycle_steps(
            proposal, domain.PUBLIC_STATUS_LABELS, consultation_required=consultation_required
        )
        if state != "skipped"
    ]


def open_proposals_for_dashboard() -> int:
    return Proposal.objects.exclude(
        Q(status=domain.Status.EVALUATION) | Q(status=domain.Status.DECIDED)
    ).count()


def stage_changes(proposal: Proposal) -> dict[str, Any]:
    """What the stage table allows at the proposal's effective stage, and what it does
    not, in the words of the member of staff (the proposal's page)."""
    from heard.servicechange.proposals import guard, stages

    stage = guard.effective_stage(proposal)
    allowed = stages.allowed_at(stage)
    return {
        "stage": domain.STATUS_LABELS[stage],
        "allowed": [stages.CHANGE_LABELS[c] for c in allowed],
        "not_allowed": [stages.CHANGE_LABELS[c] for c in stages.Change if c not in allowed],
    }
