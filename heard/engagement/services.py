"""Writing engagement activities. Every change is audited; lifecycle moves go through
``activity_transition``, which checks the rules in ``domain.py``."""

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from heard.accounts.actors import Actor
from heard.audit.models import Action
from heard.audit.services import audit_record, audits_refusals, erasable, refusal_audited
from heard.core.actors import CLOCK, NotPermitted, SystemActor, person, require
from heard.engagement import domain, guards
from heard.engagement.models import Activity, ActivityLocality, Questionnaire
from heard.people.models import Group, Topic

logger = logging.getLogger(__name__)


class TransitionRefused(ValueError):
    """The activity cannot move to that status now; ``problems`` says why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


_AUDITED_FIELDS = (
    "title",
    "summary",
    "level",
    "kind",
    "opens_at",
    "closes_at",
    "event_starts_at",
    "event_ends_at",
    "venue",
    "allow_late_responses",
    "limbs",
    "principles",
)


def _snapshot(activity: Activity) -> dict[str, Any]:
    return {f: getattr(activity, f) for f in _AUDITED_FIELDS}


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200] or "activity"
    slug, n = base, 1
    others = Activity.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _recheck_guards(activity: Activity, before: dict[str, Any]) -> None:
    """A scheduled or open activity whose dates change must still pass the guards that
    let it be scheduled or opened (a formal consultation's Gunning checks): otherwise
    editing the dates here would slip past them. Raises TransitionRefused."""
    if activity.pk is None or activity.status not in (
        domain.Status.SCHEDULED,
        domain.Status.OPEN,
    ):
        return
    after = _snapshot(activity)
    if all(before.get(k) == after.get(k) for k in ("opens_at", "closes_at")):
        return
    problems = guards.problems(activity, str(activity.status), timezone.now(), False)
    if problems:
        raise TransitionRefused(problems)


CHANGE = "engagement.change_activities"


class ActivityRefused(TransitionRefused):
    """A change to an activity's details that its rules refuse (``problems`` says why)."""


def formal_consultation_problems(activity: Activity, fields: dict[str, Any]) -> list[str]:
    """A formal consultation's activity stays a consultation at "consult" level: what
    people were told they are being consulted on cannot become "inform" (or a survey)."""
    if activity.pk is None or activity.kind != Activity.Kind.FORMAL_CONSULTATION:
        return []
    # The consultations app above makes the activity its consultation's (a reverse
    # relation; no import of that app here).
    if not Activity.objects.filter(pk=activity.pk, consultation__isnull=False).exists():
        return []
    problems = []
    level = fields.get("level", activity.level)
    if level != domain.Level.CONSULT:
        problems.append(
            "This is a formal consultation's activity: its level on the spectrum of "
            "engagement is \u201cConsult\u201d and cannot be changed "
            f"(to \u201c{domain.LEVEL_LABELS.get(domain.Level(level), level)}\u201d)."
        )
    kind = fields.get("kind", activity.kind)
    if kind != Activity.Kind.FORMAL_CONSULTATION:
        problems.append("This is a formal consultation's activity: it stays a formal consultation.")
    return problems


def activity_save(
    *,
    actor: Actor,
    activity: Activity | None = None,
    fields: dict[str, Any],
    topics: Iterable[Topic] = (),
    groups: Iterable[Group] = (),
    localities: Iterable[str] = (),
) -> Activity:
    """Create (``activity=None``) or change an activity's details; the status is untouched.

    ``fields`` holds model field values (not status). Audited with the changed fields.
    """
    require(actor, CHANGE, to="change an activity")
    fields = {
        k: v for k, v in fields.items() if k not in ("status", "slug", "feedback_published_at")
    }
    with refusal_audited(
        actor=actor,
        action="activity.details_changed",
        subject=activity,
        refusals=(ActivityRefused,),
    ):
        return _activity_save(
            actor=actor,
            activity=activity,
            fields=fields,
            topics=topics,
            groups=groups,
            localities=localities,
        )


def _activity_save(
    *,
    actor: Actor,
    activity: Activity | None,
    fields: dict[str, Any],
    topics: Iterable[Topic],
    groups: Iterable[Group],
    localities: Iterable[str],
) -> Activity:
    with transaction.atomic():
        creating = activity is None
        if activity is None:
            activity = Activity(owner=person(actor))
            before: dict[str, Any] = {}
        else:
            activity = Activity.objects.select_for_update().get(pk=activity.pk)
            before = _snapshot(activity)
            problems = formal_consultation_problems(activity, fields)
            if problems:
                raise ActivityRefused(problems)
        for name, value in fields.items():
            setattr(activity, name, value)
        _recheck_guards(activity, before)
        if creating or ("title" in fields and not activity.slug):
            activity.slug = _unique_slug(activity.title, activity.pk)
        activity.save()
        activity.topics.set(list(topics))
        activity.audience_groups.set(list(groups))
        ActivityLocality.objects.filter(activity=activity).exclude(
            name__in=list(localities)
        ).delete()
        for name in localities:
            ActivityLocality.objects.get_or_create(activity=activity, name=name)
        after = _snapshot(activity)
        changed = sorted(k for k in after if before.get(k) != after[k]) if before else sorted(after)
        audit_record(
            action=Action.ACTIVITY_CREATED if creating else Action.ACTIVITY_UPDATED,
            actor=actor,
            subject=activity,
            before={k: before[k] for k in changed} if before else None,
            after={k: after[k] for k in changed},
        )
    return activity


def activity_feedback_save(*, actor: Actor, activity: Activity, feedback: str) -> Activity:
    """Write or change the "you said, we did" text (published by a transition)."""
    require(actor, CHANGE, to="write an activity's feedback")
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        had = bool(activity.feedback.strip())
        activity.feedback = feedback.strip()
        activity.save(update_fields=["feedback", "updated_at"])
        audit_record(
            action=Action.ACTIVITY_UPDATED,
            actor=actor,
            subject=activity,
            before={"feedback_written": had},
            after={"feedback_written": bool(activity.feedback)},
        )
    return activity


@audits_refusals(lambda call: f"activity.{call['target']}", subject="activity")
def activity_transition(
    *,
    activity: Activity,
    target: domain.Status | str,
    actor: Actor | SystemActor,
    now: datetime | None = None,
    by_clock: bool = False,
    reason: str = "",
) -> Activity:
    """Move an activity to ``target`` if the lifecycle allows it now.

    Raises TransitionRefused with the reasons otherwise. The row is locked, so the clock
    and a person pressing a button at the same moment cannot both move it.

    Closing before the published closing time is a recorded act: a formal consultation
    needs an authorised role (``engagement.close_formal_consultation_early``) and a
    ``reason``, published as a notice; any activity closed early keeps its published
    time in ``scheduled_closes_at`` and takes the real closing time as ``closes_at``,
    which every page, the timeline, the report and the late-response rule then use.
    """
    by_clock = by_clock or isinstance(actor, SystemActor)
    require(actor, CHANGE, to="open, close or publish an activity", system=by_clock)
    if by_clock and not isinstance(actor, SystemActor):
        raise NotPermitted(
            "Only Heard's clock moves an activity at its scheduled time; a person moves it "
            "as themselves.",
            permission=CHANGE,
        )
    now = now or timezone.now()
    target = domain.Status(target)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        facts = locked.facts()
        problems = domain.transition_problems(facts, target, now, by_clock=by_clock)
        if target in (domain.Status.SCHEDULED, domain.Status.OPEN) and not by_clock:
            problems += domain.participation_problems(
                kind=locked.kind,
                level=domain.Level(locked.level),
                has_questionnaire=Questionnaire.objects.filter(activity=locked).exists(),
                has_link=domain.has_link(locked.body),
                has_place=bool(locked.venue.strip() or locked.address.strip()),
                has_date=locked.event_starts_at is not None,
            )
        early = not problems and domain.closes_early(facts, target, now, by_clock=by_clock)
        if early:
            problems += _early_close_problems(locked, actor, reason)
        problems += guards.problems(locked, str(target), now, by_clock)
        if problems:
            raise TransitionRefused(problems)
        before = locked.status
        locked.status = target
        update = ["status", "updated_at"]
        extra: dict[str, Any] = {}
        if target == domain.Status.CLOSED and (early or locked.closes_at is None):
            # The real closing time; the published one is kept when it was later.
            if early:
                locked.scheduled_closes_at = locked.closes_at
                locked.closed_early_reason = " ".join(reason.split())
                locked.closed_early_by = person(actor)
                update += ["scheduled_closes_at", "closed_early_reason", "closed_early_by"]
                extra = {
                    "closed_early": True,
                    "scheduled_closes_at": locked.scheduled_closes_at,
                    # Published on the page, but written by a person: kept erasable.
                    "reason": erasable(locked.closed_early_reason, about=locked),
                }
            locked.closes_at = now
            update.append("closes_at")
            extra["closes_at"] = now
        if target == domain.Status.OPEN and locked.closed_early:
            # Reopened (with a new closing time): the early-close notice no longer applies;
            # the audit trail keeps it.
            locked.scheduled_closes_at, locked.closed_early_reason = None, ""
            locked.closed_early_by = None
            update += ["scheduled_closes_at", "closed_early_reason", "closed_early_by"]
        if target == domain.Status.FEEDBACK_PUBLISHED:
            locked.feedback_published_at = now
            update.append("feedback_published_at")
        if target == domain.Status.OPEN and locked.opens_at is None:
            locked.opens_at = now
            update.append("opens_at")
        locked.save(update_fields=update)
        audit_record(
            action=Action.ACTIVITY_TRANSITIONED,
            actor=actor,
            subject=locked,
            before={"status": before},
            after={"status": str(target), "by": "clock" if by_clock else "person", **extra},
        )
        try:
            guards.follow_through(locked, str(target), actor)
        except guards.ConsequenceRefused as refused:
            raise TransitionRefused(refused.problems) from refused
    return locked


def _early_close_problems(activity: Activity, actor: Actor | SystemActor, reason: str) -> list[str]:
    """Closing before the published closing time: for a formal consultation, only an
    authorised role, and only with a reason (it is published)."""
    if activity.kind != Activity.Kind.FORMAL_CONSULTATION:
        return []
    problems: list[str] = []
    if not actor.has_perm("engagement.close_formal_consultation_early"):
        problems.append(
            "Only a programme lead or an administrator may close a formal consultation "
            "before its published closing time."
        )
    return problems + domain.reason_problems(
        reason, what="for closing the consultation before its published closing time"
    )


def activities_advance_clock(*, now: datetime | None = None) -> int:
    """Open activities whose opening time has come and close those whose closing time has.

    Run every minute by the scheduler (``manage.py heard_clock``); public pages already
    show the right status on the second (see selectors), this makes it permanent and
    audited. Returns how many activities moved.
    """
    now = now or timezone.now()
    moved = 0
    due = Activity.objects.filter(
        Q(status=domain.Status.SCHEDULED, opens_at__lte=now)
        | Q(status=domain.Status.OPEN, closes_at__lte=now)
    )
    for activity in due.iterator():
        try:
            # An activity whose whole window passed while nobody looked opens, then closes.
            while (target := domain.due_transition(activity.facts(), now)) is not None:
                activity = activity_transition(
                    activity=activity, target=target, actor=CLOCK, now=now
                )
                moved += 1
        except TransitionRefused as refused:
            # A guard from above refused (e.g. a formal consultation failing a Gunning
            # check when its time came): it goes back to draft, so nobody sees it open,
            # and the clock carries on with the other activities.
            logger.warning("Clock could not open activity %s: %s", activity.pk, refused)
            if activity.status == domain.Status.SCHEDULED:
                activity_transition(
                    activity=activity, target=domain.Status.DRAFT, actor=CLOCK, now=now
                )
    return moved
