"""The consultation's staff pages and public page."""

import pytest
from django.urls import reverse

from heard.core.roles import Role
from heard.servicechange.consultations.models import Consultation
from heard.servicechange.consultations.tests.helpers import (
    make_consultation,
    passing_consultation,
    ready_proposal,
)
from heard.servicechange.lifecycle import selectors as lifecycle_selectors

pytestmark = pytest.mark.django_db


def test_create_page_creates_and_redirects(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = ready_proposal()
    url = reverse("consultations:create", kwargs={"proposal_pk": proposal.pk})
    assert "Create the formal consultation" in client.get(url).content.decode()
    response = client.post(url)
    consultation = Consultation.objects.get(proposal=proposal)
    assert response.url == reverse("consultations:detail", kwargs={"pk": consultation.pk})
    # a second submission goes to the same consultation, creating nothing
    assert client.post(url).url == response.url
    assert Consultation.objects.count() == 1


def test_create_page_explains_why_not(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = ready_proposal(substantial=False)
    page = client.get(reverse("consultations:create", kwargs={"proposal_pk": proposal.pk}))
    assert "cannot be created yet" in page.content.decode()


def test_detail_shows_failing_checks_and_open_refused_with_reasons(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    consultation = make_consultation()
    url = reverse("consultations:detail", kwargs={"pk": consultation.pk})
    page = client.get(url).content.decode()
    assert "Gunning principles" in page
    assert "The consultation document has not been published." in page
    assert "Set the opening and closing dates and times." in page
    response = client.post(
        reverse("consultations:open", kwargs={"pk": consultation.pk}), follow=True
    )
    text = response.content.decode()
    assert "The consultation cannot open yet" in text
    consultation.activity.refresh_from_db()
    assert consultation.activity.status == "draft"


def test_open_from_the_page_when_passing_and_public_page(staff_client, client):
    consultation = passing_consultation()
    public_url = reverse("consultations_public:detail", kwargs={"slug": consultation.slug})
    assert client.get(public_url).status_code == 404  # draft: not public yet
    officer, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    response = officer.post(
        reverse("consultations:open", kwargs={"pk": consultation.pk}), follow=True
    )
    assert "The consultation is open." in response.content.decode()
    page = client.get(public_url).content.decode()
    assert "Respond to the consultation" in page
    assert reverse("engagement_public:respond", kwargs={"slug": consultation.activity.slug}) in page
    for heading in ("The proposal", "Alternatives set aside and why", "Equality impact assessment"):
        assert heading in page
    sections = lifecycle_selectors.public_sections(consultation.proposal)
    assert [s.url for s in sections if s.title == "Formal consultation"] == [public_url]


def test_section_edit_and_dates_pages_save(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    consultation = make_consultation()
    url = reverse("consultations:section", kwargs={"pk": consultation.pk, "key": "costs"})
    response = client.post(url, {"body": "About £2 million over five years."})
    assert response.status_code == 302
    assert consultation.sections.get(key="costs").body == "About £2 million over five years."
    dates = reverse("consultations:dates", kwargs={"pk": consultation.pk})
    bad = client.post(dates, {"opens_at": "2030-03-01T09:00", "closes_at": "2030-02-01T09:00"})
    assert "The closing time must be after the opening time" in bad.content.decode()
    ok = client.post(dates, {"opens_at": "2030-03-01T09:00", "closes_at": "2030-06-01T17:00"})
    assert ok.status_code == 302
    consultation.activity.refresh_from_db()
    assert consultation.activity.closes_at.year == 2030


def test_links_and_timeline_for_the_proposal(make_staff):
    consultation = make_consultation()
    reader = make_staff(Role.SCRUTINY_READER)
    links = lifecycle_selectors.links(consultation.proposal, reader)
    ours = [link for link in links if link.title == "Formal consultation"]
    assert ours and ours[0].status == "Failing checks"
    titles = [e.title for e in lifecycle_selectors.timeline(consultation.proposal)]
    assert "Formal consultation created" in titles


def test_scrutiny_reader_cannot_record_a_midpoint_review(staff_client):
    client, _ = staff_client(Role.SCRUTINY_READER)
    consultation = make_consultation()
    url = reverse("consultations:midpoint", kwargs={"pk": consultation.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"action_taken": "x"}).status_code == 403


def test_panel_previews_unsaved_dates(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    consultation = passing_consultation()
    url = reverse("consultations:panel", kwargs={"pk": consultation.pk})
    saved = client.get(url).content.decode()
    assert "Preview" not in saved
    assert "shorter than" not in saved
    preview = client.get(
        url, {"opens_at": "2030-03-01T09:00", "closes_at": "2030-03-29T09:00", "justification": ""}
    ).content.decode()
    assert "Preview with the dates you are entering" in preview
    assert "4 weeks, shorter than 12 weeks" in preview
    # nothing was saved
    consultation.activity.refresh_from_db()
    assert consultation.activity.closes_at.year != 2030


def test_mail_progress_fragment(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    consultation = make_consultation()
    page = client.get(reverse("consultations:tell_progress", kwargs={"pk": consultation.pk}))
    assert "Nothing sent yet." in page.content.decode()
    assert "hx-get" not in page.content.decode()


def test_an_opened_consultation_does_not_say_it_cannot_open_and_counts_read_cleanly(
    staff_client,
):
    from heard.servicechange.consultations.tests.test_services import _respond

    consultation = passing_consultation()
    officer, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    url = reverse("consultations:detail", kwargs={"pk": consultation.pk})
    officer.post(reverse("consultations:open", kwargs={"pk": consultation.pk}))
    _respond(consultation, 2)
    response = officer.get(url)
    page = response.content.decode()
    assert "could not open while any check failed" in page
    assert "cannot open or be scheduled" not in page
    # Only the channels with responses, no dangling separator.
    assert response.context["channels_text"] == "online 2"
    assert "2 (online 2)" in page


def test_a_long_proposal_title_is_never_cut_short(staff_client):
    """A proposal title of the full 200 characters: the consultation and the email to
    stakeholders keep all of it (the prefix gives way), rather than losing its end."""
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    title = ("Moving the Eastbrook minor injuries unit to the Wymford hospital site " * 3)[
        :199
    ] + "!"
    assert len(title) == 200
    proposal = ready_proposal(title)
    client.post(reverse("consultations:create", kwargs={"proposal_pk": proposal.pk}))
    consultation = Consultation.objects.get(proposal=proposal)
    assert consultation.title == title
    page = client.get(reverse("consultations:tell", kwargs={"pk": consultation.pk}))
    assert page.context["form"].initial["subject"] == title
    # a shorter one keeps its prefixes
    short = ready_proposal("Move the blood-test clinic")
    client.post(reverse("consultations:create", kwargs={"proposal_pk": short.pk}))
    consultation = Consultation.objects.get(proposal=short)
    assert consultation.title == "Consultation: Move the blood-test clinic"
    page = client.get(reverse("consultations:tell", kwargs={"pk": consultation.pk}))
    assert page.context["form"].initial["subject"] == (
        "Have your say: Consultation: Move the blood-test clinic"
    )
