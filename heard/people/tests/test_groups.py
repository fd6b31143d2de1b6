"""Groups and stakeholders: create, change, members with roles, stakeholder map."""

import pytest
from django.urls import reverse

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.people import stakeholders
from heard.people.models import Group, GroupMembership, Member
from heard.people.services import groups as services


@pytest.fixture
def officer(staff_client):
    client, _user = staff_client(Role.ENGAGEMENT_OFFICER)
    return client


def test_quadrants():
    assert stakeholders.quadrant(interest=5, influence=5) == stakeholders.MANAGE_CLOSELY
    assert stakeholders.quadrant(interest=2, influence=4) == stakeholders.KEEP_SATISFIED
    assert stakeholders.quadrant(interest=4, influence=3) == stakeholders.KEEP_INFORMED
    assert stakeholders.quadrant(interest=3, influence=3) == stakeholders.MONITOR


def test_layout_spreads_groups_sharing_a_cell_inside_it():
    points = stakeholders.layout([("A", 5, 5), ("B", 5, 5), ("C", 1, 1)])
    assert (points[0].x, points[0].y) != (points[1].x, points[1].y)
    x0, y0 = stakeholders.cell_origin(5, 5)
    for p in points[:2]:
        assert x0 < p.x < x0 + stakeholders.CELL and y0 < p.y < y0 + stakeholders.CELL
    # influence 1 is drawn at the bottom, interest 1 on the left
    assert points[2].y > points[0].y and points[2].x < points[0].x


@pytest.mark.django_db
def test_create_a_stakeholder_body_through_the_form(officer):
    response = officer.post(
        reverse("people:group_create"),
        {
            "name": "Healthwatch Norfolk",
            "kind": "stakeholder",
            "stakeholder_type": "healthwatch",
            "interest": "5",
            "influence": "4",
            "active": "on",
        },
    )
    group = Group.objects.get(name="Healthwatch Norfolk")
    assert response.status_code == 302
    assert (group.interest, group.influence, group.stakeholder_type) == (5, 4, "healthwatch")
    event = AuditEvent.objects.get(action=Action.GROUP_CREATED)
    assert event.subject_id == str(group.pk) and event.after["interest"] == 5


@pytest.mark.django_db
def test_ppg_without_practice_and_stakeholder_without_type_are_refused(officer):
    response = officer.post(
        reverse("people:group_create"),
        {"name": "A PPG", "kind": "ppg", "interest": "3", "influence": "3"},
    )
    assert "Enter the GP practice" in response.content.decode()
    response = officer.post(
        reverse("people:group_create"),
        {"name": "A body", "kind": "stakeholder", "interest": "3", "influence": "3"},
    )
    assert "Choose the type of stakeholder body" in response.content.decode()
    assert not Group.objects.exists()


@pytest.mark.django_db
def test_edit_records_which_fields_changed(officer):
    group = Group.objects.create(name="Carers forum", kind="forum")
    officer.post(
        reverse("people:group_edit", args=[group.pk]),
        {"name": "Carers forum", "kind": "forum", "interest": "5", "influence": "2"},
    )
    group.refresh_from_db()
    assert (group.interest, group.influence, group.active) == (5, 2, False)
    event = AuditEvent.objects.get(action=Action.GROUP_UPDATED)
    assert event.after["fields"] == ["active", "influence", "interest"]
    assert event.before["interest"] == 3


@pytest.mark.django_db
def test_add_search_role_and_remove_a_member(officer):
    group = Group.objects.create(name="Dereham PPG", kind="ppg", gp_practice="Dereham")
    member = Member.objects.create(full_name="Keith Larwood", email="keith@example.org")
    url = reverse("people:group_member_add", args=[group.pk])
    page = officer.get(url, {"q": "larw"}).content.decode()
    assert "Keith Larwood" in page
    officer.post(url, {"member": member.pk, "role": "chair"})
    membership = GroupMembership.objects.get(group=group, member=member)
    assert membership.role == "chair"
    page = officer.get(reverse("people:group", args=[group.pk])).content.decode()
    assert "Keith Larwood" in page and "Chair" in page
    # already a member: not offered again
    assert "Keith Larwood" not in officer.get(url, {"q": "larw"}).content.decode().split("<h1>")[1]

    officer.post(reverse("people:group_member_remove", args=[group.pk, membership.pk]))
    membership.refresh_from_db()
    assert membership.until is not None
    page = officer.get(reverse("people:group", args=[group.pk])).content.decode()
    assert "Past members" in page
    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
    assert actions == [Action.GROUP_MEMBER_ADDED, Action.GROUP_MEMBER_REMOVED]


@pytest.mark.django_db
def test_adding_twice_with_the_same_role_says_so():
    group = Group.objects.create(name="Forum", kind="forum")
    member = Member.objects.create(full_name="Ann", email="ann@example.org")
    services.group_member_add(group=group, member=member, role="member", actor=None)
    with pytest.raises(services.GroupError, match="already in the group"):
        services.group_member_add(group=group, member=member, role="member", actor=None)
    services.group_member_add(group=group, member=member, role="secretary", actor=None)
    assert GroupMembership.objects.get().role == "secretary"


@pytest.mark.django_db
def test_groups_list_filters_by_kind_and_counts_current_members(officer):
    ppg = Group.objects.create(name="Gaywood PPG", kind="ppg", gp_practice="Gaywood")
    Group.objects.create(name="Norfolk OSC", kind="stakeholder", stakeholder_type="osc")
    GroupMembership.objects.create(group=ppg, member=Member.objects.create(full_name="A"))
    response = officer.get(reverse("people:groups"), {"kind": "ppg"})
    groups = list(response.context["groups"])
    assert [g.name for g in groups] == ["Gaywood PPG"]
    assert groups[0].member_count == 1


@pytest.mark.django_db
def test_stakeholder_map_has_svg_and_table(staff_client):
    client, _user = staff_client(Role.PROGRAMME_LEAD)
    Group.objects.create(
        name="Norfolk OSC", kind="stakeholder", stakeholder_type="osc", interest=5, influence=5
    )
    Group.objects.create(name="Quiet forum", kind="forum", interest=1, influence=1)
    page = client.get(reverse("people:stakeholder_map")).content.decode()
    assert 'role="img"' in page and "<title" in page
    assert page.count("<circle") == 2
    table = page.split("<table")[1]
    assert "Norfolk OSC" in table and "Manage closely" in table
    assert "Quiet forum" in table and "Monitor" in table


@pytest.mark.django_db
def test_programme_lead_sees_groups_but_cannot_change_them(staff_client):
    client, _user = staff_client(Role.PROGRAMME_LEAD)
    group = Group.objects.create(name="Forum", kind="forum")
    page = client.get(reverse("people:group", args=[group.pk])).content.decode()
    assert "Add a person" not in page
    assert client.get(reverse("people:group_edit", args=[group.pk])).status_code == 403


def test_a_crowded_cell_keeps_points_apart_and_inside():
    points = stakeholders.layout([(f"PPG {n}", 4, 2) for n in range(12)])
    x0, y0 = stakeholders.cell_origin(4, 2)
    for a in points:
        assert x0 + a.radius <= a.x <= x0 + stakeholders.CELL - a.radius
        assert y0 + a.radius <= a.y <= y0 + stakeholders.CELL - a.radius
        for b in points:
            if a is not b:
                assert ((a.x - b.x) ** 2 + (a.y - b.y) ** 2) ** 0.5 >= a.radius + b.radius


@pytest.mark.django_db
def test_add_a_stakeholder_contact_by_hand_into_a_group(officer):
    group = Group.objects.create(
        name="Healthwatch Norfolk", kind="stakeholder", stakeholder_type="healthwatch"
    )
    page = officer.get(reverse("people:person_create"), {"group": group.pk}).content.decode()
    assert f'<option value="{group.pk}" selected>' in page
    response = officer.post(
        reverse("people:person_create"),
        {
            "full_name": "Jo Contact",
            "email": "Jo@Example.org",
            "group": group.pk,
            "role": "contact",
        },
    )
    member = Member.objects.get(email="jo@example.org")
    assert response.status_code == 302
    assert member.source == Member.Source.STAFF and member.status == Member.Status.ACTIVE
    assert GroupMembership.objects.get(group=group, member=member).role == "contact"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {Action.MEMBER_CREATED, Action.GROUP_MEMBER_ADDED} <= actions


@pytest.mark.django_db
def test_adding_a_person_already_held_or_without_contact_details_is_refused(officer):
    Member.objects.create(full_name="Jo", email="jo@example.org")
    url = reverse("people:person_create")
    page = officer.post(url, {"full_name": "Jo Two", "email": "JO@example.org"}).content.decode()
    assert "already exists" in page and "Find them in the directory" in page
    page = officer.post(url, {"full_name": "No Way"}).content.decode()
    assert "Enter an email address, a phone number or a postcode" in page
    page = officer.post(url, {"full_name": "Bad Postcode", "postcode": "XX1 ZZZ9"}).content.decode()
    assert "Enter a real postcode" in page
    assert Member.objects.count() == 1
