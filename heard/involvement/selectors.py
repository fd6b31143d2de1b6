"""Reading involvement data: who matches, samples' pools, participation records and reach.

Equality answers are read here only to select people or to count them; no function
returns an individual's equality answers.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from heard.accounts import selectors as rules_selectors
from heard.core import suppression
from heard.involvement.models import Invitation, Opportunity, ReferencePopulation
from heard.involvement.population import (
    BUILT_IN_NAME,
    SEX_LABELS,
    Population,
    built_in_population,
    member_categories,
    population_parse,
)
from heard.people import equality
from heard.people.models import Member

BUILT_IN_KEY = "built-in"


@dataclass
class Criteria:
    """Who an invitation or a sample may reach. Empty lists mean "anyone"."""

    topics: list[int] = field(default_factory=list)
    localities: list[str] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    age_bands: list[str] = field(default_factory=list)
    sexes: list[str] = field(default_factory=list)
    ethnic_groups: list[str] = field(default_factory=list)  # broad prefixes: "asian", ...
    # leave out members already asked often_threshold() times or more in 12 months
    not_asked_often: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, list) else v for k, v in self.__dict__.items() if v}


def members_contactable() -> QuerySet[Member]:
    """Active members who agreed to email and have an address."""
    return Member.objects.filter(status=Member.Status.ACTIVE, contact_by_email=True).exclude(
        email=""
    )


def members_matching(
    criteria: Criteria, *, not_invited_to: Opportunity | None = None
) -> QuerySet[Member]:
    qs = members_contactable()
    if criteria.topics:
        qs = qs.filter(interests__in=criteria.topics)
    if criteria.localities:
        qs = qs.filter(locality__in=criteria.localities)
    if criteria.groups:
        qs = qs.filter(
            group_memberships__group__in=criteria.groups, group_memberships__until__isnull=True
        )
    if criteria.age_bands:
        qs = qs.filter(equality__age_band__in=criteria.age_bands)
    if criteria.sexes:
        qs = qs.filter(equality__sex__in=criteria.sexes)
    if criteria.ethnic_groups:
        broad = Q()
        for prefix in criteria.ethnic_groups:
            broad |= Q(equality__ethnic_group__startswith=f"{prefix}_")
        qs = qs.filter(broad)
    if criteria.not_asked_often:
        since = timezone.now() - timedelta(days=365)
        often = (
            Invitation.objects.filter(sent_at__gte=since)
            .values("member_id")
            .annotate(n=Count("pk"))
            .filter(n__gte=often_threshold())
            .values("member_id")
        )
        qs = qs.exclude(pk__in=often)
    if not_invited_to is not None:
        qs = qs.exclude(invitations__opportunity=not_invited_to)
    # only the many-to-many filters can repeat a member; DISTINCT over everyone is costly
    return qs.distinct() if criteria.topics or criteria.groups else qs


def sample_pool(
    members: QuerySet[Member], population: Population | None = None
) -> list[tuple[int, dict[str, str]]]:
    """(id, categories) for each member, in the population's categories, for the sampler."""
    rows = members.order_by("pk").values_list(
        "pk", "equality__age_band", "equality__sex", "equality__ethnic_group", "locality"
    )
    age_map = population.age_map if population else None
    localities = population.localities if population else None
    return [
        (
            pk,
            member_categories(
                age_band=age or "",
                sex=sex or "",
                ethnic_group=eth or "",
                age_map=age_map,
                locality=locality or "",
                localities=localities,
            ),
        )
        for pk, age, sex, eth, locality in rows
    ]


def population_choices() -> list[tuple[str, str]]:
    uploaded = [(str(p.pk), p.name) for p in ReferencePopulation.objects.all()]
    return [(BUILT_IN_KEY, BUILT_IN_NAME), *uploaded]


def population_get(key: str) -> Population:
    """The population for a choice key; the built-in one if the key is unknown."""
    if key and key != BUILT_IN_KEY and key.isdigit():
        stored = ReferencePopulation.objects.filter(pk=int(key)).first()
        if stored is not None:
            return population_parse(stored.content, name=stored.name)
    return built_in_population()


def opportunities_list() -> QuerySet[Opportunity]:
    return Opportunity.objects.annotate(
        invited=Count("invitations"),
        accepted=Count("invitations", filter=Q(invitations__status=Invitation.Status.ACCEPTED)),
    ).order_by("-starts_at")


def opportunity_answer_counts(opportunity: Opportunity) -> dict[str, int]:
    counts = dict.fromkeys(Invitation.Status.values, 0)
    for row in opportunity.invitations.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts.values())
    return counts


STUCK_AFTER = timedelta(minutes=10)


def invitations_waiting_for_email(opportunity: Opportunity) -> QuerySet[Invitation]:
    """Invitations whose first email has not gone yet (to a member who can still get it)."""
    return opportunity.invitations.filter(
        emailed_at__isnull=True,
        status__in=[Invitation.Status.INVITED, Invitation.Status.ACCEPTED],
        member__status=Member.Status.ACTIVE,
    ).exclude(member__email="")


def opportunity_mail_progress(opportunity: Opportunity) -> dict[str, int]:
    """How many invitation emails have gone to the mail server (they go in the background),
    and whether some have waited so long that the background task has probably failed."""
    waiting = invitations_waiting_for_email(opportunity)
    emailed = opportunity.invitations.filter(emailed_at__isnull=False).count()
    count = waiting.count()
    stuck = waiting.filter(sent_at__lt=timezone.now() - STUCK_AFTER).exists()
    return {"total": emailed + count, "emailed": emailed, "waiting": count, "stuck": int(stuck)}


def opportunity_invitations(opportunity: Opportunity) -> QuerySet[Invitation]:
    return opportunity.invitations.select_related("member").order_by("status", "member__full_name")


def invitations_due_reminder(
    *, after_days: int, opportunity: Opportunity | None = None
) -> QuerySet[Invitation]:
    cutoff = timezone.now() - timedelta(days=after_days)
    qs = Invitation.objects.filter(
        status=Invitation.Status.INVITED,
        reminded_at__isnull=True,
        sent_at__lte=cutoff,
        opportunity__status=Opportunity.Status.OPEN,
        member__status=Member.Status.ACTIVE,
        member__contact_by_email=True,
    ).exclude(member__email="")
    if opportunity is not None:
        qs = qs.filter(opportunity=opportunity)
    return qs.select_related("opportunity", "member")


# --- Participation ------------------------------------------------------------------------


def often_threshold() -> int:
    return int(getattr(settings, "HEARD_INVOLVEMENT_OFTEN_THRESHOLD", 3))


def _year_ago() -> datetime:
    return timezone.now() - timedelta(days=365)


def _recent_invitations(since: datetime) -> QuerySet[Invitation]:
    return Invitation.objects.filter(sent_at__gte=since, member__status=Member.Status.ACTIVE)


def participation_members(
    members: QuerySet[Member] | None = None, *, since: datetime | None = None
) -> QuerySet[Any]:
    """Members annotated with invitations and acceptances in the last 12 months and the
    date they were last invited. Correlated subqueries, so that a page of a long list
    costs a page of lookups rather than a join over every invitation."""
    since = since or _year_ago()
    if members is None:
        members = Member.objects.filter(status=Member.Status.ACTIVE)
    recent = Invitation.objects.filter(member=OuterRef("pk"), sent_at__gte=since)

    def counted(qs: QuerySet[Invitation]) -> Any:
        return Coalesce(
            Subquery(qs.values("member").annotate(n=Count("pk")).values("n")[:1]), Value(0)
        )

    return members.annotate(
        invited_12m=counted(recent),
        accepted_12m=counted(recent.filter(status=Invitation.Status.ACCEPTED)),
        last_invited=Subquery(
            Invitation.objects.filter(member=OuterRef("pk"))
            .order_by("-sent_at")
            .values("sent_at")[:1]
        ),
    )


def _asked_often_ids(since: datetime) -> QuerySet[Any]:
    return (
        _recent_invitations(since)
        .values("member_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=often_threshold())
        .values("member_id")
    )


def participation_asked_most() -> QuerySet[Any]:
    since = _year_ago()
    members = Member.objects.filter(pk__in=_asked_often_ids(since))
    return participation_members(members, since=since).order_by("-invited_12m", "full_name")


def participation_not_recently_invited() -> QuerySet[Any]:
    since = _year_ago()
    members = Member.objects.filter(status=Member.Status.ACTIVE).exclude(
        pk__in=_recent_invitations(since).values("member_id")
    )
    return participation_members(members, since=since).order_by(
        F("last_invited").asc(nulls_first=True), "full_name"
    )


def participation_summary() -> dict[str, int]:
    since = _year_ago()
    active = Member.objects.filter(status=Member.Status.ACTIVE).count()
    recent = _recent_invitations(since).values("member_id").distinct().count()
    ever = (
        Invitation.objects.filter(member__status=Member.Status.ACTIVE)
        .values("member_id")
        .distinct()
        .count()
    )
    return {
        "active": active,
        "asked_most": _asked_often_ids(since).count(),
        "not_recent": active - recent,
        "never": active - ever,
        "threshold": often_threshold(),
    }


# --- Reach --------------------------------------------------------------------------------


def small_number_threshold() -> int:
    return rules_selectors.small_number_threshold()


@dataclass
class ReachRow:
    category: str
    count: int
    suppressed: bool  # under the threshold: shown as "fewer than N"
    member_share: float | None  # of members with a known answer; None when hidden
    population_share: float | None
    under_represented: bool = False
    # not small itself, but hidden so that a small number cannot be worked out by subtraction
    hidden_to_protect: bool = False
    figure: suppression.Figure | None = None  # what the page prints for the count

    @property
    def member_share_text(self) -> str:
        return "–" if self.member_share is None else f"{self.member_share * 100:.1f}%"

    @property
    def population_share_text(self) -> str:
        return "" if self.population_share is None else f"{self.population_share * 100:.1f}%"


@dataclass
class ReachChart:
    key: str
    title: str
    rows: list[ReachRow]
    known: int
    unknown: int
    has_population: bool
    unknown_suppressed: bool = False
    unknown_hidden_to_protect: bool = False
    unknown_figure: suppression.Figure | None = None
    known_figure: suppression.Figure | None = None

    @property
    def any_hidden_to_protect(self) -> bool:
        return self.unknown_hidden_to_protect or any(r.hidden_to_protect for r in self.rows)


UNDER_REPRESENTED_RATIO = 0.8


def reach_figures(
    counts: list[int], unknown: int, threshold: int, upper: dict[int, int] | None = None
) -> tuple[list[suppression.Figure], suppression.Figure, suppression.Figure]:
    """Suppress one chart's counts against what a reader knows: the groups add up to the
    members who answered (readable from the shares), which with those who did not
    ("No answer", a row of its own) add up to the number of members (published). Returns
    the groups, those who answered and those who did not. ``upper``: what else the page
    tells of a group (flagged as under-represented: fewer than a share of those who
    answered), taken into account."""
    k = len(counts)
    known = sum(counts)
    values = [*counts, known, unknown, known + unknown]
    result = suppression.protect(
        values,
        [suppression.Line(tuple(range(k)), k), suppression.Line((k, k + 1), k + 2)],
        threshold,
        fixed=[k + 2],
        upper=upper,
    )
    f = result.figures
    return f[:k], f[k], f[k + 1]


def _reach_chart(
    key: str, title: str, counts: dict[str, int], unknown: int, population: dict[str, float] | None
) -> ReachChart:
    threshold = small_number_threshold()
    categories = list(population) if population else sorted(counts)
    for extra in sorted(set(counts) - set(categories)):
        categories.append(extra)
    known = sum(counts.values())
    values = [counts.get(c, 0) for c in categories]
    pops = [population.get(c) if population else None for c in categories]
    # Under-represented: share of members below the ratio of the population share. Said in
    # words even of a small group ("few" is the point), so the page tells a reader that the
    # count is below that bound: the suppression takes it into account.
    flagged = [
        bool(pop and known and n / known < UNDER_REPRESENTED_RATIO * pop)
        for n, pop in zip(values, pops, strict=True)
    ]
    upper = {
        i: math.ceil(UNDER_REPRESENTED_RATIO * pop * known) - 1
        for i, (flag, pop) in enumerate(zip(flagged, pops, strict=True))
        if flag and pop
    }
    figures, known_figure, unknown_figure = reach_figures(values, unknown, threshold, upper)
    rows: list[ReachRow] = []
    for category, figure, pop, under in zip(categories, figures, pops, flagged, strict=True):
        rows.append(
            ReachRow(
                category,
                figure.value,
                figure.small,
                figure.share_of(known_figure),
                pop,
                # a figure hidden to protect another is not flagged (that would tell)
                under and figure.status is not suppression.Status.SUPPRESSED,
                hidden_to_protect=figure.status is suppression.Status.SUPPRESSED,
                figure=figure,
            )
        )
    return ReachChart(
        key,
        title,
        rows,
        known,
        unknown,
        population is not None,
        unknown_suppressed=unknown_figure.small,
        unknown_hidden_to_protect=unknown_figure.status is suppression.Status.SUPPRESSED,
        unknown_figure=unknown_figure,
        known_figure=known_figure,
    )


def reach_charts(population: Population) -> list[ReachChart]:
    """Active members by locality, age band, sex and broad ethnic group vs the population."""
    active = Member.objects.filter(status=Member.Status.ACTIVE)
    total = active.count()
    charts: list[ReachChart] = []
    by_locality: dict[str, int] = {}
    for place in active.exclude(locality="").values("locality").annotate(n=Count("pk")):
        name = population.localities.get(place["locality"].casefold(), place["locality"])
        by_locality[name] = by_locality.get(name, 0) + place["n"]
    charts.append(
        _reach_chart(
            "locality",
            "Locality",
            by_locality,
            total - sum(by_locality.values()),
            population.shares.get("locality"),
        )
    )
    age: dict[str, int] = {}
    for age_row in (
        active.filter(equality__age_band__in=list(population.age_map))
        .values("equality__age_band")
        .annotate(n=Count("pk"))
    ):
        label = population.age_map[age_row["equality__age_band"]]
        age[label] = age.get(label, 0) + age_row["n"]
    adults = {k: v for k, v in age.items() if k in (population.shares.get("age_band") or age)}
    charts.append(
        _reach_chart(
            "age_band",
            "Age band",
            adults,
            total - sum(adults.values()),
            population.shares.get("age_band"),
        )
    )
    sex = {
        SEX_LABELS[row["equality__sex"]]: row["n"]
        for row in active.filter(equality__sex__in=list(SEX_LABELS))
        .values("equality__sex")
        .annotate(n=Count("pk"))
    }
    charts.append(
        _reach_chart("sex", "Sex", sex, total - sum(sex.values()), population.shares.get("sex"))
    )
    ethnic: dict[str, int] = {}
    for row in (
        active.exclude(equality__ethnic_group="")
        .exclude(equality__ethnic_group__isnull=True)
        .values("equality__ethnic_group")
        .annotate(n=Count("pk"))
    ):
        broad = equality.ethnic_broad_group(row["equality__ethnic_group"])
        if broad:
            ethnic[broad] = ethnic.get(broad, 0) + row["n"]
    charts.append(
        _reach_chart(
            "ethnic_group",
            "Ethnic group (broad)",
            ethnic,
            total - sum(ethnic.values()),
            population.shares.get("ethnic_group"),
        )
    )
    return charts


def members_not_invited_for_a_year() -> int:
    return participation_not_recently_invited().count()
