"""Engagement activities: the spectrum, the statutory duty, and the lifecycle. No Django.

Lifecycle: draft → scheduled → open → closed → feedback published → archived. A
transition is allowed only if it is in ``TRANSITIONS`` and its guard passes; the guard
returns the reasons it fails, in words a member of staff can act on.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from heard.core import substance


class Level(StrEnum):
    """The spectrum of engagement (IAP2; the NHS ladder's 'devolving' is 'empower')."""

    INFORM = "inform"
    CONSULT = "consult"
    INVOLVE = "involve"
    COLLABORATE = "collaborate"
    EMPOWER = "empower"


LEVEL_LABELS = {
    Level.INFORM: "Inform",
    Level.CONSULT: "Consult",
    Level.INVOLVE: "Involve",
    Level.COLLABORATE: "Collaborate",
    Level.EMPOWER: "Empower",
}
# What the public reads instead of the spectrum's names ("Involve" told people nothing).
PUBLIC_LEVEL_LABELS = {
    Level.INFORM: "Keeping you informed",
    Level.CONSULT: "Asking your views",
    Level.INVOLVE: "Working with you",
    Level.COLLABORATE: "Designing it with you",
    Level.EMPOWER: "You decide",
}
LEVEL_PROMISES = {
    Level.INFORM: "We will keep you informed.",
    Level.CONSULT: "We will listen to you and tell you how your views affected the decision.",
    Level.INVOLVE: "We will work with you so that your concerns are reflected in what we consider, and tell you how you influenced the decision.",
    Level.COLLABORATE: "We will work with you to design options and include your advice as far as we can.",
    Level.EMPOWER: "We will carry out what you decide.",
}


def promises_feedback(level: Level) -> bool:
    """From consult upward, the promise includes telling people what became of their input."""
    return level != Level.INFORM


class Status(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    FEEDBACK_PUBLISHED = "feedback_published"
    ARCHIVED = "archived"


STATUS_LABELS = {
    Status.DRAFT: "Draft",
    Status.SCHEDULED: "Scheduled",
    Status.OPEN: "Open",
    Status.CLOSED: "Closed",
    Status.FEEDBACK_PUBLISHED: "Feedback published",
    Status.ARCHIVED: "Archived",
}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SCHEDULED, Status.OPEN}),
    Status.SCHEDULED: frozenset({Status.DRAFT, Status.OPEN}),
    Status.OPEN: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset({Status.OPEN, Status.FEEDBACK_PUBLISHED, Status.ARCHIVED}),
    Status.FEEDBACK_PUBLISHED: frozenset({Status.ARCHIVED}),
    Status.ARCHIVED: frozenset(),
}

# The statutory duty to involve (NHS Act 2006 s.14Z45): which limb an activity serves.
LIMBS = {
    "planning": "(a) Planning commissioning arrangements",
    "proposals": "(b) Developing and considering proposals for changes",
    "decisions": "(c) Decisions that would affect services",
}
# NHS England, "Working in partnership with people and communities" (2022): ten principles.
PRINCIPLES = {
    1: "Put the voices of people and communities at the centre of decision-making and governance",
    2: "Start engagement early when developing plans and feed back how it has influenced activities and decisions",
    3: "Understand your community's needs, experience, ideas and aspirations",
    4: "Build relationships with excluded groups, especially those affected by inequalities",
    5: "Work with Healthwatch and the voluntary, community and social enterprise sector",
    6: "Provide clear and accessible public information",
    7: "Use community development approaches that empower people and communities",
    8: "Use co-production, insight and engagement to achieve accountable health and care services",
    9: "Co-produce and redesign services and tackle system priorities in partnership",
    10: "Learn from what works and build on the assets of all partners",
}


@dataclass(frozen=True)
class ActivityFacts:
    """What the guards need to know about an activity."""

    status: Status
    level: Level
    title: str
    summary: str
    opens_at: datetime | None
    closes_at: datetime | None
    has_feedback: bool


def transition_problems(
    facts: ActivityFacts, target: Status, now: datetime, *, by_clock: bool = False
) -> list[str]:
    """Why ``facts`` cannot move to ``target`` now; an empty list means it can.

    The clock (``by_clock``) may open an activity whose window has already passed, so
    that it is recorded as having been open before it closes.
    """
    if target not in TRANSITIONS[facts.status]:
        return [
            f"An activity that is {STATUS_LABELS[facts.status].lower()} cannot be "
            f"{STATUS_LABELS[target].lower()}."
        ]
    problems: list[str] = []
    if target in (Status.SCHEDULED, Status.OPEN):
        if not facts.title.strip() or not facts.summary.strip():
            problems.append("Add a title and a summary before publishing the activity.")
        if facts.closes_at and facts.opens_at and facts.closes_at <= facts.opens_at:
            problems.append("The closing date must be after the opening date.")
    if target == Status.SCHEDULED:
        if facts.opens_at is None:
            problems.append("Set an opening date to schedule the activity.")
        elif facts.opens_at <= now:
            problems.append("The opening date is in the past: open the activity now instead.")
    if (
        target == Status.OPEN
        and not by_clock
        and facts.closes_at is not None
        and facts.closes_at <= now
    ):
        problems.append("The closing date has passed: change it before opening the activity.")
    if target == Status.FEEDBACK_PUBLISHED and not facts.has_feedback:
        problems.append("Write the feedback (\u201cyou said, we did\u201d) before publishing it.")
    if (
        target == Status.ARCHIVED
        and facts.status == Status.CLOSED
        and promises_feedback(facts.level)
    ):
        problems.append(
            "This activity promised to tell people how their views were used: publish the "
            "feedback before archiving it."
        )
    return problems


# Kinds Heard cannot host itself yet: the activity must say where and how people take part.
HOSTED_ELSEWHERE_KINDS = frozenset({"online_discussion"})
# Kinds that are one gathering: once its event has ended there is nothing left to take part
# in, whatever the closing date says (a reference group or co-production panel may meet again).
ONE_EVENT_KINDS = frozenset({"drop_in", "workshop", "focus_group"})
_LINK = re.compile(r"https?://[^\s/]+\.[^\s]+", re.IGNORECASE)


def has_link(text: str) -> bool:
    """Whether ``text`` gives a web address people can follow."""
    return bool(_LINK.search(text or ""))


def participation_problems(
    *,
    kind: str,
    level: Level,
    has_questionnaire: bool,
    has_link: bool,
    has_place: bool,
    has_date: bool,
) -> list[str]:
    """No promise the product cannot keep: an online discussion (Heard has no forum) and
    an activity at "empower" ("we will carry out what you decide") are published only
    when they say exactly how people take part – a questionnaire, a link to where it
    happens, or a place and a date."""
    if kind not in HOSTED_ELSEWHERE_KINDS and level != Level.EMPOWER:
        return []
    if has_questionnaire or has_link or (has_place and has_date):
        return []
    what = (
        "an online discussion (Heard does not host discussions itself)"
        if kind in HOSTED_ELSEWHERE_KINDS
        else "an activity that promises to carry out what people decide"
    )
    return [
        f"Say exactly how people take part before publishing {what}: put a link to where it "
        "happens in the description, give a place and a date, or add a questionnaire."
    ]


def due_transition(facts: ActivityFacts, now: datetime) -> Status | None:
    """The transition the clock makes by itself: open when due, close when due."""
    if facts.status == Status.SCHEDULED and facts.opens_at and facts.opens_at <= now:
        return Status.OPEN
    if facts.status == Status.OPEN and facts.closes_at and facts.closes_at <= now:
        return Status.CLOSED
    return None


def effective_status(facts: ActivityFacts, now: datetime) -> Status:
    """What the public sees at ``now``, exactly on time even if the clock job is late."""
    status = facts.status
    if status == Status.SCHEDULED and facts.opens_at and facts.opens_at <= now:
        status = Status.OPEN
    if status == Status.OPEN and facts.closes_at and facts.closes_at <= now:
        status = Status.CLOSED
    return status


def needs_feedback_flag(facts: ActivityFacts) -> bool:
    """Domain §3: a consult-or-above activity that closed without published feedback."""
    return facts.status == Status.CLOSED and promises_feedback(facts.level)


def reason_problems(reason: str, *, what: str) -> list[str]:
    """Why ``reason`` is not a reason a reader could follow (heard.core.substance: empty,
    a placeholder such as "x", "-" or "n/a", or a single word). ``what`` names what it
    explains."""
    return substance.reason_problems(reason, what=what)


def closes_early(facts: ActivityFacts, target: Status, now: datetime, *, by_clock: bool) -> bool:
    """A person closing an activity before its published closing time."""
    return (
        target == Status.CLOSED
        and not by_clock
        and facts.closes_at is not None
        and now < facts.closes_at
    )
