"""Writing options, scores, significance and assurance: rules kept, every change audited."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.servicechange.assessment import selectors, services
from heard.servicechange.assessment.models import Checkpoint, Option, Score
from heard.servicechange.assessment.tests.helpers import (
    AREAS_NONE,
    PDF,
    attach_eqia,
    make_appraisal,
    make_proposal,
    make_significance,
    pass_stage1,
    pass_stage2,
)
from heard.servicechange.proposals.tests.helpers import put_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def events(action: Action) -> int:
    return AuditEvent.objects.filter(action=action.value).count()


def test_only_one_do_nothing_option(make_staff):
    actor = make_staff(Role.PROGRAMME_LEAD)
    proposal = make_proposal()
    services.option_save(actor=actor, proposal=proposal, title="Do nothing", is_do_nothing=True)
    with pytest.raises(ValidationError, match="already a “do nothing” option"):
        services.option_save(actor=actor, proposal=proposal, title="Stay", is_do_nothing=True)
    assert events(Action.OPTION_SAVED) == 1


def test_setting_an_option_aside_needs_a_reason_and_is_audited(make_staff):
    actor = make_staff(Role.PROGRAMME_LEAD)
    proposal = make_proposal()
    option = services.option_save(actor=actor, proposal=proposal, title="Build new")
    with pytest.raises(ValidationError, match="reason"):
        services.option_save(
            actor=actor, proposal=proposal, option=option, title="Build new", set_aside=True
        )
    services.option_save(
        actor=actor,
        proposal=proposal,
        option=option,
        title="Build new",
        set_aside=True,
        set_aside_reason="Costs three times the budget.",
    )
    option.refresh_from_db()
    assert option.set_aside and option.set_aside_reason == "Costs three times the budget."
    event = AuditEvent.objects.get(action=Action.OPTION_SET_ASIDE.value)
    assert event.before["set_aside"] is False and event.after["set_aside"] is True


def test_the_preferred_mark_moves(make_staff):
    actor = make_staff(Role.PROGRAMME_LEAD)
    proposal = make_proposal()
    a = services.option_save(actor=actor, proposal=proposal, title="Option A", is_preferred=True)
    b = services.option_save(actor=actor, proposal=proposal, title="Option B", is_preferred=True)
    a.refresh_from_db()
    assert not a.is_preferred and b.is_preferred
    event = AuditEvent.objects.filter(action=Action.OPTION_SAVED.value).first()
    assert event.after["preferred_mark_moved_from_option"] == [a.pk]


def test_scores_are_checked_and_saving_twice_records_one_event(make_staff):
    actor = make_staff(Role.PROGRAMME_LEAD)
    proposal = make_appraisal(actor=actor)
    panel = proposal.panels.first()
    option = proposal.options.first()
    criterion = proposal.criteria.first()
    with pytest.raises(ValidationError, match="from 0 to 5"):
        services.scores_save(actor=actor, panel=panel, scores={(option.pk, criterion.pk): 6})
    other = make_appraisal(make_proposal("Another"))
    with pytest.raises(ValidationError, match="another proposal"):
        services.scores_save(
            actor=actor, panel=panel, scores={(other.options.first().pk, criterion.pk): 3}
        )
    before = events(Action.SCORES_SAVED)
    for _ in range(2):
        missing = services.scores_save(
            actor=actor, panel=panel, scores={(option.pk, criterion.pk): 0}
        )
    assert missing == []
    assert events(Action.SCORES_SAVED) == before + 1
    missing = services.scores_save(
        actor=actor, panel=panel, scores={(option.pk, criterion.pk): None}
    )
    assert missing == [(option.pk, criterion.pk)]
    assert not Score.objects.filter(panel=panel, option=option, criterion=criterion).exists()


def test_weights_agreed_records_who_and_when(make_staff):
    actor = make_staff(Role.ENGAGEMENT_OFFICER)
    proposal = make_appraisal()
    services.weights_agreed(
        actor=actor, proposal=proposal, agreed_by="Joint workshop", agreed_on=date(2026, 2, 3)
    )
    summary = selectors.appraisal_summary(proposal)
    assert summary.weights_agreed_by == "Joint workshop"
    assert summary.weights_agreed_on == date(2026, 2, 3)
    event = AuditEvent.objects.get(action=Action.WEIGHTS_AGREED.value)
    assert event.after["weights"] == {
        "Quality of care": "50.00",
        "Access": "30.00",
        "Cost": "20.00",
    }


def test_criterion_weight_cannot_be_negative():
    with pytest.raises(ValidationError, match="cannot be negative"):
        services.criterion_save(
            actor=staff_member(Role.PROGRAMME_LEAD),
            proposal=make_proposal(),
            name="Quality of care",
            weight=Decimal(-1),
        )


def test_significance_needs_all_four_areas_with_who_and_evidence():
    proposal = put_at(make_proposal(), "significance_assessment")
    areas = {k: dict(v) for k, v in AREAS_NONE.items()}
    del areas["patients"]
    with pytest.raises(ValidationError, match="all four"):
        services.significance_save(
            actor=staff_member(Role.PROGRAMME_LEAD), proposal=proposal, areas=areas
        )
    areas = {k: dict(v) for k, v in AREAS_NONE.items()}
    areas["access"]["evidence"] = "  "
    with pytest.raises(ValidationError, match="Access: the evidence for the impact"):
        services.significance_save(
            actor=staff_member(Role.PROGRAMME_LEAD), proposal=proposal, areas=areas
        )


def test_significance_saved_twice_keeps_one_row_per_area():
    proposal = make_proposal()
    make_significance(proposal, substantial=False)
    make_significance(proposal, substantial=True)
    view = selectors.significance_for(proposal)
    assert len(view.areas) == 4
    assert view.consultation_required
    assert events(Action.SIGNIFICANCE_ASSESSED) == 2


@pytest.mark.parametrize(
    "role", [Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD, Role.ANALYST, Role.SCRUTINY_READER]
)
def test_override_refused_for_a_role_that_may_not(make_staff, role):
    proposal = make_significance(make_proposal(), substantial=False)
    with pytest.raises(PermissionDenied):
        services.significance_override(
            actor=make_staff(role), proposal=proposal, consultation_required=True, reason="Because"
        )
    assert events(Action.SIGNIFICANCE_OVERRIDDEN) == 0


def test_override_by_a_decision_maker_needs_reasons_and_a_complete_assessment(make_staff):
    actor = make_staff(Role.DECISION_MAKER, full_name="Dana Board")
    proposal = put_at(make_proposal(), "significance_assessment")
    with pytest.raises(ValidationError, match="Complete"):
        services.significance_override(
            actor=actor,
            proposal=proposal,
            consultation_required=True,
            reason="Strong public concern about travel.",
        )
    make_significance(proposal, substantial=False)
    with pytest.raises(ValidationError, match="reasons"):
        services.significance_override(
            actor=actor, proposal=proposal, consultation_required=True, reason=" "
        )
    for placeholder in ("x", "ok", "n/a"):
        with pytest.raises(ValidationError, match="reasons for the override") as refused:
            services.significance_override(
                actor=actor, proposal=proposal, consultation_required=True, reason=placeholder
            )
        assert "reason" in refused.value.message_dict
    services.significance_override(
        actor=actor, proposal=proposal, consultation_required=True, reason="Strong public concern."
    )
    view = selectors.significance_for(proposal)
    assert view.consultation_required and not view.determination_result.required_by_rules
    assert view.override.by == actor
    assert any(
        "Dana Board (decision maker)" in r and "Strong public concern." in r for r in view.reasons
    )
    assert view.determination.endswith("(overridden)")


def test_urgent_path_and_notice_are_recorded(make_staff):
    actor = make_staff(Role.PROGRAMME_LEAD)
    proposal = make_proposal()
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.reconfiguration_notice_record(
            actor=actor, proposal=proposal, notified_on=today, osc_view="Supportive of the move"
        )
    make_significance(proposal, substantial=True)
    services.reconfiguration_notice_record(
        actor=actor, proposal=proposal, notified_on=today, osc_view="Supportive of the move"
    )
    services.urgent_path_record(
        actor=actor,
        proposal=proposal,
        reason="Fire safety",
        notice_sent_on=today,
        notice_to="Norfolk County Council HOSC chair",
        notice_text="We are closing the unit today because…",
    )
    view = selectors.significance_for(proposal)
    assert view.notice.osc_view == "Supportive of the move"
    assert view.urgent.notice_to == "Norfolk County Council HOSC chair"
    assert view.determination_result.urgent and not view.notifiable
    assert events(Action.URGENT_PATH_RECORDED) == 1
    assert events(Action.RECONFIGURATION_NOTIFIED) == 1


def test_stage2_follows_the_latest_checkpoint():
    proposal = make_proposal()
    assert not selectors.stage2_passed(proposal)
    pass_stage2(proposal)
    pass_stage2(proposal)  # the same outcome submitted twice is recorded once
    assert selectors.stage2_passed(proposal)
    assert events(Action.CHECKPOINT_RECORDED) == 2  # stage 1, then stage 2
    today = timezone.localdate()
    services.checkpoint_record(
        actor=staff_member(Role.PROGRAMME_LEAD),
        proposal=proposal,
        stage=2,
        outcome="not_passed",
        held_on=today,
    )
    assert not selectors.stage2_passed(proposal)
    with pytest.raises(ValidationError, match="conditions"):
        services.checkpoint_record(
            actor=staff_member(Role.PROGRAMME_LEAD),
            proposal=proposal,
            stage=2,
            outcome="passed_with_conditions",
            held_on=today,
        )
    services.checkpoint_record(
        actor=staff_member(Role.PROGRAMME_LEAD),
        proposal=proposal,
        stage=2,
        outcome="passed_with_conditions",
        held_on=today,
        conditions="Publish the travel analysis.",
    )
    assert selectors.stage2_passed(proposal)
    assert Checkpoint.objects.filter(proposal=proposal, stage=2).count() == 3
    # stage 1 never counts as stage 2
    other = pass_stage1(make_proposal("Other"))
    assert not selectors.stage2_passed(other)


def test_patient_care_test_needs_a_condition():
    proposal = make_proposal()
    with pytest.raises(ValueError):
        services.assurance_test_save(
            actor=staff_member(Role.PROGRAMME_LEAD),
            proposal=proposal,
            test="patient_care",
            evidence="Twenty community beds open before the ward closes.",
            condition="",
        )
    record = services.assurance_test_save(
        actor=staff_member(Role.PROGRAMME_LEAD),
        proposal=proposal,
        test="patient_care",
        evidence="Community beds open first",
        condition="alternative_provision",
    )
    assert record.condition == "alternative_provision"
    # the other tests keep no condition
    other = services.assurance_test_save(
        actor=staff_member(Role.PROGRAMME_LEAD),
        proposal=proposal,
        test="engagement",
        evidence="Twelve listening events",
        condition="new_treatments",
    )
    assert other.condition == ""


def test_a_new_eqia_version_needs_a_new_review(make_staff):
    reviewer = make_staff(Role.DECISION_MAKER)
    proposal = put_at(make_proposal(), "other_involvement")
    with pytest.raises(ValidationError, match="Attach"):
        services.eqia_review(
            actor=reviewer, proposal=proposal, notes="Considered at the board seminar."
        )
    attach_eqia(proposal)
    services.eqia_review(
        actor=reviewer, proposal=proposal, notes="Considered at the board seminar."
    )
    eqia = selectors.eqia_for(proposal)
    assert eqia.reviewed_at and eqia.reviewed_by == reviewer
    services.eqia_attach(
        actor=staff_member(Role.PROGRAMME_LEAD),
        proposal=proposal,
        title="EqIA v2",
        file=ContentFile(PDF, name="v2.pdf"),
    )
    eqia = selectors.eqia_for(proposal)
    assert eqia.title == "EqIA v2" and eqia.reviewed_at is None
    assert events(Action.EQIA_ATTACHED) == 2 and events(Action.EQIA_REVIEWED) == 1
    assert eqia.url.endswith(f"/{proposal.pk}/assurance/eqia/download/")


def test_do_nothing_constraint_holds_in_the_database():
    from django.db import IntegrityError, transaction

    proposal = make_proposal()
    Option.objects.create(proposal=proposal, title="A", is_do_nothing=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Option.objects.create(proposal=proposal, title="B", is_do_nothing=True)


def test_services_refuse_a_file_that_is_not_a_document():
    proposal = make_proposal()
    with pytest.raises(ValidationError, match="not a real PDF"):
        services.eqia_attach(
            actor=staff_member(Role.PROGRAMME_LEAD),
            proposal=proposal,
            title="EqIA",
            file=ContentFile(b"MZ", name="x.pdf"),
        )
    with pytest.raises(ValidationError, match="must be a PDF"):
        services.assurance_test_save(
            actor=staff_member(Role.PROGRAMME_LEAD),
            proposal=proposal,
            test="engagement",
            evidence="Twelve listening events",
            document=ContentFile(PDF, name="notes.txt"),
        )
    assert selectors.eqia_for(proposal) is None


@pytest.mark.parametrize("status", ["decided", "implementation", "evaluation"])
def test_a_decided_proposals_appraisal_and_significance_no_longer_change(make_staff, status):
    actor = make_staff(Role.ADMINISTRATOR)
    proposal = make_appraisal(actor=actor)
    make_significance(proposal, substantial=True, actor=actor)
    type(proposal).objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    panel = proposal.panels.first()
    option = proposal.options.first()
    criterion = proposal.criteria.first()
    frozen = "you cannot (change the options appraisal|change the significance assessment|override)"
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=frozen):
        services.option_save(actor=actor, proposal=proposal, title="A late option")
    with pytest.raises(ValidationError, match=frozen):
        services.scores_save(actor=actor, panel=panel, scores={(option.pk, criterion.pk): 1})
    with pytest.raises(ValidationError, match=frozen):
        services.criterion_remove(actor=actor, criterion=criterion)
    with pytest.raises(ValidationError, match=frozen):
        services.panel_remove(actor=actor, panel=panel)
    with pytest.raises(ValidationError, match=frozen):
        services.significance_save(actor=actor, proposal=proposal, areas=AREAS_NONE)
    with pytest.raises(ValidationError, match=frozen):
        services.significance_override(
            actor=actor, proposal=proposal, consultation_required=False, reason="Changed mind."
        )
    # Nothing changed; every refusal by the stage table is itself recorded, the override
    # (a legally significant act) under its own name.
    assert AuditEvent.objects.exclude(action=Action.ACT_REFUSED).count() == before
    acts = [
        e.after["act"] for e in AuditEvent.objects.filter(action=Action.ACT_REFUSED).order_by("pk")
    ]
    assert acts == [
        "stage.appraise_options",
        "stage.appraise_options",
        "stage.appraise_options",
        "stage.appraise_options",
        "stage.assess_significance",
        "significance.override",
    ]
    assert proposal.panels.filter(pk=panel.pk).exists()


def test_the_scores_page_of_a_decided_proposal_says_why_nothing_was_saved(staff_client):
    from django.urls import reverse

    client, actor = staff_client(Role.ADMINISTRATOR)
    proposal = make_appraisal(actor=actor)
    type(proposal).objects.filter(pk=proposal.pk).update(status="decided")
    panel = proposal.panels.first()
    url = reverse("assessment:panel_scores", kwargs={"pk": proposal.pk, "panel_id": panel.pk})
    page = client.get(url)
    assert page.status_code == 200
    removed = client.post(
        reverse("assessment:panel_remove", kwargs={"pk": proposal.pk, "panel_id": panel.pk}),
        follow=True,
    )
    assert "has been decided" in removed.content.decode()
    assert proposal.panels.filter(pk=panel.pk).exists()


def test_the_significance_page_of_a_decided_proposal_offers_no_change(staff_client):
    from django.urls import reverse

    client, actor = staff_client(Role.ADMINISTRATOR)
    proposal = make_appraisal(actor=actor)
    make_significance(proposal, substantial=True, actor=actor)
    url = reverse("assessment:significance", kwargs={"pk": proposal.pk})
    assert "Change the assessment" in client.get(url).content.decode()
    type(proposal).objects.filter(pk=proposal.pk).update(status="decided")
    page = client.get(url).content.decode()
    assert "Change the assessment" not in page
    assert "Record a reasoned override" not in page
    assert "can no longer change" in page


@pytest.mark.parametrize("placeholder", ["x", "-", ".", "n/a", "tbc", "?"])
def test_the_appraisal_refuses_placeholder_names_and_agreements(make_staff, placeholder):
    """Issue 13: an option, criterion or panel called "x", or the weights "agreed by" "-",
    is refused with what is needed; a placeholder reason to set an option aside too."""
    actor = make_staff(Role.PROGRAMME_LEAD)
    proposal = make_appraisal(actor=actor)
    with pytest.raises(ValidationError, match="Name the option"):
        services.option_save(actor=actor, proposal=proposal, title=placeholder)
    with pytest.raises(ValidationError, match="Name the criterion"):
        services.criterion_save(
            actor=actor, proposal=proposal, name=placeholder, weight=Decimal(10)
        )
    with pytest.raises(ValidationError, match="Name the panel"):
        services.panel_save(actor=actor, proposal=proposal, name=placeholder)
    with pytest.raises(ValidationError, match="does not say who"):
        services.weights_agreed(
            actor=actor, proposal=proposal, agreed_by=placeholder, agreed_on=date(2026, 2, 3)
        )
    option = proposal.options.exclude(is_preferred=True).exclude(is_do_nothing=True).first()
    with pytest.raises(ValidationError, match=r"is not a reason|Give the reason"):
        services.option_save(
            actor=actor,
            proposal=proposal,
            option=option,
            title=option.title,
            set_aside=True,
            set_aside_reason=placeholder,
        )
    option.refresh_from_db()
    assert not option.set_aside
    assert proposal.options.count() == 3 and proposal.criteria.count() == 3


def test_weights_cannot_be_agreed_in_the_future(make_staff):
    actor = make_staff(Role.PROGRAMME_LEAD)
    proposal = make_appraisal(actor=actor)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.weights_agreed(
            actor=actor,
            proposal=proposal,
            agreed_by="Joint workshop of both panels",
            agreed_on=tomorrow,
        )
