"""A small world for the API tests: public and private things side by side, so a test can
check that only what is public (and approved) comes out."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from heard.api import services
from heard.core.roles import Role
from heard.engagement.models import Activity, ActivityDocument, ActivityLocality, Answer, Response
from heard.engagement.tests.factories import ActivityFactory
from heard.groups.models import Minutes
from heard.groups.tests.helpers import add_person, held_meeting, make_group
from heard.people.models import Member, Topic
from heard.servicechange.consultations.models import DocumentVersion
from heard.servicechange.outcomes.models import Publication
from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal


def make_activity(**kwargs: Any) -> Activity:
    return ActivityFactory(**kwargs)  # type: ignore[return-value]


PERSONAL = "My name is Margaret Thompson and my number is 07700 900123, please ring me."


def world() -> dict[str, Any]:
    now = timezone.now()
    topic = Topic.objects.create(name="Urgent care", slug="urgent-care")
    open_activity = make_activity(
        title="Pharmacy opening hours",
        slug="pharmacy-hours",
        status="open",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=20),
    )
    open_activity.topics.add(topic)
    ActivityLocality.objects.create(activity=open_activity, name="Norwich")
    ActivityDocument.objects.create(
        activity=open_activity, title="Background", file="activities/background.pdf"
    )
    forthcoming = make_activity(
        title="Mental health crisis line",
        slug="crisis-line",
        status="scheduled",
        opens_at=now + timedelta(days=10),
        closes_at=now + timedelta(days=40),
    )
    # Scheduled, but its opening time has passed: open for the public, as the site says.
    opened_by_clock = make_activity(
        title="Dentistry access",
        slug="dentistry",
        status="scheduled",
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(days=30),
    )
    draft = make_activity(title="Secret draft", slug="secret-draft", status="draft")

    made = make_consulted_proposal()
    consultation = made["consultation"]
    consultation.document_published_at = now - timedelta(weeks=14)
    consultation.save(update_fields=["document_published_at"])
    DocumentVersion.objects.create(
        consultation=consultation,
        number=1,
        sections={"summary": "We propose to move the unit."},
        content_hash="a" * 64,
        published_at=now - timedelta(weeks=14),
    )
    DocumentVersion.objects.create(
        consultation=consultation,
        number=2,
        sections={"summary": "We propose to move the unit to the health centre."},
        content_hash="b" * 64,
        published_at=now - timedelta(weeks=12),
        reason="the site was named wrongly",
        is_correction=True,
    )
    activity = consultation.activity
    response = Response.objects.create(
        activity=activity,
        questionnaire=made["question"].version.questionnaire,
        version=made["question"].version,
        reference="HYS-PERS-0001",
        channel="phone",
    )
    Answer.objects.create(response=response, question=made["question"], text=PERSONAL)

    proposal = made["proposal"]
    closed = make_activity(
        title="Community transport",
        slug="community-transport",
        status="closed",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
    )
    approved = Publication.objects.create(
        kind="activity",
        status="approved",
        activity=closed,
        title="What we did about community transport",
        content={"summary": "approved words"},
        redacted={"summary": "approved words"},
        content_sha256="c" * 64,
        html="<p>approved words</p>",
        decided_at=now - timedelta(days=2),
    )
    # Approved, but about an activity still in draft: not public.
    Publication.objects.create(
        kind="activity",
        status="approved",
        activity=draft,
        title="Feedback on a draft NOT PUBLIC",
        content={"summary": "draft"},
        redacted={"summary": "draft"},
        content_sha256="e" * 64,
        html="<p>draft</p>",
        decided_at=now - timedelta(days=1),
    )
    pending = Publication.objects.create(
        kind="activity",
        status="pending",
        activity=open_activity,
        title="Pending feedback NOT APPROVED",
        content={"summary": "not approved yet"},
        redacted={"summary": "not approved yet"},
        content_sha256="d" * 64,
        html="<p>not approved yet</p>",
    )

    sg = make_group(public=True, public_summary="Advises on stroke services.")
    chair = add_person(sg, "Ada Chair", role="chair", named_publicly=True)
    meeting = held_meeting(sg)
    Minutes.objects.create(
        meeting=meeting,
        version=1,
        text="The group discussed the stroke pathway.",
        status="approved",
        approved_at=now - timedelta(days=1),
        approved_by=chair,
        published_at=now - timedelta(days=1),
    )
    hidden_group = make_group("Private Working Group", public=False)

    for i in range(25):
        Member.objects.create(
            full_name=f"Person {i}",
            email=f"person{i}@example.org",
            status="active",
            locality="Norwich" if i < 20 else "Breckland",
        )
    return {
        "topic": topic,
        "open": open_activity,
        "forthcoming": forthcoming,
        "opened_by_clock": opened_by_clock,
        "draft": draft,
        "consultation": consultation,
        "proposal": proposal,
        "activity": activity,
        "response": response,
        "approved": approved,
        "closed": closed,
        "pending": pending,
        "group": sg,
        "hidden_group": hidden_group,
    }


def token_for(make_staff: Any, role: Role, *, days: int = 30) -> tuple[Any, str]:
    user = make_staff(role)
    return services.api_token_create(user=user, name=f"Test token for {role}", days=days)


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
