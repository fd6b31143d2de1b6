"""The stage table (``heard.servicechange.proposals.stages``), cell by cell, through the real services.

For every stage of a proposal × every change in the table, the change is tried through a
service that makes it, as an administrator (who may make every change, so only the stage
decides). Where the table refuses, the service refuses with the table's reason before it
changes anything, and the refusal is audited; where the table allows, the stage is never
the reason given (the service may still refuse for its own rules: that is tested where
those rules are). And every service in the four service-change apps that writes to the
record is declared with the table – a new one that is not fails here.
"""

import inspect
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.audit.models import AuditEvent
from heard.audit.services import Action
from heard.core.roles import Role
from heard.engagement.models import Activity
from heard.engagement.tests.factories import ActivityFactory
from heard.servicechange.assessment import services as assessment
from heard.servicechange.assessment.tests.helpers import PDF  # a PDF with a page
from heard.servicechange.consultations import services as consultations
from heard.servicechange.consultations.models import Consultation
from heard.servicechange.outcomes import services as outcomes
from heard.servicechange.proposals import services as proposals
from heard.servicechange.proposals import stages
from heard.servicechange.proposals.domain import Status
from heard.servicechange.proposals.models import Proposal, ProposalEvidence
from heard.servicechange.proposals.stages import Change
from heard.servicechange.proposals.tests.helpers import make_proposal, put_at

pytestmark = pytest.mark.django_db


def _with_consultation(proposal: Proposal) -> Consultation:
    """A consultation still in draft (so the proposal's own stage is the effective one)."""
    now = timezone.now()
    activity: Activity = ActivityFactory(  # type: ignore[assignment]
        title=f"Consultation {proposal.pk}",
        slug=f"consultation-{proposal.pk}",
        status="draft",
        opens_at=now + timedelta(days=7),
        closes_at=now + timedelta(weeks=14),
    )
    return Consultation.objects.create(
        proposal=proposal, activity=activity, slug=f"consultation-{proposal.pk}"
    )


def _c(p: Proposal) -> Consultation:
    return p.consultation


# One service per change, called as a member of staff would call it.
TRIES: dict[Change, Callable[[Any, Proposal], Any]] = {
    Change.EDIT_PROPOSAL: lambda a, p: proposals.proposal_update(
        proposal=p,
        actor=a,
        title="Move the unit to the new health centre",
        description=p.description,
    ),
    Change.MAKE_PRIVATE: lambda a, p: proposals.proposal_set_private(
        proposal=p, actor=a, is_private=True, reason="Negotiations with the landlord are under way."
    ),
    Change.PLAN_ENGAGEMENT: lambda a, p: proposals.plan_update(
        proposal=p,
        actor=a,
        seldom_heard="The Gypsy and Traveller liaison service will visit the sites.",
        timeline="Listening events in the spring, a survey in the summer.",
    ),
    Change.RECORD_EVIDENCE: lambda a, p: proposals.evidence_record(
        proposal=p, actor=a, note="The 2025 survey of the unit's patients about opening hours."
    ),
    Change.REMOVE_EVIDENCE: lambda a, p: proposals.evidence_remove(
        evidence=ProposalEvidence.objects.create(
            proposal=p, note="Healthwatch's report on the unit (2024)."
        ),
        actor=a,
    ),
    Change.APPRAISE_OPTIONS: lambda a, p: assessment.option_save(
        actor=a, proposal=p, title="Extend the opening hours"
    ),
    Change.ASSESS_SIGNIFICANCE: lambda a, p: assessment.bed_closures_save(
        actor=a, proposal=p, significant=True
    ),
    Change.OVERRIDE_SIGNIFICANCE: lambda a, p: assessment.significance_override(
        actor=a,
        proposal=p,
        consultation_required=True,
        reason="Strong public concern about travel to the new site.",
    ),
    Change.RECORD_URGENT_PATH: lambda a, p: assessment.urgent_path_record(
        actor=a,
        proposal=p,
        reason="A fire risk found in the building by the fire service.",
        notice_sent_on=timezone.localdate(),
        notice_to="Norfolk County Council HOSC chair",
        notice_text="We are closing the unit today because of a fire risk.",
    ),
    Change.RECORD_ASSURANCE: lambda a, p: assessment.assurance_test_save(
        actor=a, proposal=p, test="engagement", evidence="Twelve listening events and a survey."
    ),
    Change.ATTACH_EQIA: lambda a, p: assessment.eqia_attach(
        actor=a, proposal=p, title="EqIA", file=ContentFile(PDF, name="eqia.pdf")
    ),
    Change.REVIEW_EQIA: lambda a, p: assessment.eqia_review(
        actor=a, proposal=p, notes="Considered against what people said, at the board seminar."
    ),
    Change.RECORD_DUE_REGARD: lambda a, p: assessment.due_regard_record(
        actor=a,
        proposal=p,
        statement=(
            "I read the reviewed EqIA: older people lose most, and the shuttle bus is the "
            "mitigation I weighed before deciding."
        ),
    ),
    Change.NOTIFY_RECONFIGURATION: lambda a, p: assessment.reconfiguration_notice_record(
        actor=a, proposal=p, notified_on=timezone.localdate(), osc_view="Supportive of the change."
    ),
    Change.RECORD_CALL_IN: lambda a, p: assessment.call_in_request_record(
        actor=a,
        proposal=p,
        requested_on=timezone.localdate(),
        requested_by="Norfolk County Council HOSC",
        grounds="The consultation did not reach the villages without a bus.",
    ),
    Change.CREATE_CONSULTATION: lambda a, p: consultations.consultation_create(actor=a, proposal=p),
    Change.PREPARE_CONSULTATION: lambda a, p: consultations.council_add(
        actor=a,
        consultation=_c(p),
        name="Norfolk County Council",
        committee="Health Overview and Scrutiny Committee",
        contact_email="hosc@norfolk.example",
    ),
    Change.SET_CONSULTATION_DATES: lambda a, p: consultations.dates_save(
        actor=a,
        consultation=_c(p),
        opens_at=timezone.now() + timedelta(days=8),
        closes_at=timezone.now() + timedelta(weeks=15),
        justification="",
    ),
    Change.PROMOTE_CONSULTATION: lambda a, p: consultations.mailout_queue(
        actor=a,
        consultation=_c(p),
        subject="Have your say on the minor injuries unit",
        message="We are consulting on moving the minor injuries unit.",
        group_ids=[],
        include_members=True,
        base_url="https://heard.example",
    ),
    Change.CORRECT_CONSULTATION_DOCUMENT: lambda a, p: consultations.document_correct(
        actor=a,
        consultation=_c(p),
        bodies={"costs": "£420,000 capital."},
        reason="The capital cost was printed as £42,000: it is £420,000.",
    ),
    Change.CORRESPOND_WITH_OSC: lambda a, p: consultations.osc_save(
        actor=a,
        consultation=_c(p),
        comments_due_on=timezone.localdate() + timedelta(weeks=16),
        proposed_decision_on=timezone.localdate() + timedelta(weeks=20),
        joint_committee_name="",
    ),
    Change.MIDPOINT_REVIEW: lambda a, p: consultations.midpoint_record(
        actor=a, consultation=_c(p), action_taken="A drop-in at the men's shed in Eastham."
    ),
    Change.CONSIDER_RESPONSES: lambda a, p: outcomes.outcome_update(
        proposal=p,
        actor=a,
        summary="Most people who answered wanted the unit kept in the town.",
        why="Travel to the health centre is hard without a car.",
        next_steps="The board decides in March.",
    ),
    Change.ISSUE_REPORT: lambda a, p: outcomes.report_issue(
        proposal=p, actor=a, issued_to="The ICB board meeting of 3 March"
    ),
    Change.RECORD_DECISION: lambda a, p: outcomes.decision_record(
        proposal=p,
        actor=a,
        decided_on=timezone.localdate(),
        decided_by="The ICB board",
        decision="The unit moves to the health centre, with a shuttle bus.",
        board_paper_url="https://icb.example/board/2027-03/paper-7.pdf",
    ),
    Change.PUBLISH_OUTCOME: lambda a, p: outcomes.outcome_publication_submit(proposal=p, actor=a),
}

CELLS = [(status, change) for change in Change for status in Status]


def test_every_change_in_the_table_is_tried():
    assert set(TRIES) == set(Change)


@pytest.mark.parametrize(("status", "change"), CELLS, ids=[f"{c}@{s}" for s, c in CELLS])
def test_each_cell_of_the_stage_table(status: Status, change: Change) -> None:
    admin = staff_member(Role.ADMINISTRATOR)
    proposal = make_proposal(title=f"Move the minor injuries unit ({change}, {status})")
    if change != Change.CREATE_CONSULTATION:
        _with_consultation(proposal)
    proposal = put_at(proposal, status)
    events_before = AuditEvent.objects.exclude(action=Action.ACT_REFUSED).count()
    reason = stages.refusal(status, change)
    raised: BaseException | None = None
    try:
        TRIES[change](admin, proposal)
    except Exception as exc:  # any refusal is examined below
        raised = exc
    if stages.allows(status, change):
        assert reason == ""
        assert not getattr(raised, "stage_refused", False), raised
        # Where the service's own rules refuse, they refuse as they always do: with one
        # of the app's refusals, never a crash (a TypeError here is a broken call).
        assert raised is None or isinstance(raised, ValueError | ValidationError), raised
        return
    assert reason, "a refused cell has a reason"
    assert raised is not None and getattr(raised, "stage_refused", False), raised
    assert getattr(raised, "change", None) == change
    assert reason in str(getattr(raised, "message", "") or raised)
    # Nothing changed, and the refusal itself is evidence.
    assert AuditEvent.objects.exclude(action=Action.ACT_REFUSED).count() == events_before
    refused = AuditEvent.objects.filter(action=Action.ACT_REFUSED).order_by("pk").last()
    assert refused is not None and (refused.after or {})["reason"] == reason
    assert refused.actor_id == admin.pk
    proposal.refresh_from_db()
    assert proposal.status == status


def test_a_consultation_open_by_its_dates_freezes_what_it_consulted_on_before_the_clock_runs():
    """Scheduled, and its opening time has passed, but Heard's clock has not yet moved the
    proposal on: what people can already respond to is frozen all the same."""
    admin = staff_member(Role.ADMINISTRATOR)
    proposal = put_at(make_proposal(), Status.ASSURANCE)
    consultation = _with_consultation(proposal)
    activity = consultation.activity
    activity.status = "scheduled"
    activity.opens_at = timezone.now() - timedelta(minutes=5)
    activity.save()
    with pytest.raises(Exception) as refused:
        TRIES[Change.APPRAISE_OPTIONS](admin, proposal)
    assert getattr(refused.value, "stage_refused", False)
    assert "\u201cFormal consultation\u201d" in str(refused.value)


# Functions of the four apps' service modules that are not changes to the record of a
# service change, and why.
NOT_IN_THE_TABLE = {
    "proposal_create": "creates the proposal: there is no stage yet",
    "proposal_transition": "moves between stages: domain.TRANSITIONS decides",
    "report_downloaded": "records that the report was read; changes nothing",
    "mailout_send": "the task that sends a mailout already queued under the table",
    "feedback_publication_submit": "an activity's feedback, outside any proposal",
}


@pytest.mark.parametrize("module", [proposals, assessment, consultations, outcomes])
def test_every_service_that_changes_the_record_reads_the_table(module: Any) -> None:
    undeclared = []
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if function.__module__ != module.__name__ or name.startswith("_"):
            continue
        if "actor" not in inspect.signature(function).parameters and not hasattr(
            function, "heard_change"
        ):
            continue  # a reader or a helper, not a service acting for someone
        declared = getattr(function, "heard_change", None) or getattr(
            getattr(function, "__wrapped__", None), "heard_change", None
        )
        if declared is None and name not in NOT_IN_THE_TABLE:
            undeclared.append(name)
    assert undeclared == []


def test_the_proposal_page_says_what_can_change_at_its_stage(staff_client):
    from django.urls import reverse

    client, _ = staff_client(Role.PROGRAMME_LEAD)
    proposal = put_at(make_proposal(), Status.DECIDED)
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    allowed, _, refused = page.partition("Not at this stage:")
    assert "What can change at decided" in allowed
    assert stages.CHANGE_LABELS[Change.PUBLISH_OUTCOME] in allowed
    assert stages.CHANGE_LABELS[Change.APPRAISE_OPTIONS] in refused.split("</details>")[0]
