"""Every assessment service checks the actor's permission itself: each service × every
staff role, a member of the public and someone not signed in (see service_roles)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.accounts.tests.service_roles import Case, params, roles, try_as
from heard.core.roles import Role
from heard.servicechange.assessment import services
from heard.servicechange.assessment.tests.helpers import (
    PDF,
    attach_eqia,
    make_appraisal,
    make_proposal,
    make_significance,
    record_four_tests,
)
from heard.servicechange.proposals.domain import Status
from heard.servicechange.proposals.tests.helpers import put_at

pytestmark = pytest.mark.django_db

CHANGERS = roles(Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD)
OVERRIDERS = roles(Role.ADMINISTRATOR, Role.DECISION_MAKER)
# The EqIA review cannot be delegated (Brown principles): those deciding, or an
# administrator; not the programme lead whose team wrote it.
REVIEWERS = roles(Role.ADMINISTRATOR, Role.DECISION_MAKER)


def _lead() -> Any:
    return staff_member(Role.PROGRAMME_LEAD)


def _proposal() -> dict[str, Any]:
    # A proposal being assessed: every change to the appraisal, significance and
    # assurance is allowed at this stage (stages.ALLOWED), so only the role decides.
    return {"proposal": put_at(make_proposal(), Status.SIGNIFICANCE)}


def _appraised() -> dict[str, Any]:
    return {"proposal": make_appraisal()}


def _criterion() -> dict[str, Any]:
    proposal = make_proposal()
    criterion = services.criterion_save(
        actor=_lead(), proposal=proposal, name="Access", weight=Decimal(40)
    )
    return {"proposal": proposal, "criterion": criterion}


def _panel() -> dict[str, Any]:
    proposal = make_appraisal()
    return {
        "proposal": proposal,
        "panel": services.panel_save(actor=_lead(), proposal=proposal, name="GPs"),
    }


def _scored_panel() -> dict[str, Any]:
    made = _panel()
    proposal = made["proposal"]
    made["scores"] = {
        (o.pk, c.pk): 3 for o in proposal.options.all() for c in proposal.criteria.all()
    }
    return made


def _assessed() -> dict[str, Any]:
    return {"proposal": make_significance(make_proposal(), substantial=False)}


def _substantial() -> dict[str, Any]:
    return {"proposal": make_significance(make_proposal(), substantial=True)}


def _evidenced() -> dict[str, Any]:
    # A stage is passed only on evidence for each of the four tests.
    return {"proposal": record_four_tests(_proposal()["proposal"])}


def _with_eqia() -> dict[str, Any]:
    # Reviewed after people were involved (stages.ALLOWED).
    return {"proposal": put_at(attach_eqia(make_proposal()), Status.OTHER_INVOLVEMENT)}


AREAS = {
    area: {
        "impact": "minor",
        "who_affected": "Patients",
        "how_many": 10,
        "evidence": "Activity data, 2025",
    }
    for area in ("access", "wider_community", "patients", "service_delivery")
}

CASES = [
    Case(
        "option_save",
        CHANGERS,
        lambda actor, made: services.option_save(
            actor=actor, proposal=made["proposal"], title="Extend the opening hours"
        ),
        _proposal,
    ),
    Case(
        "criterion_save",
        CHANGERS,
        lambda actor, made: services.criterion_save(
            actor=actor, proposal=made["proposal"], name="Travel time", weight=Decimal(25)
        ),
        _proposal,
    ),
    Case(
        "criterion_remove",
        CHANGERS,
        lambda actor, made: services.criterion_remove(actor=actor, criterion=made["criterion"]),
        _criterion,
    ),
    Case(
        "weights_agreed",
        CHANGERS,
        lambda actor, made: services.weights_agreed(
            actor=actor,
            proposal=made["proposal"],
            agreed_by="Joint workshop",
            agreed_on=date(2026, 2, 3),
        ),
        _appraised,
    ),
    Case(
        "panel_save",
        CHANGERS,
        lambda actor, made: services.panel_save(
            actor=actor, proposal=made["proposal"], name="Patients' panel"
        ),
        _appraised,
    ),
    Case(
        "panel_remove",
        CHANGERS,
        lambda actor, made: services.panel_remove(actor=actor, panel=made["panel"]),
        _panel,
    ),
    Case(
        "scores_save",
        CHANGERS,
        lambda actor, made: services.scores_save(
            actor=actor, panel=made["panel"], scores=made["scores"]
        ),
        _scored_panel,
    ),
    Case(
        "significance_save",
        CHANGERS,
        lambda actor, made: services.significance_save(
            actor=actor, proposal=made["proposal"], areas=AREAS, summary="Minor change."
        ),
        _proposal,
    ),
    Case(
        "significance_override",
        OVERRIDERS,
        lambda actor, made: services.significance_override(
            actor=actor,
            proposal=made["proposal"],
            consultation_required=True,
            reason="Strong public concern about travel.",
        ),
        _assessed,
        act="significance.override",
        subject=lambda made: ("proposals.proposal", str(made["proposal"].pk)),
    ),
    Case(
        "urgent_path_record",
        CHANGERS,
        lambda actor, made: services.urgent_path_record(
            actor=actor,
            proposal=made["proposal"],
            reason="Fire safety",
            notice_sent_on=timezone.localdate(),
            notice_to="Norfolk County Council HOSC chair",
            notice_text="We are closing the unit today because of a fire risk.",
        ),
        _substantial,
    ),
    Case(
        "reconfiguration_notice_record",
        CHANGERS,
        lambda actor, made: services.reconfiguration_notice_record(
            actor=actor,
            proposal=made["proposal"],
            notified_on=timezone.localdate(),
            osc_view="The committee supports the change.",
        ),
        _substantial,
    ),
    Case(
        "bed_closures_save",
        CHANGERS,
        lambda actor, made: services.bed_closures_save(
            actor=actor, proposal=made["proposal"], significant=True
        ),
        _proposal,
    ),
    Case(
        "assurance_test_save",
        CHANGERS,
        lambda actor, made: services.assurance_test_save(
            actor=actor,
            proposal=made["proposal"],
            test="engagement",
            evidence="Twelve listening events and a survey.",
        ),
        _proposal,
    ),
    Case(
        "checkpoint_record",
        CHANGERS,
        lambda actor, made: services.checkpoint_record(
            actor=actor,
            proposal=made["proposal"],
            stage=1,
            outcome="passed",
            held_on=timezone.localdate(),
        ),
        _evidenced,
    ),
    Case(
        "eqia_attach",
        CHANGERS,
        lambda actor, made: services.eqia_attach(
            actor=actor,
            proposal=made["proposal"],
            title="EqIA",
            file=ContentFile(PDF, name="eqia.pdf"),
        ),
        _proposal,
    ),
    Case(
        "eqia_review",
        REVIEWERS,
        lambda actor, made: services.eqia_review(
            actor=actor, proposal=made["proposal"], notes="Considered at the board seminar."
        ),
        _with_eqia,
    ),
]


@pytest.mark.parametrize(("case", "who"), params(CASES))
def test_the_service_checks_who_is_acting(case: Case, who: str) -> None:
    try_as(case, who)
