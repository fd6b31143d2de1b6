"""What this app tells lower apps through their hooks (registered in ``apps.py``)."""

from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from heard.groups import selectors
from heard.groups.models import Attendance, MembershipTerm
from heard.insight.coverage_hooks import GroupEngagement
from heard.people.history import HistoryItem
from heard.people.models import Member


def meetings_held(since: date, until: date) -> list[GroupEngagement]:
    """Meetings each group held from ``since`` to ``until`` (not cancelled, not future)."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    return [
        GroupEngagement(group_id=group_id, way="Meetings held", count=n)
        for group_id, n in selectors.meetings_held_between(start, end)
    ]


def member_history(member: Member) -> list[HistoryItem]:
    """A person's terms on standing groups and the meetings they attended or sent apologies to."""
    items: list[HistoryItem] = []
    for term in MembershipTerm.objects.filter(member=member).select_related(
        "standing_group__group"
    ):
        until = f" until {term.ends_on:%d %B %Y}" if term.ends_on else ""
        items.append(
            HistoryItem(
                when=timezone.make_aware(datetime.combine(term.starts_on, time.min)),
                kind="Group",
                text=f"{term.get_role_display()} of {term.standing_group.group.name}{until}",
                url=reverse("groups:detail", kwargs={"pk": term.standing_group_id}),
            )
        )
    for row in Attendance.objects.filter(term__member=member).select_related("meeting"):
        items.append(
            HistoryItem(
                when=row.meeting.starts_at,
                kind="Meeting",
                text=f"{row.meeting.title}: {row.get_status_display().lower()}",
                url=reverse("groups:meeting", kwargs={"pk": row.meeting_id}),
            )
        )
    return items
