"""The staff people directory and person page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.audit.services import audit_record
from heard.core.roles import Role
from heard.people import history
from heard.people.models import (
    Consent,
    EqualityMonitoring,
    Group,
    GroupMembership,
    Member,
    Topic,
)


def _member(name: str, email: str = "", postcode: str = "NR1 3SR", **kwargs) -> Member:
    district = postcode.split(" ")[0] if postcode else ""
    return Member.objects.create(
        full_name=name,
        email=email,
        postcode=postcode,
        postcode_district=district,
        locality=kwargs.pop("locality", "Norwich"),
        status=kwargs.pop("status", Member.Status.ACTIVE),
        **kwargs,
    )


@pytest.fixture
def officer(staff_client):
    client, _user = staff_client(Role.ENGAGEMENT_OFFICER)
    return client


def _names(response) -> list[str]:
    return [m.full_name for m in response.context["page"]]


@pytest.mark.django_db
def test_search_by_name_part_email_prefix_and_postcode(officer):
    _member("Margaret Pegg", "mpegg@example.org")
    _member("Peter Gotts", "peter.gotts@example.org", postcode="NR21 9AB", locality="North Norfolk")
    _member("Aisha Okafor", "aisha@example.org", postcode="IP22 4AB", locality="South Norfolk")
    url = reverse("people:directory")
    assert _names(officer.get(url, {"q": "PEGG"})) == ["Margaret Pegg"]
    assert _names(officer.get(url, {"q": "mpeg"})) == ["Margaret Pegg"]  # start of the email
    assert _names(officer.get(url, {"q": "pegg@"})) == []
    assert _names(officer.get(url, {"q": "peter.go"})) == ["Peter Gotts"]
    assert _names(officer.get(url, {"q": "aisha@example.org"})) == ["Aisha Okafor"]
    assert _names(officer.get(url, {"q": "nr21 9ab"})) == ["Peter Gotts"]
    assert _names(officer.get(url, {"district": "nr21"})) == ["Peter Gotts"]
    assert _names(officer.get(url, {"locality": "South Norfolk"})) == ["Aisha Okafor"]
    assert _names(officer.get(url)) == ["Aisha Okafor", "Margaret Pegg", "Peter Gotts"]


@pytest.mark.django_db
def test_filter_by_interest_group_and_status(officer):
    topic = Topic.objects.create(name="Stroke care", slug="stroke-care")
    group = Group.objects.create(name="Stroke reference group", kind="reference_group")
    a = _member("Ann Kett", "ann@example.org")
    b = _member("Bob Rix", "bob@example.org")
    left = _member("Cy Left", "cy@example.org", status=Member.Status.LEFT)
    erased = _member("Erased member", "", status=Member.Status.ERASED)
    a.interests.add(topic)
    GroupMembership.objects.create(group=group, member=b)
    GroupMembership.objects.create(group=group, member=left, until=timezone.localdate())
    url = reverse("people:directory")
    assert _names(officer.get(url, {"interest": topic.pk})) == ["Ann Kett"]
    assert _names(officer.get(url, {"group": group.pk})) == ["Bob Rix"]  # past members left out
    assert _names(officer.get(url, {"status": "left"})) == ["Cy Left"]
    assert erased.full_name not in _names(officer.get(url))


@pytest.mark.django_db
def test_directory_paginates_and_keeps_the_filters(officer):
    Member.objects.bulk_create(
        [Member(full_name=f"Person {n:03d}", locality="Norwich") for n in range(120)]
    )
    response = officer.get(reverse("people:directory"), {"locality": "Norwich", "page": 2})
    page = response.content.decode()
    assert _names(response)[0] == "Person 050"
    assert "Page 2 of 3" in page
    assert "locality=Norwich&amp;page=3" in page


@pytest.mark.django_db
def test_bad_district_gets_an_inline_error(officer):
    response = officer.get(reverse("people:directory"), {"district": "12"})
    page = response.content.decode()
    assert "Enter the first part of a postcode" in page
    assert "nhsuk-error-summary" in page


@pytest.mark.django_db
def test_directory_and_person_page_never_show_equality_answers(officer):
    member = _member("Grace Howes", "grace@example.org")
    EqualityMonitoring.objects.create(member=member, ethnic_group="white_irish", religion="jewish")
    for url in (reverse("people:directory"), reverse("people:person", args=[member.pk])):
        page = officer.get(url).content.decode()
        assert "Grace Howes" in page
        assert "Irish" not in page and "Jewish" not in page


@pytest.mark.django_db
def test_person_page_shows_consents_groups_history_and_audit(officer):
    member = _member("Niamh Murphy", "niamh@example.org")
    Consent.objects.create(
        member=member,
        purpose=Consent.Purpose.CONTACT,
        wording="You may contact me about opportunities.",
        withdrawn_at=timezone.now(),
    )
    group = Group.objects.create(name="Cromer Coast PPG", kind="ppg", gp_practice="Cromer")
    GroupMembership.objects.create(group=group, member=member, role="chair")
    audit_record(action=Action.MEMBER_UPDATED, subject=member, after={"fields": ["phone"]})

    def provider(m: Member) -> list[history.HistoryItem]:
        if m.pk != member.pk:
            return []
        return [history.HistoryItem(timezone.now(), "Invitation", "Invited to: Stroke workshop")]

    history.register(provider)
    try:
        page = officer.get(reverse("people:person", args=[member.pk])).content.decode()
    finally:
        history._providers.remove(provider)
    assert "You may contact me about opportunities." in page
    assert "Cromer Coast PPG" in page and "Chair" in page
    assert "Invited to: Stroke workshop" in page
    assert "Member details changed" in page


@pytest.mark.django_db
def test_missing_person_is_404(officer):
    assert officer.get(reverse("people:person", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_programme_lead_cannot_open_the_directory(staff_client):
    client, _user = staff_client(Role.PROGRAMME_LEAD)
    assert client.get(reverse("people:directory")).status_code == 403


@pytest.mark.django_db
def test_search_results_paginate_with_the_total_and_past_the_end_shows_the_last_page(officer):
    Member.objects.bulk_create(
        [Member(full_name=f"Smith {n:03d}", email=f"s{n}@example.org") for n in range(60)]
        + [Member(full_name="Jones", email="jones@example.org")]
    )
    url = reverse("people:directory")
    response = officer.get(url, {"q": "smith", "page": 2})
    assert response.context["page"].paginator.count == 60
    assert _names(response) == [f"Smith {n:03d}" for n in range(50, 60)]
    assert "q=smith&amp;page=1" in response.content.decode()
    assert _names(officer.get(url, {"q": "smith", "page": 9})) == _names(response)
    empty = officer.get(url, {"q": "nobody"})
    assert empty.context["page"].paginator.count == 0
    assert "No people match" in empty.content.decode()
    assert _names(officer.get(url, {"q": "JONES@example.org"})) == ["Jones"]


@pytest.mark.django_db
def test_staff_correct_details_but_not_email_or_contact_choices(officer):
    member = _member("Jon Smiht", "jon@example.org", contact_by_post=True)
    topic = Topic.objects.create(name="Stroke care", slug="stroke-care")
    url = reverse("people:person_edit", args=[member.pk])
    page = officer.get(url).content.decode()
    assert 'value="Jon Smiht"' in page and "jon@example.org" not in page
    response = officer.post(
        url,
        {"full_name": "Jon Smith", "phone": "", "postcode": "nr21 9ab", "interests": [topic.pk]},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.postcode, member.locality) == (
        "Jon Smith",
        "NR21 9AB",
        "North Norfolk",
    )
    assert member.email == "jon@example.org" and member.contact_by_post
    event = AuditEvent.objects.get(action=Action.MEMBER_UPDATED)
    assert event.after == {"changed": ["full_name", "interests", "postcode"]}
    page = officer.post(url, {"full_name": "", "postcode": "XX1"}).content.decode()
    assert "Enter the full name" in page and "Enter a real postcode" in page
