"""The public consultation document in plain English: reasons written for the public,
abbreviations explained on first use, the EqIA linked, a PDF to print."""

import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from pypdf import PdfReader

from heard.accounts.tests.factories import staff_member
from heard.core.roles import Role
from heard.servicechange.consultations import plain, prefill, services
from heard.servicechange.consultations.tests.helpers import passing_consultation

pytestmark = pytest.mark.django_db


def test_abbreviations_are_spelt_out_the_first_time_only():
    out = plain.explain_first_use(
        [
            ("proposal", "The proposal", "We will tell the OSC. The ICB decides."),
            ("osc", "Scrutiny", "The OSC meets in May; the EqIA and A&E are covered."),
            ("x", "Already", "The overview and scrutiny committee (OSC) again."),
        ]
    )
    first, second, third = (text for _, _, text in out)
    assert first == (
        "We will tell the overview and scrutiny committee (OSC). "
        "The integrated care board (ICB) decides."
    )
    assert second == (
        "The OSC meets in May; the equality impact assessment (EqIA) and "
        "accident and emergency (A&E) are covered."
    )
    assert third == "The overview and scrutiny committee (OSC) again."
    # Not inside other words, and never twice when the words are already there.
    assert plain.explain_first_use([("k", "h", "JOSCELYN and BOSC")])[0][2] == "JOSCELYN and BOSC"
    assert (
        plain.explain_first_use([("k", "h", "the joint overview and scrutiny committee (JOSC)")])[
            0
        ][2]
        == "the joint overview and scrutiny committee (JOSC)"
    )


def test_reasons_are_written_for_the_public_not_as_appraisal_output():
    criterion = lambda name: SimpleNamespace(name=name)  # noqa: E731
    summary = SimpleNamespace(
        criteria=[(criterion("Travel time"), 40.0), (criterion("GP access"), 60.0)],
        top=[SimpleNamespace(title="Move to the health centre")],
        top_robust=True,
        weights_agreed_by="the patient reference group",
    )
    text = prefill.plain_reasons(summary)
    assert text.startswith(
        "We compared the options on what matters most, agreed with the patient reference "
        "group: GP access and travel time."
    )
    assert "Move to the health centre came out best overall." in text
    assert "would not change which option came out best" in text
    assert "Robust" not in text and "%" not in text and "criterion" not in text
    close = SimpleNamespace(**{**summary.__dict__, "top_robust": False, "weights_agreed_by": ""})
    assert "The result is close" in prefill.plain_reasons(close)


def test_the_public_page_links_the_eqia_and_a_pdf_of_the_document(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    consultation = passing_consultation()
    section = consultation.sections.get(key="proposal")
    services.section_save(
        actor=staff_member(Role.ENGAGEMENT_OFFICER),
        section=section,
        body="We will ask the OSC for its view.",
    )
    services.document_publish(
        actor=staff_member(Role.ENGAGEMENT_OFFICER), consultation=consultation
    )
    # version 2: reviewed again before it opens
    services.documents_review(
        actor=staff_member(Role.PROGRAMME_LEAD),
        consultation=consultation,
        note="Checked the new wording of the proposal against the appraisal.",
    )
    services.consultation_open(
        actor=staff_member(Role.ENGAGEMENT_OFFICER), consultation=consultation
    )
    page = client.get(reverse("consultations_public:detail", args=[consultation.slug]))
    html = page.content.decode()
    assert "We will ask the overview and scrutiny committee (OSC) for its view." in html
    # The sections come in the document's order on every database (jsonb sorts keys).
    assert html.index('id="section-proposal"') < html.index('id="section-eqia"')
    eqia_url = reverse("consultations_public:eqia", args=[consultation.slug])
    pdf_url = reverse("consultations_public:document_pdf", args=[consultation.slug])
    assert eqia_url in html and pdf_url in html
    eqia = client.get(eqia_url)
    assert eqia.status_code == 200 and b"".join(eqia.streaming_content).startswith(b"%PDF")
    pdf = client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "overview and scrutiny committee (OSC)" in text and "consultation document" in text
