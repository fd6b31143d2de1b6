"""Building standing groups for tests (straight to the database, no audit events)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from heard.groups.models import (
    ActionItem,
    Meeting,
    MembershipTerm,
    Minutes,
    StandingGroup,
)
from heard.people.models import Group, GroupMembership, Member

TOR = (
    "The group advises the ICB on stroke services from the point of view of people who "
    "use them and their carers. It meets every two months."
)


def make_group(name: str = "Stroke Services Reference Group", **kwargs: Any) -> StandingGroup:
    group = Group.objects.create(name=name, kind=Group.Kind.REFERENCE_GROUP, locality="Norwich")
    return StandingGroup.objects.create(
        group=group, slug=name.lower().replace(" ", "-")[:100], **kwargs
    )


def add_person(
    sg: StandingGroup, name: str, role: str = "member", member: Member | None = None, **kwargs: Any
) -> MembershipTerm:
    if member is None:
        member = Member.objects.create(
            full_name=name, email=f"{name.split()[0].lower()}@example.org", status="active"
        )
    GroupMembership.objects.create(group=sg.group, member=member)
    return MembershipTerm.objects.create(
        standing_group=sg,
        member=member,
        role=role,
        starts_on=timezone.localdate() - timedelta(days=400),
        **kwargs,
    )


def held_meeting(sg: StandingGroup, days_ago: int = 7) -> Meeting:
    return Meeting.objects.create(
        standing_group=sg,
        title="Spring meeting",
        starts_at=timezone.now() - timedelta(days=days_ago),
        place="County Hall, Norwich",
    )


def world() -> dict[str, Any]:
    """A group with a chair, a held meeting with draft minutes and an action."""
    sg = make_group()
    chair = add_person(sg, "Ada Chair", role="chair", named_publicly=True)
    meeting = held_meeting(sg)
    minutes = Minutes.objects.create(
        meeting=meeting, version=1, text="The group discussed the stroke pathway at length."
    )
    action = ActionItem.objects.create(
        meeting=meeting,
        text="Write to the trust about discharge letters",
        owner=chair,
        due_on=timezone.localdate() + timedelta(days=14),
    )
    return {"sg": sg, "chair": chair, "meeting": meeting, "minutes": minutes, "action": action}
