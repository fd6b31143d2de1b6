"""Reading the insight bank: search, "what do we already know", coverage."""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from heard.engagement import selectors as engagement_selectors
from heard.engagement.models import Activity, Response
from heard.events.models import Booking
from heard.insight import coverage_hooks, keywords
from heard.insight.models import Insight, InsightImport, SavedSearch, Source
from heard.insight.query import ParsedQuery, parse_query
from heard.insight.search import Filters, backend
from heard.involvement.models import Invitation
from heard.people.models import Group, GroupMembership, Topic
from heard.people.postcodes import LOCALITIES

PER_PAGE = 20


@dataclass(frozen=True)
class InsightFilter:
    q: str = ""
    date_from: date | None = None
    date_to: date | None = None
    topic: str = ""  # topic slug
    locality: str = ""
    source: str = ""
    theme: str = ""
    order: str = "relevance"  # or "newest"

    def filters(self) -> Filters:
        return Filters(
            date_from=self.date_from,
            date_to=self.date_to,
            topic=self.topic,
            locality=self.locality,
            source=self.source,
            theme=self.theme,
        )


@dataclass
class ResultPage:
    """What the pagination template needs (like Django's Page, with a known total)."""

    items: list[Insight]
    number: int
    total: int
    per_page: int
    query: ParsedQuery
    ranked_recent_only: bool = False
    count_capped: bool = False
    num_pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.num_pages = max(1, math.ceil(self.total / self.per_page))

    @property
    def paginator(self) -> "ResultPage":
        return self

    @property
    def count(self) -> int:
        return self.total

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def insight_search(f: InsightFilter, *, page: int = 1, per_page: int = PER_PAGE) -> ResultPage:
    """Insights matching the words and filters: best match first (or newest), a page."""
    query = parse_query(f.q)
    page = max(1, page)
    offset = (page - 1) * per_page
    recent_only = capped = False
    if query:
        hits = backend().search(
            query=query,
            filters=f.filters(),
            newest_first=f.order == "newest",
            limit=per_page,
            offset=offset,
        )
        ids, total = hits.ids, hits.total
        recent_only, capped = hits.ranked_recent_only, hits.count_capped
    else:
        ordered = f.filters().queryset().order_by("-occurred_on", "-pk")
        ids = list(ordered.values_list("pk", flat=True)[offset : offset + per_page])
        total = ordered.count()
    found = Insight.objects.select_related("activity").prefetch_related("topics").in_bulk(ids)
    items = [found[i] for i in ids if i in found]
    return ResultPage(
        items=items,
        number=page,
        total=total,
        per_page=per_page,
        query=query,
        ranked_recent_only=recent_only,
        count_capped=capped,
    )


def insight_detail(pk: int) -> Insight | None:
    return (
        Insight.objects.select_related("activity", "import_batch")
        .prefetch_related("topics")
        .filter(pk=pk)
        .first()
    )


def saved_searches(owner: Any) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(owner=owner).order_by("name")


def topics_with_insight() -> QuerySet[Topic]:
    return Topic.objects.filter(active=True).order_by("name")


def theme_names(limit: int = 200) -> list[str]:
    """Theme names used on insights (analysis fills them), most used first.

    Read from the newest 20,000 coded insights and cached for five minutes: the search
    form shows them on every page."""

    def compute() -> list[str]:
        counts: Counter[str] = Counter()
        coded = Insight.objects.exclude(themes=[]).order_by("-pk")
        for themes in coded.values_list("themes", flat=True)[:20_000].iterator():
            counts.update(str(t) for t in themes or [])
        return [name for name, _ in counts.most_common(limit)]

    names = cache.get_or_set(f"insight:theme_names:{limit}", compute, 300)
    return list(names or [])


def import_batches(limit: int = 20) -> list[InsightImport]:
    return list(InsightImport.objects.select_related("created_by")[:limit])


# What do we already know ---------------------------------------------------------------


@dataclass(frozen=True)
class Knowledge:
    total: int
    months: list[tuple[str, int]]  # ("Mar 2025", count), oldest first
    by_source: list[tuple[str, int]]
    themes: list[tuple[str, int]]
    coded: int  # how many of the recent insights (up to 2,000) have themes
    recent: int
    keywords: list[tuple[str, int]]
    quotes: list[Insight]
    activities: list[Activity]


def _month_starts(end: date, n: int) -> list[date]:
    months = []
    year, month = end.year, end.month
    for _ in range(n):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def know(*, topic: Topic | None = None, locality: str = "", months: int = 24) -> Knowledge:
    """What people have already told us about a topic or a place."""
    qs = Insight.objects.all()
    if topic is not None:
        qs = qs.filter(topics=topic)
    if locality:
        qs = qs.filter(locality=locality)
    today = timezone.localdate()
    starts = _month_starts(today, months)
    by_month = {
        (row["month"].date() if hasattr(row["month"], "date") else row["month"]): row["n"]
        for row in qs.filter(occurred_on__gte=starts[0])
        .annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    month_rows = [(m.strftime("%b %Y"), by_month.get(m, 0)) for m in starts]
    source_labels = dict(Source.choices)
    by_source = [
        (source_labels.get(row["source"], row["source"]), row["n"])
        for row in qs.values("source").annotate(n=Count("pk")).order_by("-n")
    ]
    recent = list(qs.order_by("-occurred_on", "-pk")[:2000])
    theme_counts: Counter[str] = Counter()
    for insight in recent:
        theme_counts.update(str(t) for t in insight.themes or [])
    texts = [i.redacted_text for i in recent]
    # Quotes only from people who agreed to publication (an insight from a questionnaire
    # answer carries its response's consent; one imported from elsewhere was redacted on
    # import and has no respondent here to ask)
    quotable = list(
        qs.filter(Q(response__isnull=True) | Q(response__publish_consent=True)).order_by(
            "-occurred_on", "-pk"
        )[:2000]
    )
    quotes = [quotable[i] for i in keywords.representative([q.redacted_text for q in quotable], 5)]
    activities: list[Activity] = []
    seen: set[int] = set()
    for when in ("open", "closed"):
        for activity in engagement_selectors.public_activities(
            when=when, topic=topic.slug if topic else "", locality=locality
        )[:20]:
            if activity.pk not in seen:
                seen.add(activity.pk)
                activities.append(activity)
    return Knowledge(
        total=qs.count(),
        months=month_rows,
        by_source=by_source,
        themes=theme_counts.most_common(10),
        coded=sum(1 for insight in recent if insight.themes),
        recent=len(recent),
        keywords=[] if theme_counts else keywords.top_keywords(texts, 10),
        quotes=quotes,
        activities=activities,
    )


# Coverage ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    gap_months: int
    since: date
    quarters: list[str]
    levels: list[tuple[str, str]]
    by_level_quarter: list[tuple[str, list[int], int]]  # level label, per quarter, total
    by_topic_level: list[tuple[str, list[int], int]]
    by_locality_level: list[tuple[str, list[int], int]]
    per_quarter: list[tuple[str, int]]
    by_channel: list[tuple[str, list[int], int]]  # channel, per quarter, total
    quiet_localities: list[str]
    quiet_groups: list[Group]
    # Groups engaged in the period, each with the ways it was engaged: (way, count).
    engaged_groups: list[tuple[Group, list[tuple[str, int]]]]
    missing_feedback: list[Activity]


def _quarter(d: date) -> str:
    """The NHS financial-year quarter, e.g. "2025/26 Q1" (April–June)."""
    fy = d.year if d.month >= 4 else d.year - 1
    q = (d.month - 4) % 12 // 3 + 1
    return f"{fy}/{str(fy + 1)[-2:]} Q{q}"


def _months_ago(today: date, months: int) -> date:
    year, month = today.year, today.month - months
    while month <= 0:
        year, month = year - 1, month + 12
    return date(year, month, min(today.day, 28))


def gap_months_default() -> int:
    return int(getattr(settings, "HEARD_ENGAGEMENT_GAP_MONTHS", 6))


def coverage(*, gap_months: int | None = None, quarters: int = 8) -> Coverage:
    """Engagement over time: activities by level, topic, place; gaps; feedback owed."""
    gap = gap_months if gap_months and gap_months > 0 else gap_months_default()
    today = timezone.localdate()
    since = _months_ago(today, gap)
    quarter_labels = sorted({_quarter(_months_ago(today, 3 * i)) for i in range(quarters)})
    levels = list(Activity.Level.choices)
    level_index = {value: i for i, (value, _) in enumerate(levels)}
    published = engagement_selectors.staff_activities().exclude(status=Activity.Status.DRAFT)

    rows = list(published.values("pk", "level", "opens_at", "created_at"))
    when = {r["pk"]: timezone.localdate(r["opens_at"] or r["created_at"]) for r in rows}
    level_of = {r["pk"]: r["level"] for r in rows}
    grid: dict[str, list[int]] = {value: [0] * len(quarter_labels) for value, _ in levels}
    qpos = {label: i for i, label in enumerate(quarter_labels)}
    for pk, day in when.items():
        q = _quarter(day)
        if q in qpos:
            grid[level_of[pk]][qpos[q]] += 1
    by_level_quarter = [(label, grid[value], sum(grid[value])) for value, label in levels]
    per_quarter = [(q, sum(grid[v][i] for v, _ in levels)) for i, q in enumerate(quarter_labels)]

    def by_level(pairs: list[tuple[int, str]]) -> list[tuple[str, list[int], int]]:
        table: dict[str, list[int]] = {}
        for pk, name in pairs:
            counts = table.setdefault(name, [0] * len(levels))
            counts[level_index[level_of[pk]]] += 1
        return sorted(((n, c, sum(c)) for n, c in table.items()), key=lambda r: (-r[2], r[0]))

    topic_pairs = [
        (pk, name)
        for pk, name in published.filter(topics__isnull=False).values_list("pk", "topics__name")
    ]
    locality_pairs = [
        (pk, name)
        for pk, name in published.filter(localities__isnull=False).values_list(
            "pk", "localities__name"
        )
    ]
    recent_ids = [pk for pk, day in when.items() if day >= since]
    engaged_places = set(
        published.filter(pk__in=recent_ids).values_list("localities__name", flat=True)
    ) | set(
        Insight.objects.filter(occurred_on__gte=since)
        .exclude(locality="")
        .values_list("locality", flat=True)
        .distinct()
    )
    quiet_localities = [name for name in LOCALITIES if name not in engaged_places]
    ways = group_engagement(since=since, until=today)
    active_groups = list(Group.objects.filter(active=True).order_by("name"))
    quiet_groups = [g for g in active_groups if g.pk not in ways]
    engaged_groups = [(g, ways[g.pk]) for g in active_groups if g.pk in ways]
    # Responses by channel: every stored response (any questionnaire), by quarter received.
    channel_labels = dict(Response.Channel.choices)
    channel_grid: dict[str, list[int]] = {}
    for channel, submitted in Response.objects.values_list("channel", "submitted_at").iterator():
        q = _quarter(timezone.localdate(submitted))
        counts = channel_grid.setdefault(channel, [0] * len(quarter_labels))
        if q in qpos:
            counts[qpos[q]] += 1
    by_channel = sorted(
        (
            (str(channel_labels.get(channel, channel)), counts, sum(counts))
            for channel, counts in channel_grid.items()
        ),
        key=lambda row: (-row[2], row[0]),
    )
    return Coverage(
        gap_months=gap,
        since=since,
        quarters=quarter_labels,
        levels=levels,
        by_level_quarter=by_level_quarter,
        by_topic_level=by_level(topic_pairs),
        by_locality_level=by_level(locality_pairs),
        per_quarter=per_quarter,
        by_channel=by_channel,
        quiet_localities=quiet_localities,
        quiet_groups=quiet_groups,
        engaged_groups=engaged_groups,
        missing_feedback=list(engagement_selectors.activities_missing_feedback()),
    )


def group_engagement(*, since: date, until: date) -> dict[int, list[tuple[str, int]]]:
    """Every way each group was engaged from ``since`` to ``until`` (inclusive), counted.

    Activities opened for it (audience groups), invitations sent to its members and
    answered by them (while they were members), responses made on its behalf (by the
    group's name), and whatever apps above register (meetings held, events). Groups
    engaged in no way are absent.
    """
    start = _day_start(since)
    end = _day_start(until + timedelta(days=1))
    counts: dict[int, Counter[str]] = {}

    def add(group_id: int | None, way: str, n: int) -> None:
        if group_id is not None and n:
            counts.setdefault(group_id, Counter())[way] += n

    published = engagement_selectors.staff_activities().exclude(status=Activity.Status.DRAFT)
    for row in (
        published.exclude(audience_groups=None)
        .annotate(day=Coalesce("opens_at", "created_at"))
        .filter(day__gte=start, day__lt=end)
        .order_by()
        .values("audience_groups")
        .annotate(n=Count("pk", distinct=True))
    ):
        add(row["audience_groups"], "Activities for the group", row["n"])

    # A member counts for the group if their membership overlapped the period.
    in_group = Q(member__group_memberships__since__lte=until) & (
        Q(member__group_memberships__until__isnull=True)
        | Q(member__group_memberships__until__gte=since)
    )
    invitations = Invitation.objects.filter(in_group).order_by()
    for group_id, n in (
        invitations.filter(sent_at__gte=start, sent_at__lt=end)
        .values("member__group_memberships__group")
        .annotate(n=Count("pk", distinct=True))
        .values_list("member__group_memberships__group", "n")
    ):
        add(group_id, "Invitations to its members", n)
    for group_id, n in (
        invitations.filter(
            answered_at__gte=start,
            answered_at__lt=end,
            status__in=[Invitation.Status.ACCEPTED, Invitation.Status.DECLINED],
        )
        .values("member__group_memberships__group")
        .annotate(n=Count("pk", distinct=True))
        .values_list("member__group_memberships__group", "n")
    ):
        add(group_id, "Invitations its members answered", n)

    names = {name.casefold(): pk for pk, name in Group.objects.values_list("pk", "name")}
    for name in Response.objects.filter(
        respondent_type=Response.RespondentType.ORGANISATION,
        submitted_at__gte=start,
        submitted_at__lt=end,
    ).values_list("organisation_name", flat=True):
        add(names.get(" ".join(name.split()).casefold()), "Responses on its behalf", 1)

    # Places at events booked by its members (matched on the member's email address).
    member_groups: dict[str, set[int]] = {}
    for email, group_id in (
        GroupMembership.objects.filter(since__lte=until)
        .filter(Q(until__isnull=True) | Q(until__gte=since))
        .exclude(member__email="")
        .values_list("member__email", "group_id")
    ):
        member_groups.setdefault(email.casefold(), set()).add(group_id)
    if member_groups:
        for email in Booking.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITING],
        ).values_list("email", flat=True):
            for group_id in member_groups.get(email.casefold(), ()):
                add(group_id, "Event places its members booked", 1)

    for item in coverage_hooks.gathered(since, until):
        add(item.group_id, item.way, item.count)
    return {pk: sorted(c.items()) for pk, c in counts.items()}


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
