"""A factory-built financial year (2024/25) for the annual report's tests: activities
inside, across and outside the year, responses on both sides of its edges, equality
answers with a small group, approved and unapproved "you said, we did", a decision and a
standing group's meetings."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from heard.engagement.models import (
    Activity,
    ActivityLocality,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseEquality,
)
from heard.engagement.tests.factories import ActivityFactory
from heard.groups.models import Meeting, StandingGroup
from heard.people.models import Group
from heard.servicechange.outcomes.models import Decision, Publication
from heard.servicechange.proposals.models import Proposal

YEAR = 2024
LONDON = ZoneInfo("Europe/London")


def at(y: int, m: int, d: int, h: int = 12) -> datetime:
    return datetime(y, m, d, h, tzinfo=LONDON)


def _responses(activity: Activity, moments: list[datetime], **equality: Any) -> list[Response]:
    q = Questionnaire.objects.create(activity=activity, title=activity.title)
    v = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
    made = []
    for i, moment in enumerate(moments):
        made.append(
            Response.objects.create(
                activity=activity,
                questionnaire=q,
                version=v,
                submitted_at=moment,
                channel=Response.Channel.PAPER if i % 4 == 0 else Response.Channel.ONLINE,
                reference=f"T{activity.pk:03d}{i:04d}",
            )
        )
    return made


def build_year() -> dict[str, Any]:
    S = Activity.Status
    a: Activity = ActivityFactory(  # type: ignore[assignment]
        title="GP access survey",
        level="consult",
        status=S.FEEDBACK_PUBLISHED,
        limbs=["planning"],
        opens_at=at(2024, 5, 1),
        closes_at=at(2024, 6, 1),
    )
    b: Activity = ActivityFactory(  # type: ignore[assignment]
        title="Stroke rehabilitation workshop",
        level="involve",
        kind="workshop",
        status=S.CLOSED,
        limbs=["proposals"],
        opens_at=at(2025, 3, 20),
        closes_at=at(2025, 4, 20),
    )
    c: Activity = ActivityFactory(  # type: ignore[assignment]
        title="Co-design of the maternity pathway",
        level="collaborate",
        kind="co_production",
        status=S.ARCHIVED,
        limbs=["decisions", "proposals"],
        opens_at=at(2024, 1, 10),
        closes_at=at(2024, 4, 2),
    )
    d: Activity = ActivityFactory(  # type: ignore[assignment]
        title="Winter newsletter",
        level="inform",
        kind="information",
        status=S.OPEN,
        limbs=[],
        opens_at=at(2024, 9, 1),
        closes_at=None,
    )
    ppg = Group.objects.create(name="Cromer Coast PPG", kind=Group.Kind.PPG)
    a.audience_groups.add(ppg)
    ActivityLocality.objects.create(activity=a, name="North Norfolk")
    # Not in the year: a draft, one closed the day before it began, one opened after it.
    ActivityFactory(title="Draft idea", status=S.DRAFT, limbs=["planning"], opens_at=at(2024, 7, 1))
    ActivityFactory(
        title="Last year's survey",
        status=S.CLOSED,
        limbs=["planning"],
        opens_at=at(2024, 1, 1),
        closes_at=at(2024, 3, 31, 9),
    )
    ActivityFactory(
        title="Next year's survey",
        status=S.OPEN,
        limbs=["planning"],
        opens_at=at(2025, 4, 2),
        closes_at=at(2025, 5, 2),
    )
    in_a = _responses(a, [at(2024, 5, 2 + i) for i in range(12)] + [at(2025, 5, 1)])
    for i, r in enumerate(in_a[:12]):
        ResponseEquality.objects.create(
            response=r, activity=a, sex="male" if i == 0 else "female", age_band="45_54"
        )
    # The last response (May 2025) answered too: outside the year, never counted.
    ResponseEquality.objects.create(response=in_a[12], activity=a, sex="male", age_band="45_54")
    _responses(b, [at(2025, 3, 21), at(2025, 3, 22), at(2025, 3, 31, 23), at(2025, 4, 1, 1)])
    _responses(c, [at(2024, 3, 30), at(2024, 4, 1, 0)])
    # "You said, we did": approved in the year (counted), waiting (not), approved after.
    Publication.objects.create(
        kind="activity",
        activity=a,
        title="GP access: what we did",
        status="approved",
        content_sha256="0" * 64,
        decided_at=at(2024, 7, 1),
    )
    Publication.objects.create(
        kind="activity",
        activity=b,
        title="Stroke workshop: pending",
        status="pending",
        content_sha256="1" * 64,
    )
    Publication.objects.create(
        kind="activity",
        activity=c,
        title="Maternity: approved later",
        status="approved",
        content_sha256="2" * 64,
        decided_at=at(2025, 6, 1),
    )
    proposal = Proposal.objects.create(
        title="Move the blood-test clinic",
        slug="move-the-blood-test-clinic",
        description="Move the clinic to the library building.",
        status="decided",
    )
    Decision.objects.create(
        proposal=proposal,
        decided_on=date(2024, 11, 5),
        decided_by="ICB board",
        decision="Move the clinic, with later opening hours.",
    )
    private = Proposal.objects.create(
        title="A private proposal", slug="private", description="Kept private.", is_private=True
    )
    Decision.objects.create(
        proposal=private, decided_on=date(2024, 12, 1), decided_by="ICB board", decision="Secret."
    )
    group = Group.objects.create(name="Stroke Reference Group", kind=Group.Kind.REFERENCE_GROUP)
    sg = StandingGroup.objects.create(group=group, slug="stroke-reference-group", public=True)
    for moment, cancelled in (
        (at(2024, 6, 1), None),
        (at(2024, 9, 1), at(2024, 8, 30)),
        (at(2025, 6, 1), None),
    ):
        Meeting.objects.create(
            standing_group=sg, title="Meeting", starts_at=moment, cancelled_at=cancelled
        )
    return {"activities": [a, b, c, d], "proposal": proposal}
