"""Reading engagement activities, with the status the public sees *now*.

The stored status can lag the clock by up to a minute (the scheduler makes it
permanent); these queries apply the opening and closing times themselves, so a survey
closes on the second for the public.
"""

from datetime import datetime

from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from heard.engagement import domain
from heard.engagement.models import Activity, FormatRequest

S = domain.Status


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _open_q(now: datetime) -> Q:
    not_closed = Q(closes_at__isnull=True) | Q(closes_at__gt=now)
    return (Q(status=S.OPEN) | Q(status=S.SCHEDULED, opens_at__lte=now)) & not_closed


def _forthcoming_q(now: datetime) -> Q:
    return Q(status=S.SCHEDULED, opens_at__gt=now)


def _closed_q(now: datetime) -> Q:
    return Q(status__in=[S.CLOSED, S.FEEDBACK_PUBLISHED]) | Q(
        status__in=[S.OPEN, S.SCHEDULED], closes_at__lte=now
    )


def _event_over_q(now: datetime) -> Q:
    """A one-event activity (a drop-in, workshop or focus group) whose event has ended: its
    end, or without one its start, has passed."""
    ended = Q(event_ends_at__lte=now) | Q(event_ends_at__isnull=True, event_starts_at__lte=now)
    return Q(kind__in=domain.ONE_EVENT_KINDS) & ended


def public_activities(
    *, when: str, now: datetime | None = None, topic: str = "", locality: str = "", q: str = ""
) -> QuerySet[Activity]:
    """Published activities that are open, forthcoming or closed (``when``), filtered.

    A one-event activity whose event has ended is not "open" even while its closing date is
    still ahead (nobody can come to it now): it is listed with the closed ones, as ended
    when its event did (``ended_at``). Its stored status is not changed."""
    moment = _now(now)
    over = _event_over_q(moment)
    which = {
        "open": _open_q(moment) & ~over,
        "forthcoming": _forthcoming_q(moment),
        "closed": _closed_q(moment) | (_open_q(moment) & over),
    }[when]
    qs = Activity.objects.filter(which).prefetch_related("topics", "localities")
    qs = qs.annotate(
        ended_at=Case(
            When(_open_q(moment) & over, then=Coalesce("event_ends_at", "event_starts_at")),
            default=F("closes_at"),
        )
    )
    if topic:
        qs = qs.filter(topics__slug=topic)
    if locality:
        qs = qs.filter(localities__name=locality)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(body__icontains=q))
    order = {
        "open": ("closes_at", "title"),
        "forthcoming": ("opens_at", "title"),
        "closed": ("-ended_at", "title"),
    }
    return qs.distinct().order_by(*order[when])


def public_activity(slug: str) -> Activity | None:
    """One published activity (not a draft), or None."""
    return (
        Activity.objects.exclude(status=S.DRAFT)
        .prefetch_related("topics", "localities", "documents")
        .filter(slug=slug)
        .first()
    )


def public_events(now: datetime | None = None) -> QuerySet[Activity]:
    """Published activities with an event time, for the iCalendar feed."""
    return (
        Activity.objects.exclude(status__in=[S.DRAFT, S.ARCHIVED])
        .filter(event_starts_at__isnull=False)
        .order_by("event_starts_at")
    )


def effective_status(activity: Activity, now: datetime | None = None) -> domain.Status:
    return domain.effective_status(activity.facts(), _now(now))


def event_over(activity: Activity, now: datetime | None = None) -> bool:
    """A one-event activity (drop-in, workshop, focus group) whose event has ended: the
    public pages treat it as closed, as the hub lists it (``_event_over_q``)."""
    if activity.kind not in domain.ONE_EVENT_KINDS:
        return False
    end = activity.event_ends_at or activity.event_starts_at
    return end is not None and end <= _now(now)


def _closed_now_q(now: datetime) -> Q:
    """Closed from the dates: recorded closed, or past its closing time (not yet with
    its feedback published)."""
    past = Q(closes_at__isnull=False, closes_at__lte=now)
    return (
        Q(status=S.CLOSED)
        | (Q(status=S.OPEN) & past)
        | (Q(status=S.SCHEDULED, opens_at__lte=now) & past)
    )


def status_q(status: str, now: datetime | None = None) -> Q:
    """Activities whose status *from their dates* (what the public sees, even before the
    clock job records it) is ``status``."""
    moment = _now(now)
    if status == S.OPEN:
        return _open_q(moment)
    if status == S.CLOSED:
        return _closed_now_q(moment)
    if status == S.SCHEDULED:
        return Q(status=S.SCHEDULED) & ~Q(opens_at__lte=moment)
    return Q(status=status)


def staff_activities(
    *, status: str = "", level: str = "", now: datetime | None = None
) -> QuerySet[Activity]:
    qs = Activity.objects.select_related("owner").order_by("-updated_at")
    if status:
        qs = qs.filter(status_q(status, now))
    if level:
        qs = qs.filter(level=level)
    return qs


def activities_missing_feedback(now: datetime | None = None) -> QuerySet[Activity]:
    """Closed activities (from their dates) at consult level or above with no published
    feedback (domain §3)."""
    return (
        Activity.objects.filter(_closed_now_q(_now(now)))
        .exclude(level=domain.Level.INFORM)
        .order_by("closes_at")
    )


def format_requests_open() -> QuerySet[FormatRequest]:
    """Requests waiting, the most overdue first."""
    return (
        FormatRequest.objects.filter(status=FormatRequest.Status.OPEN)
        .select_related("activity")
        .order_by("due_by", "pk")
    )


def format_requests_closed() -> QuerySet[FormatRequest]:
    return (
        FormatRequest.objects.exclude(status=FormatRequest.Status.OPEN)
        .select_related("activity", "closed_by")
        .order_by("-closed_at")
    )
