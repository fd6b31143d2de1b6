"""Staff pages, the PDF (its text read back with pypdf) and the public pages."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement.models import Response
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.tests.helpers import (
    have_due_regard,
    make_consulted_proposal,
    respond_to_all,
    sign_off_codeframe,
)

pytestmark = pytest.mark.django_db


def test_theme_response_form_says_what_is_missing(staff_client) -> None:
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    made = make_consulted_proposal()
    url = reverse("outcomes:theme", args=[made["proposal"].pk, made["themes"]["Parking"].pk])
    quote = "Parking at the health centre is already full by nine"
    assert quote not in client.get(url).content.decode()  # no consent to publication
    Response.objects.filter(answers__text=quote).update(publish_consent=True)
    # quotes are chosen at sign-off: the next signed-off version can use it
    sign_off_codeframe(made["question"].codeframe, reason="A respondent agreed to publication")
    page = client.get(url).content.decode()
    assert quote in page
    response = client.post(url, {"response": "Noted.", "changed": "no"})
    assert response.status_code == 200
    assert "does not say what was considered" in response.content.decode()
    said = "We will add spaces: the survey showed the car park is full by nine each day."
    response = client.post(url, {"response": said, "changed": "partly"})
    assert response.status_code == 200
    assert "Say how it changed the recommendation" in response.content.decode()
    response = client.post(
        url, {"response": said, "changed": "partly", "how": "Twenty more spaces."}
    )
    assert response.status_code == 302
    page = client.get(reverse("outcomes:proposal", args=[made["proposal"].pk])).content.decode()
    assert "1 without a complete response" in page


def test_decision_page_refuses_until_complete_then_records(staff_client, make_staff) -> None:
    client, decider = staff_client(Role.DECISION_MAKER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    url = reverse("outcomes:decision", args=[proposal.pk])
    data = {
        "decided_on": timezone.localdate().isoformat(),
        "decided_by": "ICB board",
        "decision": "Move the unit.",
        "board_paper_url": "https://example.nhs.uk/paper.pdf",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 themes have no complete response" in page
    assert "Issue the outcome report to the decision makers." in page
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    respond_to_all(proposal, made["themes"], officer)
    services.report_issue(proposal=proposal, actor=officer, issued_to="Board")
    page = client.post(url, data).content.decode()
    assert "record your own regard to the reviewed EqIA" in page
    have_due_regard(proposal, decider)
    assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "decided"


def test_the_pdf_has_the_reports_text_and_is_tagged(staff_client, make_staff) -> None:
    client, user = staff_client(Role.SCRUTINY_READER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    officer = make_staff()
    respond_to_all(proposal, made["themes"], officer)
    services.outcome_update(
        proposal=proposal,
        actor=officer,
        summary="A short summary.",
        why="Safer care.",
        next_steps="We will build the new unit.",
    )
    response = client.get(reverse("outcomes:report_pdf", args=[proposal.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (
        "Outcome report",
        proposal.title,
        "What we consulted on and why",
        "Who responded",
        "What people said",
        "How it was taken into account",
        "Travel to the new site",
        "We added a shuttle bus to the plan.",
        "We will build the new unit.",
    ):
        assert expected in text, expected
    assert reader.metadata is not None and reader.metadata.title == (
        f"Outcome report: {proposal.title}"
    )
    catalog = reader.root_object
    assert "/StructTreeRoot" in catalog  # tagged
    assert str(catalog.get("/Lang", "")).startswith("en")
    event = AuditEvent.objects.get(action=Action.OUTCOME_REPORT_DOWNLOADED)
    assert event.actor_id == user.pk


def test_html_report_and_public_pages(client, staff_client, make_staff) -> None:
    made = make_consulted_proposal()
    proposal = made["proposal"]
    officer = make_staff()
    detail = reverse("outcomes_public:detail", args=[proposal.slug])
    assert client.get(detail).status_code == 404  # not issued yet
    respond_to_all(proposal, made["themes"], officer)
    services.report_issue(proposal=proposal, actor=officer, issued_to="Board members")
    staff, _ = staff_client(Role.ANALYST)
    page = staff.get(reverse("outcomes:report", args=[proposal.pk])).content.decode()
    assert "How it was taken into account" in page and "We added a shuttle bus" in page
    # Issued to the board is not public: it goes public when approved.
    assert client.get(detail).status_code == 404
    assert proposal.title not in client.get(reverse("outcomes_public:index")).content.decode()
    services.publication_approve(
        publication=selectors.pending_publications().get(), actor=make_staff(Role.ADMINISTRATOR)
    )
    listing = client.get(reverse("outcomes_public:index")).content.decode()
    assert proposal.title in listing
    page = client.get(detail).content.decode()
    assert "You said, we did" in page
    assert "Travel to the new site" in page
    assert "We heard about parking and will act on it" in page
    assert "Partly" in page
    # Without our words for what we heard, the question is named as the question, not
    # shown as if someone had said it.
    assert "to “What do you think of the proposal?”)." in page
    assert "): What do you think of the proposal?" not in page
    # The closed consultation's public page points to it instead of promising it.
    from django.utils import timezone

    from heard.servicechange.consultations.models import Consultation

    Consultation.objects.filter(pk=made["consultation"].pk).update(
        document_published_at=timezone.now()
    )
    consultation_page = client.get(
        reverse("consultations_public:detail", args=[made["consultation"].slug])
    ).content.decode()
    assert "We have published what we heard" in consultation_page
    assert detail in consultation_page


def test_the_dashboard_card_for_proposals_mentions_consultations(make_staff, client) -> None:
    from heard.core.roles import Role as _Role

    client.force_login(make_staff(_Role.PROGRAMME_LEAD))
    page = client.get("/staff/").content.decode()
    assert "Proposals for service change" in page
    assert "formal consultations and their outcome reports" in page
