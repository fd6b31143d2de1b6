"""The overview and scrutiny staff page and the public "Scrutiny by the council" section."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from heard.core.roles import Role
from heard.servicechange.assessment.tests.helpers import PDF
from heard.servicechange.consultations import gunning, services
from heard.servicechange.consultations.models import ScrutinyLetter, ScrutinyResponse
from heard.servicechange.consultations.tests.helpers import (
    fill_document,
    make_consultation,
    set_period,
    sign_off,
    write_to_scrutiny,
)

pytestmark = pytest.mark.django_db


def _with_council(officer):
    consultation = make_consultation(actor=officer)
    fill_document(consultation, officer)
    set_period(consultation, actor=officer)
    services.council_add(
        actor=officer,
        consultation=consultation,
        name="Norfolk County Council",
        committee="Health Overview and Scrutiny Committee",
        contact_email="hosc@norfolk.example",
    )
    consultation.refresh_from_db()
    return consultation


def _date(prefix: str, day) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_an_officer_sends_the_first_letter_and_records_the_response_from_the_page(
    staff_client, django_capture_on_commit_callbacks
):
    client, officer = staff_client(Role.ENGAGEMENT_OFFICER)
    consultation = _with_council(officer)
    url = reverse("consultations:osc", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert "Send the first letter" in page and "Fail" in page
    closes = timezone.localtime(consultation.activity.closes_at).date()
    # A placeholder contact is refused, with the reason on the page.
    response = client.post(
        url,
        {
            "send_letter": "1",
            **_date("comments_due_on", closes + timedelta(weeks=2)),
            **_date("proposed_decision_on", closes + timedelta(weeks=4)),
            "contact": "tbc",
        },
    )
    assert response.status_code == 200
    assert "contact at the ICB" in response.content.decode()
    assert not ScrutinyLetter.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "send_letter": "1",
                **_date("comments_due_on", closes + timedelta(weeks=2)),
                **_date("proposed_decision_on", closes + timedelta(weeks=4)),
                "contact": "Sam Patel, engagement@icb.example",
            },
        )
    assert response.status_code == 302
    letter = ScrutinyLetter.objects.get()
    page = client.get(url).content.decode()
    assert "The letter as sent" in page and "Change the dates" in page
    assert "Send the first letter" not in page
    response = client.post(
        url,
        {
            "record_response": "1",
            **_date("received_on", timezone.localdate()),
            "position": "objects",
            "summary": "",
            "file": ContentFile(PDF, name="hosc.pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    recorded = ScrutinyResponse.objects.get()
    assert recorded.recorded_by == officer and recorded.file
    page = client.get(url).content.decode()
    assert "Objects to the proposal" in page
    file_url = reverse("consultations:scrutiny_response_file", args=[consultation.pk, recorded.pk])
    assert file_url in page
    assert client.get(file_url).status_code == 200
    assert letter.sent_by == officer


def test_a_scrutiny_reader_reads_the_page_but_cannot_write(staff_client, make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    consultation = _with_council(officer)
    write_to_scrutiny(consultation, officer)
    client, _ = staff_client(Role.SCRUTINY_READER)
    url = reverse("consultations:osc", args=[consultation.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "The letter as sent" in text
    assert "Record the response" not in text and "Add the council" not in text
    response = client.post(
        url,
        {
            "record_response": "1",
            **_date("received_on", timezone.localdate()),
            "position": "agrees",
            "summary": "The committee supports the proposal as it stands.",
        },
    )
    assert response.status_code == 403
    assert not ScrutinyResponse.objects.exists()


def test_the_public_page_publishes_the_dates_and_each_change_without_personal_data(
    client, make_staff
):
    officer = make_staff(Role.ENGAGEMENT_OFFICER, full_name="Priya Officer")
    consultation = _with_council(officer)
    first = write_to_scrutiny(consultation, officer)
    sign_off(consultation)
    services.consultation_open(actor=officer, consultation=consultation)
    later = first.proposed_decision_on + timedelta(weeks=2)
    services.osc_save(
        actor=officer,
        consultation=consultation,
        comments_due_on=first.comments_due_on,
        proposed_decision_on=later,
        joint_committee_name="",
        reason="The board meeting in public moved to the following month.",
    )
    page = client.get(
        reverse("consultations_public:detail", args=[consultation.slug])
    ).content.decode()
    section = page.split("Scrutiny by the council", 1)[1].split("<h2>", 1)[0]
    assert "Health Overview and Scrutiny Committee, Norfolk County Council" in section
    assert gunning.format_date(timezone.localdate()) in section  # the letter's date
    assert gunning.format_date(first.comments_due_on) in section
    assert gunning.format_date(later) in section  # the date now
    assert (
        f"changed from {gunning.format_date(first.proposed_decision_on)} to "
        f"{gunning.format_date(later)}"
    ) in section
    assert "@" not in section
    assert "Priya" not in page and "hosc@norfolk.example" not in page
    assert "Sam Patel" not in page  # the contact in the letter is not published
