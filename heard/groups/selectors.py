"""Reading standing groups: lists, a group's page, a meeting, the public pages."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from heard.groups.models import (
    ActionItem,
    Attendance,
    Meeting,
    MembershipTerm,
    Minutes,
    Paper,
    StandingGroup,
    TermsOfReference,
)
from heard.people.models import Group


def standing_groups() -> QuerySet[StandingGroup]:
    return StandingGroup.objects.select_related("group").order_by("group__name")


def groups_not_yet_standing() -> QuerySet[Group]:
    return Group.objects.filter(active=True, standing__isnull=True).order_by("name")


def current_terms_of_reference(sg: StandingGroup) -> TermsOfReference | None:
    return sg.terms_of_reference.first()


def terms(sg: StandingGroup) -> QuerySet[MembershipTerm]:
    return sg.terms.select_related("member", "user").order_by("-ends_on", "role", "starts_on")


def terms_on(sg: StandingGroup, day: date) -> list[MembershipTerm]:
    """The terms that include ``day`` (who was on the group that day)."""
    return [
        t for t in sg.terms.select_related("member", "user").order_by("role", "pk") if t.covers(day)
    ]


def approvers_on(sg: StandingGroup, day: date) -> list[MembershipTerm]:
    return [t for t in terms_on(sg, day) if t.role in ("chair", "staff_lead")]


def member_has_current_term(*, user: Any, standing_group_id: int, day: date) -> bool:
    """Whether a signed-in member of the public holds a term on the group on ``day``."""
    rows = MembershipTerm.objects.filter(
        standing_group_id=standing_group_id, member__user=user
    ).values_list("starts_on", "ends_on")
    return any(start <= day and (end is None or day <= end) for start, end in rows)


def meetings(sg: StandingGroup) -> QuerySet[Meeting]:
    return sg.meetings.order_by("-starts_at")


def meeting_detail(pk: int) -> Meeting | None:
    return (
        Meeting.objects.select_related("standing_group__group")
        .prefetch_related(
            "agenda",
            "papers",
            "decisions",
            Prefetch(
                "actions",
                queryset=ActionItem.objects.select_related("owner__member", "owner__user"),
            ),
            Prefetch(
                "minutes",
                queryset=Minutes.objects.select_related(
                    "approved_by__member", "approved_by__user"
                ).prefetch_related("heard__topic"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def attendance_sheet(meeting: Meeting) -> list[tuple[MembershipTerm, str]]:
    """Everyone on the group on the meeting's day, with their attendance so far ("" if none)."""
    day = timezone.localdate(meeting.starts_at)
    taken = dict(meeting.attendance.values_list("term_id", "status"))
    return [(t, taken.get(t.pk, "")) for t in terms_on(meeting.standing_group, day)]


def attendance_counts(meeting: Meeting) -> dict[str, int]:
    counts = dict.fromkeys(Attendance.Status.values, 0)
    for status in meeting.attendance.values_list("status", flat=True):
        counts[status] += 1
    return counts


def open_actions(sg: StandingGroup) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(meeting__standing_group=sg)
        .select_related("owner__member", "owner__user", "meeting")
        .order_by("done_on", "due_on")
    )


def paper(pk: int) -> Paper | None:
    return Paper.objects.select_related("meeting__standing_group").filter(pk=pk).first()


# Public --------------------------------------------------------------------------------


def public_groups() -> QuerySet[StandingGroup]:
    return standing_groups().filter(public=True, group__active=True)


@dataclass(frozen=True)
class PublicMeeting:
    meeting: Meeting
    minutes: Minutes | None


@dataclass(frozen=True)
class PublicGroup:
    standing: StandingGroup
    terms_of_reference: TermsOfReference | None
    chairs: list[str]  # only chairs who agreed to be named
    next_meeting: Meeting | None
    past: list[PublicMeeting]


def public_group(slug: str) -> PublicGroup | None:
    sg = public_groups().filter(slug=slug).first()
    if sg is None:
        return None
    now = timezone.now()
    today = timezone.localdate()
    chairs = [
        t.name
        for t in sg.terms.filter(role="chair", named_publicly=True).select_related("member")
        if t.covers(today)
    ]
    upcoming = sg.meetings.filter(starts_at__gte=now, cancelled_at__isnull=True)
    past: list[PublicMeeting] = []
    for meeting in sg.meetings.filter(starts_at__lt=now, cancelled_at__isnull=True).order_by(
        "-starts_at"
    )[:20]:
        past.append(PublicMeeting(meeting, published_minutes(meeting)))
    return PublicGroup(
        standing=sg,
        terms_of_reference=current_terms_of_reference(sg),
        chairs=chairs,
        next_meeting=upcoming.order_by("starts_at").first(),
        past=past,
    )


def published_minutes(meeting: Meeting) -> Minutes | None:
    """The latest approved and published version of a meeting's minutes, if any."""
    return (
        meeting.minutes.filter(status=Minutes.Status.APPROVED, published_at__isnull=False)
        .prefetch_related("heard")
        .order_by("-version")
        .first()
    )


def public_meeting(slug: str, pk: int) -> tuple[StandingGroup, Meeting, Minutes] | None:
    sg = public_groups().filter(slug=slug).first()
    if sg is None:
        return None
    meeting = sg.meetings.filter(pk=pk, cancelled_at__isnull=True).first()
    if meeting is None:
        return None
    minutes = published_minutes(meeting)
    if minutes is None:
        return None
    return sg, meeting, minutes


def meetings_held_between(start: datetime, end: datetime) -> list[tuple[int, int]]:
    """(people.Group id, meetings held) for meetings that took place in [start, end)."""
    from django.db.models import Count

    now = timezone.now()
    rows = (
        Meeting.objects.filter(
            Q(starts_at__gte=start, starts_at__lt=end, starts_at__lte=now),
            cancelled_at__isnull=True,
        )
        .order_by()
        .values("standing_group__group_id")
        .annotate(n=Count("pk"))
    )
    return [(r["standing_group__group_id"], r["n"]) for r in rows]


# The check before minutes go public ----------------------------------------------------------


@dataclass(frozen=True)
class CheckedPiece:
    """One piece of the minutes as the person publishing sees it: the words with what the
    redactor replaces highlighted, and what the public page shows."""

    label: str
    segments: list[Any]
    published: str

    @property
    def changed(self) -> bool:
        return any(s.type for s in self.segments)


def minutes_pieces(minutes: Minutes) -> list[tuple[str, str]]:
    """Every piece of text the public minutes page shows, labelled."""
    pieces = [("The minutes", minutes.text)]
    if minutes.version > 1 and minutes.correction_reason:
        pieces.append(("Why they were corrected", minutes.correction_reason))
    pieces += [(f"What we heard ({i})", h.text) for i, h in enumerate(minutes.heard.all(), 1)]
    pieces += [
        (f"Decision ({i})", d.text) for i, d in enumerate(minutes.meeting.decisions.all(), 1)
    ]
    return pieces


def minutes_check(minutes: Minutes) -> list[CheckedPiece]:
    """The redactor's check of the minutes, changed pieces first (heard.core.redaction: the
    same check as every "you said, we did")."""
    from heard.core import redaction

    checked = []
    for label, text in minutes_pieces(minutes):
        found = redaction.spans(text)
        checked.append(
            CheckedPiece(label, redaction.segments(text, found), redaction.apply(text, found))
        )
    return sorted(checked, key=lambda c: not c.changed)


@dataclass(frozen=True)
class PublicMinutes:
    text: str
    correction_reason: str
    heard: list[str]
    decisions: list[str]


def public_minutes(minutes: Minutes) -> PublicMinutes:
    """What the public minutes page shows: every piece with personal data replaced by
    typed placeholders, as the person who published them was shown."""
    from heard.core.redaction import redact

    return PublicMinutes(
        text=redact(minutes.text),
        correction_reason=redact(minutes.correction_reason),
        heard=[redact(h.text) for h in minutes.heard.all()],
        decisions=[redact(d.text) for d in minutes.meeting.decisions.all()],
    )
