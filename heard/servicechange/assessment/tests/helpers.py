"""Building proposals with options, criteria, panels and scores for the tests."""

from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from heard.accounts.tests.factories import staff_member
from heard.core.roles import Role
from heard.servicechange.assessment import services
from heard.servicechange.assessment.models import Checkpoint
from heard.servicechange.proposals.models import Proposal
from heard.servicechange.proposals.services import proposal_create

# A PDF with one page (an EqIA or evidence file must have something in it).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
)
# What a hurried officer attaches: "%PDF-" and nothing else (no page).
EMPTY_PDF = b"%PDF-1.4\n%%EOF\n"

# Evidence for each of NHS England's four tests (a stage is passed only on all four).
FOUR_TESTS = {
    "engagement": "Twelve listening events and a survey with 900 responses.",
    "patient_choice": "Patients keep the choice of the district hospital and NHS 111.",
    "clinical_evidence": "Clinical senate review: co-location with X-ray is safer.",
    "commissioner_support": "Supported by the ICB's primary care committee in March.",
}


def make_proposal(title: str = "Move the minor injuries unit") -> Proposal:
    return proposal_create(
        actor=staff_member(Role.PROGRAMME_LEAD),
        title=title,
        description="Relocate the minor injuries unit to the health centre.",
    )


def make_appraisal(
    proposal: Proposal | None = None,
    *,
    weights: tuple[int, ...] = (50, 30, 20),
    panels: dict[str, list[list[int]]] | None = None,
    actor: Any = None,
) -> Proposal:
    """Three options (the first is "do nothing"), criteria with ``weights`` and panels
    whose scores are ``panels[name][option][criterion]``."""
    proposal = proposal or make_proposal()
    actor = actor or staff_member(Role.PROGRAMME_LEAD)
    options = [
        services.option_save(
            actor=actor, proposal=proposal, title="Do nothing", is_do_nothing=True
        ),
        services.option_save(actor=actor, proposal=proposal, title="Move to the health centre"),
        services.option_save(actor=actor, proposal=proposal, title="Open a new unit"),
    ]
    names = ["Quality of care", "Access", "Cost"]
    criteria = [
        services.criterion_save(actor=actor, proposal=proposal, name=n, weight=Decimal(w))
        for n, w in zip(names, weights, strict=False)
    ]
    panels = panels or {
        "Clinicians": [[1, 3, 4], [5, 3, 3], [4, 4, 1]],
        "Public reference group": [[2, 4, 4], [4, 3, 3], [4, 5, 1]],
    }
    for name, grid in panels.items():
        panel = services.panel_save(actor=actor, proposal=proposal, name=name)
        services.scores_save(
            actor=actor,
            panel=panel,
            scores={
                (o.pk, c.pk): grid[i][j]
                for i, o in enumerate(options)
                for j, c in enumerate(criteria)
            },
        )
    return proposal


AREAS_NONE = {
    area: {
        "impact": "minor",
        "who_affected": "Patients of the unit",
        "how_many": 100,
        "evidence": "Activity data",
    }
    for area in ("access", "wider_community", "patients", "service_delivery")
}


def make_significance(proposal: Proposal, *, substantial: bool, actor: Any = None) -> Proposal:
    actor = actor or staff_member(Role.PROGRAMME_LEAD)
    from heard.servicechange.proposals.domain import ORDER, Status
    from heard.servicechange.proposals.tests.helpers import put_at

    # Significance is assessed at its own stage (stages.ALLOWED).
    proposal.refresh_from_db()
    if ORDER.index(Status(proposal.status)) < ORDER.index(Status.SIGNIFICANCE):
        put_at(proposal, Status.SIGNIFICANCE)
    areas = {k: dict(v) for k, v in AREAS_NONE.items()}
    if substantial:
        areas["access"]["impact"] = "substantial"
    services.significance_save(actor=actor, proposal=proposal, areas=areas, summary="Reasoning")
    return proposal


# A complete EqIA: every required characteristic considered with evidence, the negative
# impact (age) mitigated.
EQIA_ROWS: dict[str, dict[str, str]] = {
    key: {
        "impact": "neutral",
        "evidence": f"Census 2021 and the unit's activity data show no difference for {key}.",
        "mitigation": "",
    }
    for key in (
        "disability",
        "gender_reassignment",
        "marriage_civil_partnership",
        "pregnancy_maternity",
        "race",
        "religion_belief",
        "sex",
        "sexual_orientation",
        "carers",
        "deprivation",
    )
}
EQIA_ROWS["age"] = {
    "impact": "negative",
    "evidence": "Older people are twice as likely to use the unit and less likely to drive.",
    "mitigation": "A shuttle bus from the cottage hospital every half hour, free of charge.",
}


def attach_eqia(proposal: Proposal, actor: Any = None, *, complete: bool = True) -> Proposal:
    """The EqIA with its supporting document and (unless ``complete`` is False) a row for
    every required characteristic."""
    actor = actor or staff_member(Role.PROGRAMME_LEAD)
    services.eqia_attach(
        actor=actor,
        proposal=proposal,
        title="EqIA",
        file=ContentFile(PDF, name="eqia.pdf"),
    )
    if complete:
        services.eqia_impacts_save(actor=actor, proposal=proposal, rows=EQIA_ROWS)
    return proposal


def record_four_tests(proposal: Proposal, actor: Any = None) -> Proposal:
    actor = actor or staff_member(Role.PROGRAMME_LEAD)
    for test, evidence in FOUR_TESTS.items():
        services.assurance_test_save(actor=actor, proposal=proposal, test=test, evidence=evidence)
    return proposal


def pass_stage1(proposal: Proposal, actor: Any = None) -> Proposal:
    """Evidence on the four tests, then stage 1 passed today."""
    from django.utils import timezone

    actor = actor or staff_member(Role.PROGRAMME_LEAD)
    record_four_tests(proposal, actor)
    services.checkpoint_record(
        actor=actor,
        proposal=proposal,
        stage=Checkpoint.Stage.STRATEGIC_SENSE_CHECK,
        outcome="passed",
        held_on=timezone.localdate(),
    )
    return proposal


def pass_stage2(proposal: Proposal, actor: Any = None) -> Proposal:
    """Stage 1 then stage 2 passed today (with evidence on the four tests)."""
    from django.utils import timezone

    actor = actor or staff_member(Role.PROGRAMME_LEAD)
    pass_stage1(proposal, actor)
    services.checkpoint_record(
        actor=actor,
        proposal=proposal,
        stage=Checkpoint.Stage.ASSURANCE_CHECKPOINT,
        outcome="passed",
        held_on=timezone.localdate(),
    )
    return proposal
