"""Reads for the annual involvement report: the figures of a financial year, each with
the records it came from (``source``), read from the apps below.

The figures are plain JSON (dicts, lists, strings, numbers) so that a published version
stores exactly what it printed, and the CSV annex lists the same. Counts of people's
equality answers are suppressed (``heard.core.suppression``, primary and complementary)
before they get here: a hidden figure is kept as its label ("fewer than 10",
"suppressed"), never as its value.

How activities map to the three limbs of the duty to involve (s.14Z45): every activity
records the limbs it serves (``Activity.limbs``, set by staff). Two more things are
derived, not recorded: a proposal for change considered during the year is limb (b), and
a decision recorded during the year is limb (c); a consultation's "you said, we did" is
counted under (c) when the decision was taken, otherwise (b); an activity's under each
of its limbs.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from heard.accounts import selectors as rules_selectors
from heard.core import suppression
from heard.engagement import domain as engagement_domain
from heard.engagement.models import Activity, Response, ResponseEquality
from heard.groups import selectors as group_selectors
from heard.groups.models import Decision as GroupDecision
from heard.groups.models import HeardItem, Minutes
from heard.involvement import population as population_module
from heard.involvement import selectors as involvement_selectors
from heard.reports import domain
from heard.reports.models import AnnualReport, ReportVersion
from heard.servicechange.outcomes import selectors as outcome_selectors
from heard.servicechange.outcomes.models import Decision, Publication
from heard.servicechange.proposals import selectors as proposal_selectors
from heard.servicechange.proposals.models import ProposalActivity, ProposalTransition

RAN = (
    Activity.Status.OPEN,
    Activity.Status.CLOSED,
    Activity.Status.FEEDBACK_PUBLISHED,
    Activity.Status.ARCHIVED,
)
UNDER_REPRESENTED_RATIO = involvement_selectors.UNDER_REPRESENTED_RATIO


# The reports themselves ---------------------------------------------------------------


def reports() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.order_by("-year")


def report_for_year(year: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(year=year).first()


def versions_of(report: AnnualReport) -> list[ReportVersion]:
    return list(
        ReportVersion.objects.filter(report=report)
        .defer("pdf", "html")
        .select_related("supersedes")
        .order_by("-version")
    )


def latest_version(report: AnnualReport) -> ReportVersion | None:
    return ReportVersion.objects.filter(report=report).order_by("-version").first()


def version(year: int, number: int) -> ReportVersion | None:
    return (
        ReportVersion.objects.filter(report__year=year, version=number)
        .select_related("report", "supersedes")
        .first()
    )


def published_reports() -> list[ReportVersion]:
    """The newest published version of each year's report, newest year first."""
    latest: dict[int, ReportVersion] = {}
    for v in (
        ReportVersion.objects.defer("pdf", "html", "csv")
        .select_related("report")
        .order_by("-report__year", "-version")
    ):
        latest.setdefault(v.report.year, v)
    return list(latest.values())


def published_version(year: int, number: int | None = None) -> ReportVersion | None:
    rows = ReportVersion.objects.filter(report__year=year).select_related("report", "supersedes")
    if number is not None:
        rows = rows.filter(version=number)
    return rows.order_by("-version").first()


def newer_version(v: ReportVersion) -> ReportVersion | None:
    return (
        ReportVersion.objects.filter(report_id=v.report_id, version__gt=v.version)
        .defer("pdf", "html", "csv")
        .order_by("-version")
        .first()
    )


# The figures --------------------------------------------------------------------------


def _bounds(period: domain.Period) -> tuple[datetime, datetime]:
    """The period as [start, end) in local time."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
    return start, end


def _source(text: str, url: str = "") -> dict[str, str]:
    return {"text": text, "url": url}


def _d(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def activities_in(period: domain.Period) -> QuerySet[Activity]:
    """Activities that ran (open at any time) in the period: not drafts or scheduled ones,
    opened before the period ended and not closed before it began."""
    start, end = _bounds(period)
    now = timezone.now()
    return (
        Activity.objects.filter(status__in=RAN, opens_at__lt=min(end, now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gte=start))
        .order_by("opens_at", "pk")
    )


def _activity_rows(activities: list[Activity], responses: dict[int, int]) -> list[dict[str, Any]]:
    rows = []
    for a in activities:
        rows.append(
            {
                "title": a.title,
                "level": a.level,
                "level_label": a.get_level_display(),
                "kind_label": a.get_kind_display(),
                "opens": _d(a.opens_at),
                "closes": _d(a.closes_at),
                "responses": responses.get(a.pk, 0),
                "url": reverse("engagement_public:activity", args=[a.slug]),
            }
        )
    return rows


def _by_level(activities: list[Activity]) -> list[dict[str, Any]]:
    counts = Counter(a.level for a in activities)
    return [
        {"level": level.value, "label": level.label, "activities": counts.get(level.value, 0)}
        for level in Activity.Level
    ]


def _protected_rows(pairs: list[tuple[str, int]], total: int, threshold: int) -> list[dict]:
    """Counts adding up to a published total, suppressed against it."""
    values = [n for _, n in pairs]
    k = len(values)
    result = suppression.protect(
        [*values, total], [suppression.Line(tuple(range(k)), k)], threshold, fixed=[k]
    )
    return [
        {"label": label, "figure": str(f)}
        for (label, _), f in zip(pairs, result.figures, strict=False)
    ]


def _changes(period: domain.Period) -> list[dict[str, Any]]:
    """Approved "you said, we did" publications approved in the period (the current
    version of each: a corrected one replaces the one it corrected)."""
    start, end = _bounds(period)
    rows = []
    for p in outcome_selectors.current_publications():
        if p.decided_at is None or not (start <= p.decided_at < end):
            continue
        row: dict[str, Any] = {
            "title": p.title,
            "kind": p.kind,
            "kind_label": p.get_kind_display(),
            "published_on": _d(p.decided_at),
            "limbs": [],
            "changed": [],
        }
        if p.kind == Publication.Kind.OUTCOME and p.proposal is not None:
            decided = Decision.objects.filter(proposal=p.proposal).exists()
            row["limbs"] = ["decisions" if decided else "proposals"]
            row["url"] = reverse("outcomes_public:detail", args=[p.proposal.slug])
            counts = Counter(
                str(c.get("changed", "")) for c in (p.report.considerations if p.report else [])
            )
            row["changed"] = [
                {"label": label, "themes": counts.get(str(value), 0)}
                for value, label in outcome_selectors.domain.SHORT_CHANGED_LABELS.items()
            ]
        elif p.activity is not None:
            row["limbs"] = [k for k in p.activity.limbs if k in engagement_domain.LIMBS]
            row["url"] = reverse("outcomes_public:activity", args=[p.activity.slug])
        rows.append(row)
    rows.sort(key=lambda r: (r["published_on"], r["title"]))
    return rows


def _proposals(period: domain.Period, activity_ids: set[int]) -> list[dict[str, Any]]:
    """Public proposals for change considered in the period: moved a step in it, or
    linked to an activity that ran in it."""
    start, end = _bounds(period)
    moved = set(
        ProposalTransition.objects.filter(at__gte=start, at__lt=end).values_list(
            "proposal_id", flat=True
        )
    )
    linked = set(
        ProposalActivity.objects.filter(activity_id__in=activity_ids).values_list(
            "proposal_id", flat=True
        )
    )
    rows = []
    for p in proposal_selectors.public_proposals().filter(pk__in=moved | linked).order_by("title"):
        rows.append(
            {
                "title": p.title,
                "status_label": p.get_status_display(),
                "url": reverse("proposals_public:detail", args=[p.slug]),
            }
        )
    return rows


def _decisions(period: domain.Period) -> list[dict[str, Any]]:
    rows = []
    for d in (
        Decision.objects.filter(
            decided_on__gte=period.start, decided_on__lte=period.end, proposal__is_private=False
        )
        .select_related("proposal", "publication")
        .order_by("decided_on", "pk")
    ):
        considered = d.publication.considerations if d.publication else []
        counts = Counter(str(c.get("changed", "")) for c in considered)
        rows.append(
            {
                "title": d.proposal.title,
                "decided_on": d.decided_on.isoformat(),
                "decided_by": d.decided_by,
                "decision": d.decision,
                "themes": len(considered),
                "changed": [
                    {"label": label, "themes": counts.get(str(value), 0)}
                    for value, label in outcome_selectors.domain.SHORT_CHANGED_LABELS.items()
                ],
                "url": reverse("outcomes_public:detail", args=[d.proposal.slug]),
            }
        )
    return rows


def _consultations(period: domain.Period, activities: list[Activity]) -> list[dict[str, Any]]:
    from heard.servicechange.consultations.models import Consultation

    ids = [a.pk for a in activities if a.kind == Activity.Kind.FORMAL_CONSULTATION]
    start, end = _bounds(period)
    rows = []
    for c in (
        Consultation.objects.filter(activity_id__in=ids, proposal__is_private=False)
        .select_related("activity", "proposal")
        .order_by("activity__opens_at", "pk")
    ):
        decision = Decision.objects.filter(proposal_id=c.proposal_id).first()
        outcome = outcome_selectors.approved_outcome(c.proposal)
        rows.append(
            {
                "title": c.activity.title,
                "proposal": c.proposal.title,
                "opens": _d(c.activity.opens_at),
                "closes": _d(c.activity.closes_at),
                "responses": Response.objects.filter(
                    activity_id=c.activity_id, submitted_at__gte=start, submitted_at__lt=end
                ).count(),
                "status_label": c.activity.get_status_display(),
                "decision": decision.decision if decision else "",
                "decided_on": decision.decided_on.isoformat() if decision else "",
                "decided_by": decision.decided_by if decision else "",
                "outcome_url": reverse("outcomes_public:detail", args=[c.proposal.slug])
                if outcome
                else "",
                "url": reverse("consultations_public:detail", args=[c.slug])
                if c.document_published_at
                else "",
            }
        )
    return rows


def _groups(period: domain.Period) -> list[dict[str, Any]]:
    start, end = _bounds(period)
    held = dict(group_selectors.meetings_held_between(start, end))
    rows = []
    for sg in group_selectors.standing_groups().select_related("group"):
        in_period = Q(meeting__standing_group=sg, meeting__cancelled_at__isnull=True) & Q(
            meeting__starts_at__gte=start, meeting__starts_at__lt=end
        )
        rows.append(
            {
                "name": sg.group.name,
                "meetings": held.get(sg.group_id, 0),
                "minutes_published": Minutes.objects.filter(
                    in_period, published_at__isnull=False
                ).count(),
                "decisions": GroupDecision.objects.filter(in_period).count(),
                "heard": HeardItem.objects.filter(
                    minutes__meeting__standing_group=sg,
                    minutes__meeting__cancelled_at__isnull=True,
                    minutes__meeting__starts_at__gte=start,
                    minutes__meeting__starts_at__lt=end,
                    minutes__status=Minutes.Status.APPROVED,
                ).count(),
                "url": reverse("groups_public:group", args=[sg.slug]) if sg.public else "",
            }
        )
    return rows


def _equality(
    period: domain.Period, total: int, threshold: int
) -> tuple[list[dict[str, Any]], list[str]]:
    """Respondents' age band, sex and broad ethnic group against the built-in population
    (Census 2021), suppressed; and the groups under-represented among them."""
    try:
        population = population_module.built_in_population()
    except (OSError, population_module.PopulationError):
        return [], []
    start, end = _bounds(period)
    counts: dict[str, Counter[str]] = {d: Counter() for d in ("age_band", "sex", "ethnic_group")}
    for age_band, sex, ethnic in ResponseEquality.objects.filter(
        response__submitted_at__gte=start, response__submitted_at__lt=end
    ).values_list("age_band", "sex", "ethnic_group"):
        categories = population_module.member_categories(
            age_band=age_band, sex=sex, ethnic_group=ethnic, age_map=population.age_map
        )
        for dimension, counter in counts.items():
            if dimension in categories:
                counter[categories[dimension]] += 1
    tables: list[dict[str, Any]] = []
    seldom: list[str] = []
    for dimension, counter in counts.items():
        shares = population.shares.get(dimension)
        if not shares:
            continue
        labels = list(shares)
        figures, answered = outcome_selectors.comparison_figures(
            [counter[label] for label in labels], total, threshold
        )
        title = population_module.DIMENSION_LABELS.get(dimension, dimension)
        rows = []
        for label, figure in zip(labels, figures, strict=True):
            share = figure.share_of(answered)
            under = share is not None and share < UNDER_REPRESENTED_RATIO * shares[label]
            if under:
                seldom.append(f"{title}: {label}")
            rows.append(
                {
                    "label": label,
                    "figure": str(figure),
                    "share": "" if share is None else f"{share * 100:.1f}%",
                    "population": f"{shares[label] * 100:.1f}%",
                    "under": under,
                }
            )
        tables.append({"key": dimension, "title": title, "answered": str(answered), "rows": rows})
    return tables, seldom


def _members_by_place() -> dict[str, Any]:
    population = population_module.built_in_population()
    chart = next(c for c in involvement_selectors.reach_charts(population) if c.key == "locality")
    return {
        "known": str(chart.known_figure) if chart.known_figure else str(chart.known),
        "rows": [
            {
                "label": r.category,
                "figure": str(r.figure) if r.figure else str(r.count),
                "share": r.member_share_text,
                "population": r.population_share_text,
                "under": r.under_represented,
            }
            for r in chart.rows
        ],
        "has_population": chart.has_population,
    }


def figures(year: int, *, now: datetime | None = None) -> dict[str, Any]:
    """Every figure of the year's report, with where it came from."""
    period = domain.financial_year(year)
    start, end = _bounds(period)
    now = now or timezone.now()
    threshold = rules_selectors.small_number_threshold()
    activities = list(activities_in(period).prefetch_related("localities", "audience_groups"))
    ids = {a.pk for a in activities}
    in_period = Response.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    per_activity = dict(
        in_period.filter(activity_id__in=ids)
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values_list("activity_id", "n")
    )
    total_responses = in_period.count()
    changes = _changes(period)
    proposals = _proposals(period, ids)
    decisions = _decisions(period)
    limbs = []
    for key, label in engagement_domain.LIMBS.items():
        mine = [a for a in activities if key in (a.limbs or [])]
        levels = _by_level(mine)
        limbs.append(
            {
                "key": key,
                "label": label,
                "activities": _activity_rows(mine, per_activity),
                "activity_count": len(mine),
                "responses": sum(per_activity.get(a.pk, 0) for a in mine),
                "by_level": levels,
                "levels_used": [row for row in levels if row["activities"]],
                # with whom: the groups the activities were for and the places they were about
                "audiences": sorted({g.name for a in mine for g in a.audience_groups.all()}),
                "places": sorted({p.name for a in mine for p in a.localities.all()}),
                "proposals": proposals if key == "proposals" else [],
                "decisions": decisions if key == "decisions" else [],
                "changes": [c for c in changes if key in c["limbs"]],
            }
        )
    unmapped = [a for a in activities if not any(k in engagement_domain.LIMBS for k in a.limbs)]
    channels = dict(
        in_period.order_by().values("channel").annotate(n=Count("pk")).values_list("channel", "n")
    )
    equality, seldom = _equality(period, total_responses, threshold)
    groups = _groups(period)
    consultations = _consultations(period, activities)
    period_text = period.long_label
    return {
        "year": year,
        "label": period.label,
        "period": period_text,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_at": timezone.localtime(now).isoformat(timespec="minutes"),
        "year_ended": timezone.localdate(now) > period.end,
        "threshold": threshold,
        "totals": {
            "activities": len(activities),
            "responses": total_responses,
            "consultations": len(consultations),
            "publications": len(changes),
            "decisions": len(decisions),
            "groups": len(groups),
            "meetings": sum(g["meetings"] for g in groups),
        },
        "spectrum": _by_level(activities),
        "limbs": limbs,
        "unmapped": _activity_rows(unmapped, per_activity),
        "consultations": consultations,
        "groups": groups,
        "reach": {
            "responses": total_responses,
            "by_channel": _protected_rows(
                [(label, channels.get(value, 0)) for value, label in Response.Channel.choices],
                total_responses,
                threshold,
            ),
            "members_by_place": _members_by_place(),
        },
        "equality": equality,
        "seldom_heard": seldom,
        "sources": {
            "activities": _source(
                f"Activities recorded in Heard that were open at any time from {period_text} "
                "(not drafts, nor ones still waiting to open); the limbs of the duty each "
                "served and its level of involvement, as our staff recorded them.",
                reverse("engagement_public:hub"),
            ),
            "responses": _source(
                "Responses received through every channel (online, on paper, by phone, at "
                f"events, by email) from {period_text}.",
            ),
            "proposals": _source(
                "Proposals for change published on this website that moved to a new stage in "
                "the year or are linked to an activity that ran in it.",
                reverse("proposals_public:index"),
            ),
            "decisions": _source(
                "Decisions recorded by the board or committee that took them, dated in the "
                "year, with our response to each theme people raised, from the outcome report "
                "each decision was taken on.",
            ),
            "changes": _source(
                "\u201cYou said, we did\u201d publications approved in the year (approved only; "
                "the current version of each).",
                reverse("outcomes_public:index"),
            ),
            "consultations": _source(
                "Formal consultations that ran in the year, with the decision and the "
                "published outcome.",
            ),
            "groups": _source(
                "Standing groups' meeting records: meetings held in the year and not "
                "cancelled, minutes published, decisions recorded, and what each group said "
                "(from approved minutes).",
                reverse("groups_public:index"),
            ),
            "reach": _source(
                "Active members of our involvement scheme by area on the date of the figures, "
                f"against the population ({population_module.BUILT_IN_NAME}); responses "
                "by how people responded in the year."
            ),
            "equality": _source(
                "Equality monitoring answers people chose to give with their responses in "
                f"the year, against the population ({population_module.BUILT_IN_NAME}); in "
                f"aggregate only, numbers below {threshold} not shown and others hidden so "
                "that they cannot be worked out.",
            ),
        },
    }
