"""Issue 13, items 4 and 9 at the decision: the outcome report is not issued without a
mid-point review; a notifiable reconfiguration is not decided without the notice to the
Secretary of State, nor while a call-in request waits or after a call-in until directions;
the decision checklist says so; the outcome's 12 weeks from the close are tracked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.engagement.models import Activity
from heard.servicechange.assessment import services as assessment
from heard.servicechange.assessment.models import SignificanceArea, SignificanceAssessment
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.models import Decision
from heard.servicechange.outcomes.services import OutcomeRefused
from heard.servicechange.outcomes.tests.helpers import (
    have_due_regard,
    make_consulted_proposal,
    respond_to_all,
)

pytestmark = pytest.mark.django_db

VIEW = "The committee supports the move if the shuttle bus runs from the first day."


def _decide(proposal, actor):
    return lifecycle_services.decision_record(
        proposal=proposal,
        actor=actor,
        decided_on=timezone.localdate(),
        decided_by="NHS Example ICB board",
        decision="Move the unit, with a shuttle bus.",
        board_paper_url="https://example.nhs.uk/board/2026-07.pdf",
    )


def _notifiable(proposal):
    assessment_row = SignificanceAssessment.objects.create(proposal=proposal)
    for area in ("access", "wider_community", "patients", "service_delivery"):
        SignificanceArea.objects.create(
            assessment=assessment_row,
            area=area,
            impact="substantial" if area == "access" else "minor",
            who_affected="People using the unit",
            evidence="Two miles further; one bus an hour.",
        )


def _ready(make_staff, **kwargs):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    made = make_consulted_proposal(**kwargs)
    respond_to_all(made["proposal"], made["themes"], officer)
    return made, officer


def test_no_report_without_a_mid_point_review_and_the_refusal_is_audited(make_staff):
    made, officer = _ready(make_staff, midpoint=False)
    with pytest.raises(OutcomeRefused, match="No mid-point review"):
        services.report_issue(proposal=made["proposal"], actor=officer, issued_to="Board")
    refused = AuditEvent.objects.filter(action=Action.ACT_REFUSED, after__act="outcome.issue")
    assert refused.count() == 1
    assert any("mid-point review" in p for p in selectors.readiness(made["proposal"]))


def test_a_notifiable_reconfiguration_waits_for_the_notice_and_the_call_in(make_staff):
    made, officer = _ready(make_staff)
    proposal = made["proposal"]
    _notifiable(proposal)
    board = make_staff(Role.DECISION_MAKER)
    lead = make_staff(Role.PROGRAMME_LEAD)
    services.report_issue(proposal=proposal, actor=officer, issued_to="Board members")
    with pytest.raises(OutcomeRefused, match="record the notice to the Secretary of State"):
        _decide(proposal, board)
    today = timezone.localdate()
    assessment.reconfiguration_notice_record(
        actor=lead, proposal=proposal, notified_on=today, osc_view=VIEW
    )
    request = assessment.call_in_request_record(
        actor=lead,
        proposal=proposal,
        requested_on=today,
        requested_by="Anyshire County Council health overview and scrutiny committee",
        grounds="The consultation did not reach the villages without a bus.",
    )
    with pytest.raises(OutcomeRefused, match="waiting for the Secretary of State's answer"):
        _decide(proposal, board)
    assessment.call_in_response_record(
        actor=lead,
        proposal=proposal,
        request=request,
        received_on=today,
        outcome="called_in",
        text="The Secretary of State has called in the proposal for a decision.",
    )
    with pytest.raises(OutcomeRefused, match="until the Secretary of State's directions"):
        _decide(proposal, board)
    lines = selectors.reconfiguration_summary(proposal)
    assert "called in" in " ".join(lines)
    assert Decision.objects.count() == 0
    assert (
        AuditEvent.objects.filter(action=Action.ACT_REFUSED, after__act="outcome.decide").count()
        == 3
    )
    assessment.call_in_response_record(
        actor=lead,
        proposal=proposal,
        request=request,
        received_on=today,
        outcome="directions",
        text="The Secretary of State directs that the shuttle bus runs for five years.",
    )
    have_due_regard(proposal, board)  # the decision maker's own regard to the EqIA
    assert selectors.readiness(proposal) == []
    _decide(proposal, board)
    assert Decision.objects.count() == 1


def test_the_checklist_is_not_everything_in_place_without_the_notice(staff_client, make_staff):
    made, officer = _ready(make_staff)
    _notifiable(made["proposal"])
    services.report_issue(proposal=made["proposal"], actor=officer, issued_to="Board members")
    client, _ = staff_client(Role.DECISION_MAKER)
    page = client.get(reverse("outcomes:proposal", args=[made["proposal"].pk])).content.decode()
    assert "Everything needed before a decision is in place." not in page
    assert "record the notice to the Secretary of State" in page
    assert "Secretary of State not told yet" in page


def test_twelve_weeks_from_the_close_overdue_on_the_page_and_the_board_home(
    staff_client, make_staff
):
    made, _ = _ready(make_staff)
    closed = timezone.now() - timedelta(weeks=13)
    Activity.objects.filter(pk=made["consultation"].activity_id).update(
        opens_at=closed - timedelta(weeks=12), closes_at=closed
    )
    due = selectors.publication_due(made["proposal"])
    assert due.overdue and due.due_on == timezone.localdate(closed) + timedelta(weeks=12)
    client, _ = staff_client(Role.DECISION_MAKER)
    page = client.get(reverse("outcomes:proposal", args=[made["proposal"].pk])).content.decode()
    assert "Overdue" in page and "12 weeks from the close" in page
    home = client.get(reverse("staff:dashboard")).content.decode()
    assert "Outcomes overdue (12 weeks from the close)" in home
    assert made["proposal"].title in home
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    home = client.get(reverse("staff:dashboard")).content.decode()
    assert "Outcomes overdue (12 weeks from the close)" in home
