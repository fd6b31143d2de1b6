"""Who may reach each assessment staff URL (see tests/test_permissions.py)."""

from typing import Any

from heard.accounts.tests.factories import staff_member
from heard.core.roles import Role
from heard.core.testing import ALL_STAFF, Access

CHANGE = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD}
OVERRIDE = {Role.ADMINISTRATOR, Role.DECISION_MAKER}
REVIEW = {Role.ADMINISTRATOR, Role.DECISION_MAKER}  # not delegated (Brown principles)


def _proposal() -> dict[str, Any]:
    from heard.servicechange.assessment.tests.helpers import make_proposal

    return {"pk": make_proposal().pk}


def _appraised() -> Any:
    from heard.servicechange.assessment.tests.helpers import make_appraisal

    return make_appraisal()


def _option() -> dict[str, Any]:
    p = _appraised()
    return {"pk": p.pk, "option_id": p.options.first().pk}


def _criterion() -> dict[str, Any]:
    p = _appraised()
    return {"pk": p.pk, "criterion_id": p.criteria.first().pk}


def _panel() -> dict[str, Any]:
    p = _appraised()
    return {"pk": p.pk, "panel_id": p.panels.first().pk}


def _assessed() -> dict[str, Any]:
    from heard.servicechange.assessment.tests.helpers import make_proposal, make_significance

    return {"pk": make_significance(make_proposal(), substantial=True).pk}


def _call_in() -> dict[str, Any]:
    from datetime import date

    from heard.servicechange.assessment.models import CallInRequest, SignificanceAssessment

    kwargs = _assessed()
    request = CallInRequest.objects.create(
        assessment=SignificanceAssessment.objects.get(proposal_id=kwargs["pk"]),
        requested_on=date.today(),  # noqa: DTZ011 (a date for the test row only)
        requested_by="The county council's health scrutiny committee",
        grounds="The consultation did not reach the villages.",
    )
    return {**kwargs, "request_pk": request.pk}


def _with_eqia() -> dict[str, Any]:
    from heard.servicechange.assessment.tests.helpers import attach_eqia, make_proposal

    return {"pk": attach_eqia(make_proposal()).pk}


def _test_with_document() -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from heard.servicechange.assessment import services
    from heard.servicechange.assessment.tests.helpers import PDF, make_proposal

    p = make_proposal()
    services.assurance_test_save(
        actor=staff_member(Role.PROGRAMME_LEAD),
        proposal=p,
        test="engagement",
        evidence="Twelve events",
        document=ContentFile(PDF, name="evidence.pdf"),
    )
    return {"pk": p.pk, "test": "engagement"}


def _pk_and(**extra: Any) -> Any:
    def kwargs() -> dict[str, Any]:
        return {**_proposal(), **extra}

    return kwargs


EXPECTED = {
    "assessment:options": Access(ALL_STAFF, kwargs=_proposal),
    "assessment:option_add": Access(CHANGE, kwargs=_proposal),
    "assessment:option_edit": Access(CHANGE, kwargs=_option),
    "assessment:criteria": Access(ALL_STAFF, kwargs=_proposal),
    "assessment:criterion_add": Access(CHANGE, kwargs=_proposal),
    "assessment:criterion_edit": Access(CHANGE, kwargs=_criterion),
    "assessment:criterion_remove": Access(CHANGE, kwargs=_criterion, method="post"),
    "assessment:panel_remove": Access(CHANGE, kwargs=_panel, method="post"),
    "assessment:weights_agreed": Access(CHANGE, kwargs=_proposal),
    "assessment:panels": Access(ALL_STAFF, kwargs=_proposal),
    "assessment:panel_add": Access(CHANGE, kwargs=_proposal),
    "assessment:panel_edit": Access(CHANGE, kwargs=_panel),
    "assessment:panel_scores": Access(CHANGE, kwargs=_panel),
    "assessment:results": Access(ALL_STAFF, kwargs=lambda: {"pk": _appraised().pk}),
    "assessment:significance": Access(ALL_STAFF, kwargs=_assessed),
    "assessment:significance_edit": Access(CHANGE, kwargs=_proposal),
    "assessment:significance_override": Access(OVERRIDE, kwargs=_assessed),
    "assessment:urgent_path": Access(CHANGE, kwargs=_proposal),
    "assessment:reconfiguration_notice": Access(CHANGE, kwargs=_assessed),
    "assessment:call_in_request": Access(CHANGE, kwargs=_assessed),
    "assessment:call_in_response": Access(CHANGE, kwargs=_call_in),
    "assessment:assurance": Access(ALL_STAFF, kwargs=_with_eqia),
    "assessment:bed_closures": Access(CHANGE, kwargs=_proposal),
    "assessment:assurance_test": Access(CHANGE, kwargs=_pk_and(test="patient_care")),
    "assessment:test_document": Access(ALL_STAFF, kwargs=_test_with_document),
    "assessment:checkpoint": Access(CHANGE, kwargs=_pk_and(stage=2)),
    "assessment:eqia_attach": Access(CHANGE, kwargs=_proposal),
    "assessment:eqia_review": Access(REVIEW, kwargs=_with_eqia),
    "assessment:eqia_impacts": Access(CHANGE, kwargs=_proposal),
    "assessment:due_regard": Access(REVIEW, kwargs=_with_eqia),
    "assessment:eqia_download": Access(ALL_STAFF, kwargs=_with_eqia),
}
