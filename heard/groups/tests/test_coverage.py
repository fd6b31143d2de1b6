"""'Groups not engaged' counts every way a group was engaged over the chosen period."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.core.roles import Role
from heard.engagement.tests.factories import ActivityFactory
from heard.groups.models import Meeting, StandingGroup
from heard.insight.selectors import coverage, group_engagement
from heard.involvement.models import Invitation, Opportunity
from heard.people.models import Group, GroupMembership, Member

pytestmark = pytest.mark.django_db


def _group(name: str) -> Group:
    return Group.objects.create(name=name, kind=Group.Kind.PPG)


def test_every_way_counts_and_old_or_future_ones_do_not():
    today = timezone.localdate()
    met = _group("Met PPG")
    sg = StandingGroup.objects.create(group=met, slug="met")
    Meeting.objects.create(
        standing_group=sg, title="Held", starts_at=timezone.now() - timedelta(days=20), place="Hall"
    )
    # Not counted: a future meeting, a cancelled one, one before the period.
    future = _group("Future only")
    sg2 = StandingGroup.objects.create(group=future, slug="future")
    Meeting.objects.create(
        standing_group=sg2, title="Soon", starts_at=timezone.now() + timedelta(days=3), place="Hall"
    )
    Meeting.objects.create(
        standing_group=sg2,
        title="Off",
        starts_at=timezone.now() - timedelta(days=3),
        place="Hall",
        cancelled_at=timezone.now() - timedelta(days=9),
    )
    Meeting.objects.create(
        standing_group=sg2,
        title="Long ago",
        starts_at=timezone.now() - timedelta(days=400),
        place="Hall",
    )

    invited = _group("Invited forum")
    person = Member.objects.create(full_name="Ann Member", status="active")
    GroupMembership.objects.create(group=invited, member=person, since=today - timedelta(days=100))
    opp = Opportunity.objects.create(
        title="Stroke workshop",
        summary="A workshop",
        starts_at=timezone.now() + timedelta(days=9),
        time_asked="2 hours",
    )
    Invitation.objects.create(
        opportunity=opp, member=person, status="accepted", answered_at=timezone.now()
    )

    audience = _group("Audience group")
    activity = ActivityFactory(title="Survey", opens_at=timezone.now() - timedelta(days=5))
    activity.audience_groups.add(audience)

    quiet = _group("Quiet group")

    ways = group_engagement(since=today - timedelta(days=180), until=today)
    assert ways[met.pk] == [("Meetings held", 1)]
    assert future.pk not in ways and quiet.pk not in ways
    assert dict(ways[invited.pk]) == {
        "Invitations to its members": 1,
        "Invitations its members answered": 1,
    }
    assert ways[audience.pk] == [("Activities for the group", 1)]

    c = coverage(gap_months=6)
    quiet_names = {g.name for g in c.quiet_groups}
    assert quiet_names == {"Future only", "Quiet group"}
    # A shorter period: the meeting 20 days ago no longer counts.
    short = group_engagement(since=today - timedelta(days=10), until=today)
    assert met.pk not in short


def test_coverage_page_lists_how_groups_were_engaged(client, make_staff):
    met = _group("Met PPG")
    sg = StandingGroup.objects.create(group=met, slug="met")
    Meeting.objects.create(
        standing_group=sg, title="Held", starts_at=timezone.now() - timedelta(days=20), place="Hall"
    )
    _group("Quiet group")
    client.force_login(make_staff(Role.SCRUTINY_READER))
    page = client.get(reverse("insight:coverage") + "?months=3").content.decode()
    quiet = page.split('id="quiet-groups"')[1].split("</ul>")[0]
    assert "Quiet group" in quiet and "Met PPG" not in quiet
    engaged = page.split('id="engaged-groups"')[1].split("</details>")[0]
    assert "Met PPG" in engaged and "meetings held 1" in engaged


def test_a_response_on_a_groups_behalf_counts_for_it():
    from heard.engagement.models import Response
    from heard.engagement.tests.test_respond import make_questionnaire

    spoke = _group("Dereham Carers Forum")
    q = make_questionnaire()
    Response.objects.create(
        activity=q.activity,
        questionnaire=q,
        version=q.current_version(),
        reference="HYS-GRP-0001",
        respondent_type=Response.RespondentType.ORGANISATION,
        organisation_name="  dereham carers   FORUM ",
    )
    Response.objects.create(
        activity=q.activity,
        questionnaire=q,
        version=q.current_version(),
        reference="HYS-GRP-0002",
        submitted_at=timezone.now() - timedelta(days=400),
        respondent_type=Response.RespondentType.ORGANISATION,
        organisation_name="Dereham Carers Forum",
    )
    today = timezone.localdate()
    ways = group_engagement(since=today - timedelta(days=30), until=today)
    assert ways[spoke.pk] == [("Responses on its behalf", 1)]


def test_places_its_members_booked_at_events_count_for_the_group():
    from heard.events.models import BookableEvent, Booking

    today = timezone.localdate()
    forum = _group("Carers forum")
    carer = Member.objects.create(full_name="Bea Carer", email="Bea@Example.org", status="active")
    GroupMembership.objects.create(group=forum, member=carer, since=today - timedelta(days=60))
    event = BookableEvent.objects.create(
        activity=ActivityFactory(kind="drop_in", event_starts_at=timezone.now()), capacity=5
    )
    Booking.objects.create(event=event, name="Bea", email="bea@example.org", status="confirmed")
    Booking.objects.create(event=event, name="Cy", email="cy@example.org", status="confirmed")
    Booking.objects.create(
        event=event, name="Bea", email="bea@example.org", status="cancelled", attendee_key="someone"
    )
    ways = group_engagement(since=today - timedelta(days=30), until=today)
    assert dict(ways[forum.pk]) == {"Event places its members booked": 1}
