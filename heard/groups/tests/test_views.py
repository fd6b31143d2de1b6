"""Pages: papers only to those allowed, uploads checked, public pages without personal data."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import AuditEvent
from heard.core.roles import Role
from heard.groups import services
from heard.groups.models import Attendance, Paper
from heard.groups.tests.helpers import add_person, world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"1" * 500


@pytest.fixture
def setup(make_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    w = world()
    paper = services.paper_upload(
        actor=officer,
        meeting=w["meeting"],
        title="Agenda pack",
        upload=SimpleUploadedFile("pack.pdf", PDF),
    )
    return {**w, "officer": officer, "paper": paper}


def test_paper_served_to_staff_and_current_members_only(client, setup, make_staff, make_member):
    url = reverse("groups_public:paper", kwargs={"pk": setup["paper"].pk})
    # Anonymous: sent to sign in, nothing served.
    response = client.get(url)
    assert response.status_code == 302 and reverse("members:sign_in") in response["Location"]
    # A member of the public who is not on the group: forbidden.
    outsider = make_member()
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    # A member on the group: served, as an attachment, not cached.
    insider_user = make_member()
    term = add_person(setup["sg"], "Ina Insider", member=insider_user.member)
    client.force_login(insider_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    # Their term ends: no longer served.
    term.ends_on = timezone.localdate() - timedelta(days=1)
    term.save()
    assert client.get(url).status_code == 403
    # Staff who view groups: yes; an analyst: no.
    client.force_login(make_staff(Role.PROGRAMME_LEAD))
    assert client.get(url).status_code == 200
    client.force_login(make_staff(Role.ANALYST))
    assert client.get(url).status_code == 403
    assert AuditEvent.objects.filter(action="group.paper_downloaded").count() == 2
    # The file is not under the public media folder.
    assert not setup["paper"].file.name.startswith("activities/")


def test_upload_through_the_page_refuses_big_and_wrong_files(client, setup, settings):
    client.force_login(setup["officer"])
    url = reverse("groups:paper_upload", kwargs={"pk": setup["meeting"].pk})
    big = SimpleUploadedFile("huge.pdf", b"%PDF-" + b"0" * (21 * 1024 * 1024))
    response = client.post(url, {"paper-title": "Huge pack", "paper-file": big}, follow=True)
    assert "smaller than 20 MB" in response.content.decode()
    wrong = SimpleUploadedFile("script.js", b"alert(1)")
    response = client.post(url, {"paper-title": "Script", "paper-file": wrong}, follow=True)
    assert "must be a PDF, Word" in response.content.decode()
    assert Paper.objects.count() == 1  # only the fixture's paper: nothing stored
    good = SimpleUploadedFile("budget.xlsx", b"PK\x03\x04" + b"2" * 100)
    response = client.post(url, {"paper-title": "Budget", "paper-file": good}, follow=True)
    assert "Paper uploaded." in response.content.decode() and Paper.objects.count() == 2


def test_attendance_page(client, setup):
    client.force_login(setup["officer"])
    member = add_person(setup["sg"], "Ben Member")
    url = reverse("groups:attendance", kwargs={"pk": setup["meeting"].pk})
    page = client.get(url).content.decode()
    assert "Ada Chair" in page and "Ben Member" in page
    response = client.post(
        url, {f"term-{setup['chair'].pk}": "present", f"term-{member.pk}": "apologies"}
    )
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("term_id", "status")) == {
        setup["chair"].pk: "present",
        member.pk: "apologies",
    }
    response = client.post(url, {})
    assert response.status_code == 400 and "at least one person" in response.content.decode()


def test_minutes_approval_page_and_placeholder_refusal(client, setup):
    client.force_login(setup["officer"])
    meeting = setup["meeting"]
    response = client.post(
        reverse("groups:minutes_edit", kwargs={"pk": meeting.pk}), {"text": "n/a"}
    )
    assert response.status_code == 400 and "must say something real" in response.content.decode()
    url = reverse("groups:minutes_approve", kwargs={"pk": setup["minutes"].pk})
    assert "Ada Chair (Chair)" in client.get(url).content.decode()
    response = client.post(url, {"approver": setup["chair"].pk})
    assert response.status_code == 302
    setup["minutes"].refresh_from_db()
    assert setup["minutes"].frozen
    # Again (a double click): a clear message, nothing changed.
    response = client.post(url, {"approver": setup["chair"].pk})
    assert response.status_code == 400 and "already approved" in response.content.decode()


def test_public_page_shows_only_public_groups_and_published_minutes(client, setup, make_staff):
    sg, officer = setup["sg"], setup["officer"]
    add_person(sg, "Private Person")  # a member: never named publicly
    url = reverse("groups_public:group", kwargs={"slug": sg.slug})
    assert client.get(url).status_code == 404  # not public yet
    services.standing_group_update(
        actor=officer,
        sg=sg,
        public=True,
        public_summary="A group of people who have had a stroke, and carers.",
        meets="Every two months",
    )
    services.terms_of_reference_record(
        actor=officer,
        sg=sg,
        text="The group advises on stroke services and meets every two months.",
        agreed_on=timezone.localdate() - timedelta(days=10),
        review_on=timezone.localdate() + timedelta(days=355),
    )
    upcoming = services.meeting_save(
        actor=officer,
        sg=sg,
        title="Summer meeting",
        starts_at=timezone.now() + timedelta(days=30),
        place="County Hall",
    )
    page = client.get(url).content.decode()
    assert "Summer meeting" in page and "advises on stroke services" in page
    assert "Chaired by Ada Chair" in page  # she agreed to be named
    assert "Private Person" not in page and "example.org" not in page
    assert "minutes not yet published" in page
    minutes_url = reverse(
        "groups_public:minutes", kwargs={"slug": sg.slug, "pk": setup["meeting"].pk}
    )
    assert client.get(minutes_url).status_code == 404
    services.minutes_approve(actor=officer, minutes=setup["minutes"], approver=setup["chair"])
    assert client.get(minutes_url).status_code == 404  # approved but not published
    services.minutes_publish(actor=officer, minutes=setup["minutes"])
    response = client.get(minutes_url)
    assert response.status_code == 200 and "stroke pathway" in response.content.decode()
    assert "Agenda pack" not in client.get(url).content.decode()  # papers never public
    assert upcoming.pk  # the upcoming meeting has no minutes page
    assert (
        client.get(
            reverse("groups_public:minutes", kwargs={"slug": sg.slug, "pk": upcoming.pk})
        ).status_code
        == 404
    )


def test_my_groups_lists_papers_for_members(client, setup, make_member):
    response = client.get(reverse("groups_public:mine"))
    assert response.status_code == 302
    user = make_member()
    add_person(setup["sg"], "Ina Insider", member=user.member)
    client.force_login(user)
    page = client.get(reverse("groups_public:mine")).content.decode()
    assert "Stroke Services Reference Group" in page and "Agenda pack" in page
