"""What do we already know (topic, place) and the coverage dashboard."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.core.roles import Role
from heard.engagement.models import Activity, ActivityLocality
from heard.engagement.tests.factories import ActivityFactory
from heard.insight.tests.helpers import add_insights
from heard.people.models import Group, Topic

pytestmark = pytest.mark.django_db


def test_what_we_know_about_a_topic(staff_client):
    topic, _ = Topic.objects.get_or_create(slug="maternity", defaults={"name": "Maternity"})
    today = timezone.localdate()
    add_insights(
        [
            "The midwives were kind and the birth centre was clean and calm.",
            "Midwives were rushed off their feet, the birth centre needs more staff.",
            "Parking near the birth centre is impossible for partners visiting at night.",
        ],
        topic_ids=(topic.pk,),
        occurred_on=today,
        source="fft",
    )
    add_insights(["Unrelated comment about dentists being hard to find anywhere."])
    activity = ActivityFactory(title="Maternity voices survey")
    activity.topics.add(topic)
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    page = client.get(reverse("insight:know_topic", args=["maternity"])).content.decode()
    assert "What we know about Maternity" in page
    assert "<strong>3</strong> insights" in page
    assert 'role="img"' in page and "Insights per month" in page
    assert (
        f'<th scope="row" class="nhsuk-table__header">{today:%b %Y}</th><td class="nhsuk-table__cell nhsuk-table__cell--numeric">3</td>'
        in page
    )
    assert "Top keywords" in page and "birth (3 comments)" in page
    assert "Parking near the birth centre" in page
    assert "dentists" not in page
    assert "Maternity voices survey" in page


def test_themes_replace_keywords_once_coded(staff_client):
    add_insights(
        ["Long waits for appointments at the surgery again"],
        locality="Breckland",
        themes=("Access",),
    )
    client, _ = staff_client(Role.ANALYST)
    page = client.get(reverse("insight:know_place", args=["Breckland"])).content.decode()
    assert "Top themes" in page and "Access (1)" in page
    assert "Themes coded on 1 of the 1 most recent insights" in page
    assert "Nobody has asked yet" in page


def test_coverage_shows_gaps_levels_and_feedback_owed(staff_client):
    now = timezone.now()
    recent = ActivityFactory(
        title="Norwich drop-in", level=Activity.Level.INVOLVE, opens_at=now - timedelta(days=20)
    )
    ActivityLocality.objects.create(activity=recent, name="Norwich")
    group_engaged = Group.objects.create(name="Norwich PPG", kind=Group.Kind.PPG)
    Group.objects.create(name="Thetford forum", kind=Group.Kind.FORUM)
    recent.audience_groups.add(group_engaged)
    ActivityFactory(
        title="Closed survey owing feedback",
        status=Activity.Status.CLOSED,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
    )
    add_insights(
        ["Great Yarmouth pharmacy is always shut"],
        locality="Great Yarmouth",
        occurred_on=timezone.localdate(),
    )
    client, _ = staff_client(Role.SCRUTINY_READER)
    response = client.get(reverse("insight:coverage"))
    page = response.content.decode()
    quiet_places = page.split('id="quiet-places"')[1].split("</ul>")[0]
    assert "Breckland" in quiet_places
    assert "Norwich" not in quiet_places and "Great Yarmouth" not in quiet_places
    quiet_groups = page.split('id="quiet-groups"')[1].split("</ul>")[0]
    assert "Thetford forum" in quiet_groups and "Norwich PPG" not in quiet_groups
    assert "Feedback owed" in page and "Closed survey owing feedback" in page
    assert "Activities by level of engagement and quarter opened" in page
    # No quotes for the scrutiny reader: aggregate only.
    assert "pharmacy" not in page


def test_coverage_months_is_configurable_and_checked(staff_client, settings):
    settings.HEARD_ENGAGEMENT_GAP_MONTHS = 3
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    assert (
        "Not engaged in the last 3 months"
        in client.get(reverse("insight:coverage")).content.decode()
    )
    assert (
        "last 12 months"
        in client.get(reverse("insight:coverage"), {"months": "12"}).content.decode()
    )
    bad = client.get(reverse("insight:coverage"), {"months": "lots"})
    assert bad.status_code == 400
    assert "Enter a number of months from 1 to 60" in bad.content.decode()


def test_coverage_counts_responses_by_channel(staff_client):
    from heard.insight.tests.test_receivers import _response

    response = _response(channel="paper")
    response.submitted_at = timezone.now()
    response.save()
    client, _ = staff_client(Role.ANALYST)
    page = client.get(reverse("insight:coverage")).content.decode()
    table = page.split("Responses by channel and quarter received")[1].split("</table>")[0]
    assert ">Paper</th>" in table
    assert table.count('numeric">1</td>') == 2  # this quarter, and the total
