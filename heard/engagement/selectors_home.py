"""Reads for the staff home: what engagement officers owe now."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from heard.engagement import domain
from heard.engagement.models import Activity, FormatRequest
from heard.engagement.selectors import _open_q

S = domain.Status


@dataclass(frozen=True)
class OfficerWork:
    """Feedback owed to people, and activities opening or closing soon."""

    feedback_owed_count: int
    feedback_owed: list[Activity]
    opening_count: int
    opening: list[Activity]
    closing_count: int
    closing: list[Activity]
    formats_waiting: int = 0
    formats_overdue: int = 0


def feedback_owed_q(now: datetime) -> Q:
    """Closed as the public sees it, at consult level or above, with no "you said, we
    did" published (domain §3). A formal consultation's feedback is its outcome report,
    so it is counted there, not here."""
    closed = Q(status=S.CLOSED) | Q(status__in=[S.OPEN, S.SCHEDULED], closes_at__lte=now)
    return (
        closed
        & ~Q(level=domain.Level.INFORM)
        & ~Q(kind=Activity.Kind.FORMAL_CONSULTATION)
        & Q(feedback_published_at__isnull=True)
    )


def opening_q(now: datetime, days: int) -> Q:
    """Drafts and scheduled activities due to open in the next ``days`` days."""
    return Q(
        status__in=[S.DRAFT, S.SCHEDULED],
        opens_at__gt=now,
        opens_at__lte=now + timedelta(days=days),
    )


def closing_q(now: datetime, days: int) -> Q:
    """Open activities (as the public sees them) closing in the next ``days`` days."""
    return _open_q(now) & Q(closes_at__lte=now + timedelta(days=days))


def officer_work(now: datetime | None = None, *, days: int = 7, limit: int = 5) -> OfficerWork:
    """The counts in one query, then at most ``limit`` of each list, and the format
    requests waiting: five queries in all, whatever the number of activities."""
    moment = now or timezone.now()
    owed, opening, closing = (
        feedback_owed_q(moment),
        opening_q(moment, days),
        closing_q(moment, days),
    )
    counts = Activity.objects.aggregate(
        owed=Count("pk", filter=owed),
        opening=Count("pk", filter=opening),
        closing=Count("pk", filter=closing),
    )
    today = timezone.localdate(moment)
    formats = FormatRequest.objects.filter(status=FormatRequest.Status.OPEN).aggregate(
        waiting=Count("pk"), overdue=Count("pk", filter=Q(due_by__lt=today))
    )
    return OfficerWork(
        formats_waiting=formats["waiting"],
        formats_overdue=formats["overdue"],
        feedback_owed_count=counts["owed"],
        feedback_owed=list(Activity.objects.filter(owed).order_by("closes_at", "pk")[:limit]),
        opening_count=counts["opening"],
        opening=list(Activity.objects.filter(opening).order_by("opens_at", "pk")[:limit]),
        closing_count=counts["closing"],
        closing=list(Activity.objects.filter(closing).order_by("closes_at", "pk")[:limit]),
    )
