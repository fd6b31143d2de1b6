"""The staff pages: forms, validation, wrong roles, bad input, files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.servicechange.assessment import selectors
from heard.servicechange.assessment.models import AssuranceTest, Option
from heard.servicechange.assessment.tests.helpers import (
    AREAS_NONE,
    PDF,
    attach_eqia,
    make_appraisal,
    make_proposal,
    make_significance,
    pass_stage1,
)
from heard.servicechange.lifecycle.facts import facts as lifecycle_facts
from heard.servicechange.proposals.tests.helpers import put_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name: str, proposal, **kwargs) -> str:
    return reverse(f"assessment:{name}", kwargs={"pk": proposal.pk, **kwargs})


def test_add_options_including_do_nothing_and_set_one_aside(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = make_proposal()
    response = client.post(
        url("option_add", proposal),
        {"title": "Do nothing", "is_do_nothing": "on", "estimated_cost": "£0"},
    )
    assert response.status_code == 302
    response = client.post(
        url("option_add", proposal), {"title": "Also nothing", "is_do_nothing": "on"}
    )
    assert response.status_code == 400
    assert "is already the “do nothing” option" in response.content.decode()
    client.post(url("option_add", proposal), {"title": "New build"})
    new = Option.objects.get(title="New build")
    response = client.post(
        url("option_edit", proposal, option_id=new.pk), {"title": "New build", "set_aside": "on"}
    )
    assert response.status_code == 400
    assert "Give the reason for setting this option aside" in response.content.decode()
    client.post(
        url("option_edit", proposal, option_id=new.pk),
        {"title": "New build", "set_aside": "on", "set_aside_reason": "No site available."},
    )
    page = client.get(url("options", proposal)).content.decode()
    assert "No site available." in page and "Set aside" in page and "Do nothing" in page
    # the add form submitted twice: the second is refused, nothing doubles
    response = client.post(url("option_add", proposal), {"title": "new build"})
    assert response.status_code == 400
    assert "There is already an option called “new build”" in response.content.decode()
    assert proposal.options.count() == 2


def test_pages_carry_the_section_navigation(staff_client):
    client, _ = staff_client(Role.SCRUTINY_READER)
    proposal = make_appraisal()
    for name in ("options", "criteria", "panels", "results", "significance", "assurance"):
        page = client.get(url(name, proposal)).content.decode()
        assert page.count("nhsuk-contents-list__item") == 6, name
        assert page.count('aria-current="page"') == 1, name
        for other in ("options", "criteria", "panels", "results", "significance", "assurance"):
            if other != name:
                assert f'href="{url(other, proposal)}"' in page, (name, other)


def test_option_of_another_proposal_is_not_found(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = make_appraisal()
    other = make_proposal("Other")
    response = client.get(url("option_edit", other, option_id=proposal.options.first().pk))
    assert response.status_code == 404


def test_criterion_weight_validation(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    proposal = make_proposal()
    response = client.post(url("criterion_add", proposal), {"name": "Access", "weight": "-3"})
    assert response.status_code == 400
    assert "The weight cannot be negative" in response.content.decode()
    response = client.post(url("criterion_add", proposal), {"name": "Access", "weight": "lots"})
    assert "Enter the weight as a number" in response.content.decode()
    client.post(url("criterion_add", proposal), {"name": "Access", "weight": "30"})
    client.post(url("criterion_add", proposal), {"name": "Cost", "weight": "10"})
    response = client.post(url("criterion_add", proposal), {"name": "cost", "weight": "10"})
    assert "There is already a criterion called “cost”" in response.content.decode()
    page = client.get(url("criteria", proposal)).content.decode()
    assert "75.0%" in page and "25.0%" in page


def test_score_grid_checks_ranges_and_lists_missing_scores(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = make_appraisal()
    panel = proposal.panels.create(name="Staff side", position=3)
    options, criteria = list(proposal.options.all()), list(proposal.criteria.all())
    first = f"score_{options[0].pk}_{criteria[0].pk}"
    response = client.post(url("panel_scores", proposal, panel_id=panel.pk), {first: "7"})
    assert response.status_code == 400
    assert "the highest score is 5" in response.content.decode()
    assert not panel.scores.exists()
    response = client.post(
        url("panel_scores", proposal, panel_id=panel.pk), {first: "4"}, follow=True
    )
    page = response.content.decode()
    assert "8 scores are still missing" in page
    assert "8 scores missing" in page
    assert f"{options[2].title}: {criteria[2].name}" in page
    data = {f"score_{o.pk}_{c.pk}": "3" for o in options for c in criteria}
    response = client.post(url("panel_scores", proposal, panel_id=panel.pk), data)
    assert response["Location"] == url("results", proposal)


def test_results_show_ranking_chart_table_and_sensitivity(staff_client):
    client, _ = staff_client(Role.SCRUTINY_READER)
    proposal = make_appraisal()
    page = client.get(url("results", proposal)).content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "Options ranked by combined weighted score" in page
    assert "3.75" in page and "3.55" in page and "2.6" in page
    assert "Robust: moving any single criterion" in page
    assert page.count("−20%") == 3 and page.count("+20%") == 3
    assert "Add an option" not in client.get(url("options", proposal)).content.decode()


def test_results_before_scores_say_what_is_missing(staff_client):
    client, _ = staff_client(Role.ANALYST)
    page = client.get(url("results", make_proposal())).content.decode()
    assert "Add at least two options." in page


def _significance_post(substantial: bool) -> dict[str, str]:
    data = {"summary": "Our reasoning"}
    for area, row in AREAS_NONE.items():
        data[f"{area}_impact"] = (
            "substantial" if substantial and area == "access" else str(row["impact"])
        )
        data[f"{area}_who_affected"] = str(row["who_affected"])
        data[f"{area}_how_many"] = str(row["how_many"])
        data[f"{area}_evidence"] = str(row["evidence"])
    return data


def test_significance_form_and_determination(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = put_at(make_proposal(), "significance_assessment")
    incomplete = _significance_post(True)
    del incomplete["patients_evidence"]
    incomplete["wider_community_how_many"] = "-2"
    response = client.post(url("significance_edit", proposal), incomplete)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Patients or users: give the evidence" in page
    assert "Wider community: the number of people cannot be negative" in page
    response = client.post(
        url("significance_edit", proposal), _significance_post(True), follow=True
    )
    page = response.content.decode()
    assert "Formal consultation required; the OSC must be consulted" in page
    assert "The impact on access is substantial" in page
    assert "Notifiable reconfiguration" in page
    assert "Only an administrator or a decision maker may override" in page


@pytest.mark.parametrize(
    "role", [Role.PROGRAMME_LEAD, Role.ENGAGEMENT_OFFICER, Role.SCRUTINY_READER]
)
def test_override_by_a_role_that_may_not_is_forbidden(staff_client, role):
    client, _ = staff_client(role)
    proposal = make_significance(make_proposal(), substantial=True)
    response = client.post(
        url("significance_override", proposal), {"consultation_required": "no", "reason": "Small"}
    )
    assert response.status_code == 403
    assert selectors.significance_for(proposal).override is None
    assert not AuditEvent.objects.filter(action=Action.SIGNIFICANCE_OVERRIDDEN.value).exists()


def test_override_by_a_decision_maker_is_shown_with_the_determination(staff_client):
    client, _ = staff_client(Role.DECISION_MAKER)
    proposal = make_significance(make_proposal(), substantial=False)
    response = client.post(url("significance_override", proposal), {"consultation_required": "yes"})
    assert response.status_code == 400
    assert "Give the reasons for the override" in response.content.decode()
    response = client.post(
        url("significance_override", proposal),
        {"consultation_required": "yes", "reason": "Strong feeling locally."},
        follow=True,
    )
    page = response.content.decode()
    assert "Formal consultation required; the OSC must be consulted (overridden)" in page
    assert "Strong feeling locally." in page
    assert lifecycle_facts(proposal).consultation_required


def test_override_before_an_assessment_redirects_with_a_message(staff_client):
    client, _ = staff_client(Role.ADMINISTRATOR)
    response = client.get(url("significance_override", make_proposal()), follow=True)
    assert "Complete the significance assessment before overriding it." in response.content.decode()


def test_urgent_path_form(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = put_at(make_proposal(), "significance_assessment")
    response = client.post(
        url("urgent_path", proposal), {"reason": "Unsafe", "notice_sent_on": "2026-02-31"}
    )
    assert response.status_code == 400
    assert "must be a real date" in response.content.decode()
    response = client.post(
        url("urgent_path", proposal),
        {
            "reason": "Unsafe ceiling",
            "notice_sent_on": timezone.localdate().isoformat(),
            "notice_to": "HOSC chair, Norfolk County Council",
            "notice_text": "We closed the unit today.",
        },
        follow=True,
    )
    assert "HOSC chair, Norfolk County Council" in response.content.decode()
    assert lifecycle_facts(proposal).urgent_path_recorded


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("eqia.exe", b"MZ\x90\x00", "must be a PDF, Word (.docx) or OpenDocument (.odt) file"),
        ("eqia.pdf", b"not really a pdf", "The file is not a real PDF file"),
        ("eqia.docx", b"%PDF-1.4", "The file is not a real DOCX file"),
        ("eqia.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "smaller than 10 MB"),
    ],
)
def test_eqia_upload_refuses_wrong_type_or_size(staff_client, name, content, message):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    proposal = make_proposal()
    response = client.post(
        url("eqia_attach", proposal), {"title": "EqIA", "file": _upload(name, content)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert selectors.eqia_for(proposal) is None


def test_eqia_attach_download_and_review(staff_client, client, make_staff):
    officer, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    proposal = make_proposal()
    response = officer.post(
        url("eqia_attach", proposal), {"title": "EqIA March", "file": _upload("eqia.pdf", PDF)}
    )
    assert response.status_code == 302
    download = officer.get(url("eqia_download", proposal))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert officer.get(url("eqia_review", proposal)).status_code == 403
    client.force_login(make_staff(Role.DECISION_MAKER))
    response = client.post(
        url("eqia_review", proposal), {"notes": "Considered in full."}, follow=True
    )
    page = response.content.decode()
    assert "Considered in full." in page and "Not reviewed yet" not in page


def test_assurance_test_with_document_and_patient_care_condition(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = put_at(make_proposal(), "significance_assessment")
    assert client.get(url("assurance_test", proposal, test="made_up")).status_code == 404
    response = client.post(
        url("assurance_test", proposal, test="patient_care"), {"evidence": "Beds"}
    )
    assert response.status_code == 400
    assert "Choose which of the three conditions is met" in response.content.decode()
    response = client.post(
        url("assurance_test", proposal, test="engagement"),
        {"evidence": "Twelve events, 900 responses", "document": _upload("notes.pdf", PDF)},
    )
    assert response.status_code == 302
    record = AssuranceTest.objects.get(proposal=proposal, test="engagement")
    assert record.document
    got = client.get(url("test_document", proposal, test="engagement"))
    assert b"".join(got.streaming_content) == PDF
    page = client.get(url("assurance", proposal)).content.decode()
    assert "Twelve events, 900 responses" in page
    assert "Patient care test" not in page  # no significant bed closures
    client.post(url("bed_closures", proposal), {"significant": "yes"})
    assert "Patient care test" in client.get(url("assurance", proposal)).content.decode()


def test_checkpoint_form(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = pass_stage1(attach_eqia(make_proposal()))
    today = timezone.localdate().isoformat()
    assert client.get(url("checkpoint", proposal, stage=3)).status_code == 404
    response = client.post(
        url("checkpoint", proposal, stage=2),
        {"outcome": "passed_with_conditions", "held_on": today},
    )
    assert response.status_code == 400
    assert "Give the conditions it passed with" in response.content.decode()
    client.post(url("checkpoint", proposal, stage=2), {"outcome": "passed", "held_on": today})
    assert selectors.stage2_passed(proposal)
    page = client.get(url("assurance", proposal)).content.decode()
    assert "Stage 2: assurance checkpoint" in page and "Passed" in page


def test_remove_a_criterion_and_a_panel_with_their_scores(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = make_appraisal()
    criterion = proposal.criteria.get(name="Cost")
    panel = proposal.panels.get(name="Clinicians")
    page = client.get(url("criterion_edit", proposal, criterion_id=criterion.pk)).content.decode()
    assert "Remove this criterion" in page
    assert (
        client.get(url("criterion_remove", proposal, criterion_id=criterion.pk)).status_code == 405
    )
    client.post(url("criterion_remove", proposal, criterion_id=criterion.pk))
    client.post(url("panel_remove", proposal, panel_id=panel.pk))
    assert list(proposal.criteria.values_list("name", flat=True)) == ["Quality of care", "Access"]
    assert list(proposal.panels.values_list("name", flat=True)) == ["Public reference group"]
    removed = AuditEvent.objects.get(action=Action.CRITERION_REMOVED.value)
    assert removed.before["name"] == "Cost" and len(removed.before["scores"]) == 6
    assert len(AuditEvent.objects.get(action=Action.PANEL_REMOVED.value).before["scores"]) == 6
    summary = selectors.appraisal_summary(proposal)
    assert len(summary.sensitivity) == 4 and len(summary.panels) == 1


def test_significance_numbers_read_naturally(staff_client):
    from heard.servicechange.assessment import services
    from heard.servicechange.assessment.tests.helpers import AREAS_NONE

    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = put_at(make_proposal(), "significance_assessment")
    areas = {k: dict(v) for k, v in AREAS_NONE.items()}
    areas["access"]["how_many"] = 38000
    areas["patients"]["how_many"] = 0
    areas["service_delivery"]["how_many"] = 1
    areas["wider_community"]["impact"] = "none"
    services.significance_save(
        actor=staff_member(Role.PROGRAMME_LEAD), proposal=proposal, areas=areas, summary="Reasoning"
    )
    page = client.get(url("significance", proposal)).content.decode()
    assert "(about 38,000 people)" in page
    assert "(about 1 person)" in page
    assert "about 0 people" not in page
    assert "none impact" not in page and "Wider community: no impact." in page
