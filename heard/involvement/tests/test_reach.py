"""Reach and participation pages: suppression, under-representation, who is asked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.core.roles import Role
from heard.involvement.population import built_in_population
from heard.involvement.selectors import reach_charts
from heard.involvement.tests.factories import (
    InvitationFactory,
    MemberFactory,
    OpportunityFactory,
    member_with,
)

pytestmark = pytest.mark.django_db


def _chart(key):
    return next(c for c in reach_charts(built_in_population()) if c.key == key)


def test_small_numbers_are_suppressed_and_under_representation_flagged(settings):
    settings.HEARD_SMALL_NUMBER_THRESHOLD = 10
    for _ in range(40):
        member_with(age_band="75_plus", sex="female", ethnic_group="white_british")
    for _ in range(3):
        member_with(age_band="18_24", sex="male", ethnic_group="asian_indian")
    sex = {r.category: r for r in _chart("sex").rows}
    assert sex["Female"].count == 40 and not sex["Female"].suppressed
    assert sex["Male"].suppressed and sex["Male"].member_share is None
    assert sex["Male"].under_represented
    # one small cell: the next smallest is hidden too, or 3 = 43 - 40 could be worked out
    assert sex["Female"].hidden_to_protect and sex["Female"].member_share is None
    age = {r.category: r for r in _chart("age_band").rows}
    assert age["75+"].hidden_to_protect
    assert age["35-44"].count == 0 and age["35-44"].under_represented


def test_two_small_cells_protect_each_other_and_the_rest_is_shown(settings):
    settings.HEARD_SMALL_NUMBER_THRESHOLD = 10
    for _ in range(30):
        member_with(sex="female", ethnic_group="white_british")
    for _ in range(20):
        member_with(sex="male", ethnic_group="white_british")
    for _ in range(3):
        member_with(sex="male", ethnic_group="asian_indian")
    for _ in range(2):
        member_with(sex="male", ethnic_group="black_african")
    ethnic = {r.category: r for r in _chart("ethnic_group").rows}
    assert ethnic["White"].member_share == pytest.approx(50 / 55)
    assert not any(r.hidden_to_protect for r in ethnic.values())
    sex = _chart("sex")
    assert {r.category: r.member_share for r in sex.rows} == {
        "Male": pytest.approx(25 / 55),
        "Female": pytest.approx(30 / 55),
    }


def test_threshold_is_configurable(settings):
    settings.HEARD_SMALL_NUMBER_THRESHOLD = 3
    for _ in range(3):
        member_with(sex="male")
    assert not {r.category: r for r in _chart("sex").rows}["Male"].suppressed


def test_reach_page_shows_fewer_than_and_charts_with_tables(staff_client, settings):
    settings.HEARD_SMALL_NUMBER_THRESHOLD = 10
    client, _ = staff_client(Role.ANALYST)
    for _ in range(12):
        member_with(sex="female", ethnic_group="white_british", locality="Norwich")
    member_with(sex="male", ethnic_group="black_african", locality="Thetford")
    page = client.get(reverse("involvement:reach")).content.decode()
    assert page.count('class="heard-chart"') == 4
    assert "fewer than 10" in page
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">1</td>' not in page
    assert "Under-represented:</strong> Male" in page
    assert ">suppressed<" in page and "cannot be worked out from it and the totals" in page
    assert "not shown*" not in page


def test_participation_lists_the_often_asked_and_the_not_recently_asked(staff_client, settings):
    settings.HEARD_INVOLVEMENT_OFTEN_THRESHOLD = 3
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    busy = MemberFactory(full_name="Busy Bee")
    for _ in range(3):
        InvitationFactory(member=busy)
    quiet = MemberFactory(full_name="Quiet Mouse")
    InvitationFactory(member=quiet, sent_at=timezone.now() - timedelta(days=400))
    MemberFactory(full_name="Never Asked")
    page = client.get(reverse("involvement:participation")).content.decode()
    most = page.split("Asked most often")[1].split("Not invited in the last 12 months")[0]
    assert "Busy Bee" in most and "Quiet Mouse" not in most
    assert 'id="not-recent-count">2<' in page
    assert "Never Asked" in page and "Quiet Mouse" in page


def test_person_history_shows_invitations():
    from heard.people.history import history_for

    invitation = InvitationFactory(opportunity=OpportunityFactory(title="GP access survey design"))
    items = history_for(invitation.member)
    assert any("GP access survey design" in i.text for i in items)


def test_reach_by_characteristics_needs_the_equality_permission(staff_client, settings):
    settings.HEARD_SMALL_NUMBER_THRESHOLD = 1
    for _ in range(3):
        member_with(sex="female", ethnic_group="white_british", locality="Norwich")
    lead, _ = staff_client(Role.PROGRAMME_LEAD)  # view_reach, not people.view_equality
    page = lead.get(reverse("involvement:reach")).content.decode()
    assert page.count('class="heard-chart"') == 1  # by place only
    assert 'id="equality-hidden"' in page and "Members by sex" not in page
    analyst, _ = staff_client(Role.ANALYST)
    page = analyst.get(reverse("involvement:reach")).content.decode()
    assert page.count('class="heard-chart"') == 4 and 'id="equality-hidden"' not in page
