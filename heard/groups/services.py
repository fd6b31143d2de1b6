"""Writing standing groups. Each service checks the actor's permission, refuses what
cannot be right (placeholder text, impossible dates, double submissions) with a plain
message (``GroupProblem``), changes rows in one transaction and records an audit event.
"""

import hashlib
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.roles import role_of
from heard.groups import domain, selectors
from heard.groups.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    HeardItem,
    Meeting,
    MembershipTerm,
    Minutes,
    Paper,
    StandingGroup,
    TermsOfReference,
)
from heard.insight.models import Channel, Source
from heard.insight.services import InsightDraft, insights_create, insights_delete
from heard.people.models import Group, GroupMembership, Member, Topic

RUN = "groups.run_groups"
APPROVE = "groups.approve_minutes"


class GroupProblem(ValueError):
    """A change refused; the message says why in plain words."""


def _require(actor: Any, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(permission)


def _text(value: str, what: str, *, min_chars: int = 2) -> str:
    problem = domain.text_problem(value, what, min_chars=min_chars)
    if problem:
        raise GroupProblem(problem)
    return value.strip()


def _check(problem: str) -> None:
    if problem:
        raise GroupProblem(problem)


def _meeting_day(meeting: Meeting) -> date:
    return timezone.localdate(meeting.starts_at)


# Setting a group up --------------------------------------------------------------------


def standing_group_set_up(
    *, actor: Any, group: Group, public: bool = False, public_summary: str = "", meets: str = ""
) -> StandingGroup:
    _require(actor, RUN)
    if not group.active:
        raise GroupProblem(f"{group.name} is no longer in touch: make it active first")
    if public:
        _text(public_summary, "What the group is, for the public page", min_chars=20)
    base = slugify(group.name)[:100] or "group"
    slug, n = base, 1
    while StandingGroup.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    try:
        with transaction.atomic():
            sg = StandingGroup.objects.create(
                group=group,
                slug=slug,
                public=public,
                public_summary=public_summary.strip(),
                meets=meets.strip(),
                created_by=actor,
            )
            audit_record(
                action=Action.STANDING_GROUP_SET_UP,
                actor=actor,
                subject=sg,
                after={"group": group.pk, "public": public},
            )
    except IntegrityError as error:
        raise GroupProblem(f"{group.name} is already set up") from error
    return sg


def standing_group_update(
    *, actor: Any, sg: StandingGroup, public: bool, public_summary: str, meets: str
) -> StandingGroup:
    _require(actor, RUN)
    if public:
        _text(public_summary, "What the group is, for the public page", min_chars=20)
    with transaction.atomic():
        before = {"public": sg.public, "meets": sg.meets}
        sg.public, sg.public_summary, sg.meets = public, public_summary.strip(), meets.strip()
        sg.save(update_fields=["public", "public_summary", "meets"])
        audit_record(
            action=Action.STANDING_GROUP_CHANGED,
            actor=actor,
            subject=sg,
            before=before,
            after={"public": public, "meets": sg.meets},
        )
    return sg


def terms_of_reference_record(
    *, actor: Any, sg: StandingGroup, text: str, agreed_on: date, review_on: date
) -> TermsOfReference:
    """A new version of the terms of reference; earlier versions are kept unchanged."""
    _require(actor, RUN)
    text = _text(text, "The terms of reference", min_chars=40)
    _check(domain.terms_of_reference_dates_problem(agreed_on, review_on, timezone.localdate()))
    with transaction.atomic():
        latest = (
            TermsOfReference.objects.select_for_update()
            .filter(standing_group=sg)
            .order_by("-version")
            .first()
        )
        if latest is not None and latest.text == text and latest.agreed_on == agreed_on:
            raise GroupProblem("These terms of reference are already recorded")
        if latest is not None and agreed_on < latest.agreed_on:
            raise GroupProblem(
                f"The date agreed cannot be before the current terms ({latest.agreed_on:%d %B %Y})"
            )
        tor = TermsOfReference.objects.create(
            standing_group=sg,
            version=(latest.version + 1) if latest else 1,
            text=text,
            agreed_on=agreed_on,
            review_on=review_on,
            recorded_by=actor,
        )
        audit_record(
            action=Action.GROUP_TERMS_AGREED,
            actor=actor,
            subject=tor,
            after={"version": tor.version, "agreed_on": agreed_on, "review_on": review_on},
        )
    return tor


def membership_term_add(
    *,
    actor: Any,
    sg: StandingGroup,
    role: str,
    starts_on: date,
    ends_on: date | None = None,
    member: Member | None = None,
    user: Any = None,
    named_publicly: bool = False,
) -> MembershipTerm:
    _require(actor, RUN)
    if role not in MembershipTerm.Role.values:
        raise GroupProblem("Choose a role: chair, member or staff lead")
    _check(domain.membership_dates_problem(starts_on, ends_on))
    if role == MembershipTerm.Role.STAFF_LEAD:
        if user is None or not role_of(user):
            raise GroupProblem("A staff lead must be a member of staff with a staff account")
        member = None
    else:
        if member is None:
            raise GroupProblem("Choose the person from the group's members")
        if not GroupMembership.objects.filter(group_id=sg.group_id, member=member).exists():
            raise GroupProblem(
                f"{member.full_name} is not in {sg.group.name}: add them to the group first"
            )
        user = None
    if named_publicly and role != MembershipTerm.Role.CHAIR:
        raise GroupProblem("Only a chair who agreed to it is named on the public page")
    with transaction.atomic():
        same = MembershipTerm.objects.select_for_update().filter(
            standing_group=sg, member=member, user=user
        )
        for other in same:
            overlaps = (other.ends_on is None or other.ends_on >= starts_on) and (
                ends_on is None or ends_on >= other.starts_on
            )
            if overlaps:
                raise GroupProblem(
                    f"{other.name} already has a term on this group from "
                    f"{other.starts_on:%d %B %Y}: end it first"
                )
        term = MembershipTerm.objects.create(
            standing_group=sg,
            member=member,
            user=user,
            role=role,
            starts_on=starts_on,
            ends_on=ends_on,
            named_publicly=named_publicly,
        )
        audit_record(
            action=Action.GROUP_TERM_ADDED,
            actor=actor,
            subject=term,
            after={"role": role, "starts_on": starts_on, "ends_on": ends_on},
        )
    return term


def membership_term_end(*, actor: Any, term: MembershipTerm, ends_on: date) -> MembershipTerm:
    _require(actor, RUN)
    _check(domain.membership_dates_problem(term.starts_on, ends_on))
    with transaction.atomic():
        term = MembershipTerm.objects.select_for_update().get(pk=term.pk)
        if term.ends_on is not None and term.ends_on <= ends_on:
            raise GroupProblem(f"This term already ends on {term.ends_on:%d %B %Y}")
        before = {"ends_on": term.ends_on}
        term.ends_on = ends_on
        term.save(update_fields=["ends_on"])
        audit_record(
            action=Action.GROUP_TERM_ENDED,
            actor=actor,
            subject=term,
            before=before,
            after={"ends_on": ends_on},
        )
    return term


# Meetings ------------------------------------------------------------------------------


def meeting_save(
    *,
    actor: Any,
    sg: StandingGroup,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    place: str = "",
    link: str = "",
    meeting: Meeting | None = None,
) -> Meeting:
    _require(actor, RUN)
    title = _text(title, "The meeting's title", min_chars=3)
    _check(domain.meeting_times_problem(starts_at, ends_at))
    place = place.strip()
    if place and domain.text_problem(place, "The place"):
        raise GroupProblem(domain.text_problem(place, "The place"))
    if not place and not link:
        raise GroupProblem("Give a place or a link to join, so members know where to go")
    with transaction.atomic():
        if meeting is None:
            meeting = Meeting(standing_group=sg, created_by=actor)
            before = None
        else:
            meeting = Meeting.objects.select_for_update().get(pk=meeting.pk, standing_group=sg)
            if meeting.cancelled_at is not None:
                raise GroupProblem("This meeting was cancelled: arrange a new one")
            if meeting.minutes.filter(status=Minutes.Status.APPROVED).exists():
                raise GroupProblem("The minutes are approved: the meeting can no longer change")
            before = {"starts_at": meeting.starts_at, "place": meeting.place}
        meeting.title, meeting.starts_at, meeting.ends_at = title, starts_at, ends_at
        meeting.place, meeting.link = place, link
        meeting.save()
        audit_record(
            action=Action.GROUP_MEETING_SAVED,
            actor=actor,
            subject=meeting,
            before=before,
            after={"starts_at": starts_at, "place": place, "link": bool(link)},
        )
    return meeting


def meeting_cancel(*, actor: Any, meeting: Meeting) -> Meeting:
    _require(actor, RUN)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.cancelled_at is not None:
            raise GroupProblem("This meeting is already cancelled")
        if meeting.starts_at <= timezone.now():
            raise GroupProblem("A meeting that has already started cannot be cancelled")
        meeting.cancelled_at = timezone.now()
        meeting.save(update_fields=["cancelled_at"])
        audit_record(action=Action.GROUP_MEETING_CANCELLED, actor=actor, subject=meeting)
    return meeting


def agenda_item_add(*, actor: Any, meeting: Meeting, title: str, notes: str = "") -> AgendaItem:
    _require(actor, RUN)
    title = _text(title, "The agenda item", min_chars=3)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.cancelled_at is not None:
            raise GroupProblem("This meeting was cancelled")
        if meeting.agenda.filter(title__iexact=title).exists():
            raise GroupProblem(f"“{title}” is already on the agenda")
        position = meeting.agenda.count() + 1
        item = AgendaItem.objects.create(
            meeting=meeting, position=position, title=title, notes=notes.strip()
        )
        audit_record(
            action=Action.GROUP_AGENDA_ITEM_ADDED,
            actor=actor,
            subject=item,
            after={"meeting": meeting.pk, "position": position},
        )
    return item


def paper_upload(*, actor: Any, meeting: Meeting, title: str, upload: Any) -> Paper:
    """Store a paper (PDF, DOCX, ODT or XLSX under 20 MB, checked by its first bytes)."""
    _require(actor, RUN)
    title = _text(title, "The paper's title", min_chars=3)
    if upload is None:
        raise GroupProblem("Choose a file to upload")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    _check(domain.paper_problem(upload.name or "", upload.size or 0, head))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    sha = digest.hexdigest()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.cancelled_at is not None:
            raise GroupProblem("This meeting was cancelled")
        if meeting.papers.filter(sha256=sha).exists():
            raise GroupProblem("This file is already one of the meeting's papers")
        name = (upload.name or "paper").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
        paper = Paper(
            meeting=meeting,
            title=title,
            filename=name,
            size=upload.size,
            sha256=sha,
            uploaded_by=actor,
        )
        paper.file.save(name, upload, save=False)
        paper.save()
        audit_record(
            action=Action.GROUP_PAPER_UPLOADED,
            actor=actor,
            subject=paper,
            after={"meeting": meeting.pk, "size": paper.size, "sha256": sha},
        )
    return paper


def paper_downloaded(*, actor: Any, paper: Paper) -> None:
    """Who opened a paper (members' papers can be confidential)."""
    if not actor.has_perm("groups.view_paper", paper):
        raise PermissionDenied("groups.view_paper")
    with transaction.atomic():
        audit_record(action=Action.GROUP_PAPER_DOWNLOADED, actor=actor, subject=paper)


def attendance_record(*, actor: Any, meeting: Meeting, statuses: dict[int, str]) -> dict[str, int]:
    """Record attendance for the people on the group that day (present, apologies, absent).

    Apologies may be recorded before the meeting; present and absent only from its day.
    Returns the counts of changes. Recording the same thing twice changes nothing.
    """
    _require(actor, RUN)
    if meeting.cancelled_at is not None:
        raise GroupProblem("This meeting was cancelled")
    day = _meeting_day(meeting)
    if not statuses:
        raise GroupProblem("Choose present, apologies or absent for at least one person")
    bad = [s for s in statuses.values() if s not in Attendance.Status.values]
    if bad:
        raise GroupProblem("Choose present, apologies or absent")
    if day > timezone.localdate() and any(
        s != Attendance.Status.APOLOGIES for s in statuses.values()
    ):
        raise GroupProblem("Before the meeting's day only apologies can be recorded")
    terms = {
        t.pk: t
        for t in MembershipTerm.objects.filter(
            standing_group_id=meeting.standing_group_id, pk__in=statuses
        )
    }
    if set(statuses) - set(terms) or not all(t.covers(day) for t in terms.values()):
        raise GroupProblem("Attendance can only be taken for people on the group that day")
    changed = 0
    with transaction.atomic():
        held = {
            a.term_id: a
            for a in Attendance.objects.select_for_update().filter(
                meeting=meeting, term_id__in=statuses
            )
        }
        for term_id, status in statuses.items():
            row = held.get(term_id)
            if row is None:
                Attendance.objects.create(
                    meeting=meeting, term_id=term_id, status=status, recorded_by=actor
                )
                changed += 1
            elif row.status != status:
                row.status, row.recorded_by, row.recorded_at = status, actor, timezone.now()
                row.save(update_fields=["status", "recorded_by", "recorded_at"])
                changed += 1
        if changed:
            counts = dict.fromkeys(Attendance.Status.values, 0)
            for status in meeting.attendance.values_list("status", flat=True):
                counts[status] += 1
            audit_record(
                action=Action.GROUP_ATTENDANCE_TAKEN,
                actor=actor,
                subject=meeting,
                after={"changed": changed, **counts},
            )
    return {"changed": changed}


# Minutes -------------------------------------------------------------------------------


def _latest_minutes(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.select_for_update().filter(meeting=meeting).order_by("-version").first()


def minutes_draft_save(*, actor: Any, meeting: Meeting, text: str) -> Minutes:
    """Write the draft minutes (the first version); a draft may be changed until approved."""
    _require(actor, RUN)
    text = _text(text, "The minutes", min_chars=20)
    if meeting.cancelled_at is not None:
        raise GroupProblem("This meeting was cancelled: it has no minutes")
    if meeting.starts_at > timezone.now():
        raise GroupProblem("Minutes can only be written once the meeting has started")
    with transaction.atomic():
        latest = _latest_minutes(meeting)
        if latest is not None and latest.frozen:
            raise GroupProblem(
                "These minutes are approved and cannot change: start a correction, with the reason"
            )
        if latest is None:
            minutes = Minutes.objects.create(
                meeting=meeting, version=1, text=text, created_by=actor
            )
            before = None
        else:
            minutes, before = latest, {"length": len(latest.text)}
            minutes.text = text
            minutes.save(update_fields=["text"])
        audit_record(
            action=Action.GROUP_MINUTES_DRAFTED,
            actor=actor,
            subject=minutes,
            before=before,
            after={"version": minutes.version, "length": len(text)},
        )
    return minutes


def minutes_correct(*, actor: Any, minutes: Minutes, text: str, reason: str) -> Minutes:
    """Start a correction of approved minutes: a new draft version saying why.

    The approved version stays as it was; the correction carries over what the group
    said, to be changed, and is approved like the first.
    """
    _require(actor, RUN)
    text = _text(text, "The corrected minutes", min_chars=20)
    reason = _text(reason, "The reason for the correction", min_chars=10)
    with transaction.atomic():
        latest = _latest_minutes(minutes.meeting)
        if latest is None or latest.pk != minutes.pk or not latest.frozen:
            raise GroupProblem("Only the latest approved minutes can be corrected")
        if text == latest.text:
            raise GroupProblem("The correction must change the minutes")
        correction = Minutes.objects.create(
            meeting=latest.meeting,
            version=latest.version + 1,
            text=text,
            supersedes=latest,
            correction_reason=reason,
            created_by=actor,
        )
        HeardItem.objects.bulk_create(
            HeardItem(minutes=correction, text=h.text, topic_id=h.topic_id)
            for h in latest.heard.all()
        )
        audit_record(
            action=Action.GROUP_MINUTES_CORRECTED,
            actor=actor,
            subject=correction,
            after={"version": correction.version, "supersedes": latest.pk},
        )
    return correction


def heard_item_add(
    *, actor: Any, minutes: Minutes, text: str, topic: Topic | None = None
) -> HeardItem:
    """Something the group said, to go into the insight bank when the minutes are approved."""
    _require(actor, RUN)
    text = _text(text, "What the group said", min_chars=10)
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.frozen:
            raise GroupProblem("These minutes are approved and cannot change")
        if minutes.heard.filter(text=text).exists():
            raise GroupProblem("This is already recorded")
        item = HeardItem.objects.create(minutes=minutes, text=text, topic=topic)
        audit_record(
            action=Action.GROUP_HEARD_ADDED,
            actor=actor,
            subject=item,
            after={"minutes": minutes.pk, "topic": topic.pk if topic else None},
        )
    return item


def minutes_approve(
    *,
    actor: Any,
    minutes: Minutes,
    approver: MembershipTerm,
    approved_at: datetime | None = None,
) -> Minutes:
    """Record that the chair or staff lead approved these minutes; they are then frozen.

    What the group said goes into the insight bank; approving a correction takes the
    corrected version's place there.
    """
    _require(actor, APPROVE)
    approved_at = approved_at or timezone.now()
    if approved_at > timezone.now():
        raise GroupProblem("Minutes cannot be approved in the future")
    with transaction.atomic():
        minutes = (
            Minutes.objects.select_for_update(of=("self",))
            .select_related("meeting__standing_group__group")
            .get(pk=minutes.pk)
        )
        meeting = minutes.meeting
        if minutes.frozen:
            raise GroupProblem("These minutes are already approved")
        _check(domain.approval_problem(approved_at, meeting.starts_at))
        if approver.standing_group_id != meeting.standing_group_id or approver.role not in (
            domain.APPROVER_ROLES
        ):
            raise GroupProblem("Minutes are approved by the group's chair or staff lead")
        if not approver.covers(timezone.localdate(approved_at)) and not approver.covers(
            _meeting_day(meeting)
        ):
            raise GroupProblem(f"{approver.name} was not the chair or staff lead at the time")
        if approver.role == domain.ROLE_STAFF_LEAD and approver.user_id != actor.pk:
            raise GroupProblem("A staff lead approves minutes for themselves, signed in")
        minutes.status = Minutes.Status.APPROVED
        minutes.approved_at = approved_at
        minutes.approved_by = approver
        minutes.approval_recorded_by = actor
        minutes.save(update_fields=["status", "approved_at", "approved_by", "approval_recorded_by"])
        replaced = 0
        if minutes.supersedes_id is not None:
            old_ids = [
                i
                for i in HeardItem.objects.filter(minutes_id=minutes.supersedes_id).values_list(
                    "insight_id", flat=True
                )
                if i is not None
            ]
            replaced = insights_delete(ids=old_ids)
        banked = _bank_heard(minutes)
        audit_record(
            action=Action.GROUP_MINUTES_APPROVED,
            actor=actor,
            subject=minutes,
            after={
                "version": minutes.version,
                "approver_role": approver.role,
                "approved_at": approved_at,
                "insights": banked,
                "insights_replaced": replaced,
            },
        )
    return minutes


def _bank_heard(minutes: Minutes) -> int:
    items = list(minutes.heard.all())
    if not items:
        return 0
    meeting = minutes.meeting
    group = meeting.standing_group.group
    channel = Channel.IN_PERSON if meeting.place else Channel.ONLINE
    drafts = [
        InsightDraft(
            text=item.text,
            source=Source.OTHER,
            channel=channel,
            occurred_on=_meeting_day(meeting),
            locality=group.locality,
            service=group.name[:200],
            topic_ids=[item.topic_id] if item.topic_id else [],
        )
        for item in items
    ]
    created = insights_create(drafts=drafts)
    for item, insight in zip(items, created, strict=True):
        item.insight_id = insight.pk
    HeardItem.objects.bulk_update(items, ["insight_id"])
    return len(created)


def minutes_publish(*, actor: Any, minutes: Minutes) -> Minutes:
    _require(actor, RUN)
    with transaction.atomic():
        minutes = (
            Minutes.objects.select_for_update(of=("self",))
            .select_related("meeting__standing_group")
            .get(pk=minutes.pk)
        )
        if not minutes.frozen:
            raise GroupProblem("Only approved minutes can be published")
        if minutes.published_at is not None:
            raise GroupProblem("These minutes are already published")
        if not minutes.meeting.standing_group.public:
            raise GroupProblem("This group has no public page: make it public first")
        minutes.published_at = timezone.now()
        minutes.save(update_fields=["published_at"])
        # The public page shows the minutes as the redactor's check left them (the person
        # publishing was shown each replacement on the meeting page).
        redacted = any(c.changed for c in selectors.minutes_check(minutes))
        audit_record(
            action=Action.GROUP_MINUTES_PUBLISHED,
            actor=actor,
            subject=minutes,
            after={"version": minutes.version, "redacted": redacted},
        )
    return minutes


# Decisions and actions -----------------------------------------------------------------


def _held(meeting: Meeting) -> None:
    if meeting.cancelled_at is not None:
        raise GroupProblem("This meeting was cancelled")
    if meeting.starts_at > timezone.now():
        raise GroupProblem("Decisions and actions are recorded once the meeting has started")


def decision_record(*, actor: Any, meeting: Meeting, text: str) -> Decision:
    _require(actor, RUN)
    text = _text(text, "The decision", min_chars=10)
    _held(meeting)
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        if meeting.decisions.filter(text=text).exists():
            raise GroupProblem("This decision is already recorded")
        decision = Decision.objects.create(meeting=meeting, text=text, recorded_by=actor)
        audit_record(
            action=Action.GROUP_DECISION_RECORDED,
            actor=actor,
            subject=decision,
            after={"meeting": meeting.pk},
        )
    return decision


def action_record(
    *, actor: Any, meeting: Meeting, text: str, owner: MembershipTerm, due_on: date
) -> ActionItem:
    _require(actor, RUN)
    text = _text(text, "The action", min_chars=10)
    _held(meeting)
    _check(domain.action_due_problem(due_on, _meeting_day(meeting)))
    if owner.standing_group_id != meeting.standing_group_id or not owner.covers(
        _meeting_day(meeting)
    ):
        raise GroupProblem("The action's owner must be on the group at the time of the meeting")
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        if meeting.actions.filter(text=text, owner=owner).exists():
            raise GroupProblem("This action is already recorded")
        action = ActionItem.objects.create(
            meeting=meeting, text=text, owner=owner, due_on=due_on, recorded_by=actor
        )
        audit_record(
            action=Action.GROUP_ACTION_RECORDED,
            actor=actor,
            subject=action,
            after={"meeting": meeting.pk, "owner": owner.pk, "due_on": due_on},
        )
    return action


def action_done(*, actor: Any, action: ActionItem, done_on: date | None = None) -> ActionItem:
    _require(actor, RUN)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise GroupProblem("An action cannot be done in the future")
    with transaction.atomic():
        action = (
            ActionItem.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=action.pk)
        )
        if action.done_on is not None:
            raise GroupProblem(f"This action was already done on {action.done_on:%d %B %Y}")
        if done_on < _meeting_day(action.meeting):
            raise GroupProblem("An action cannot be done before the meeting that agreed it")
        action.done_on, action.done_recorded_by = done_on, actor
        action.save(update_fields=["done_on", "done_recorded_by"])
        audit_record(
            action=Action.GROUP_ACTION_DONE,
            actor=actor,
            subject=action,
            after={"done_on": done_on},
        )
    return action
