import pytest
from django.utils import timezone

from heard.core.roles import Role
from heard.demo import groups as demo
from heard.groups.models import Meeting, Minutes
from heard.insight.models import Insight
from heard.people.models import Group, GroupMembership, Member

pytestmark = pytest.mark.django_db


def test_demo_runs_a_reference_group_through_the_services_once(make_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_staff(Role.ENGAGEMENT_OFFICER, email="officer@demo.heard.example")
    group = Group.objects.create(name=demo.GROUP_NAME, kind=Group.Kind.REFERENCE_GROUP)
    for name in ("Ada Chair", "Ben Member", "Cy Member"):
        GroupMembership.objects.create(
            group=group, member=Member.objects.create(full_name=name, status="active")
        )
    assert demo.load() == {"standing group": 1, "meetings": 2}
    past, upcoming = (
        Meeting.objects.filter(starts_at__lt=timezone.now()).get(),
        Meeting.objects.filter(starts_at__gt=timezone.now()).get(),
    )
    minutes = Minutes.objects.get(meeting=past)
    assert minutes.frozen and minutes.published_at and minutes.approved_by.role == "chair"
    assert past.papers.get().file.read(5) == b"%PDF-"
    assert past.actions.count() == 2 and upcoming.agenda.count() == 1
    assert Insight.objects.count() == 3
    assert demo.load() == {}  # idempotent
