"""Who may reach each consultations staff URL (see tests/test_permissions.py)."""

from heard.core.roles import Role
from heard.core.testing import ALL_STAFF, Access

CHANGE = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD}


def _consultation() -> dict[str, int]:
    from heard.servicechange.consultations.tests.helpers import make_consultation

    return {"pk": make_consultation().pk}


def _proposal() -> dict[str, int]:
    from heard.servicechange.consultations.tests.helpers import ready_proposal

    return {"proposal_pk": ready_proposal().pk}


def _section() -> dict[str, object]:
    return {**_consultation(), "key": "costs"}


def _council() -> dict[str, int]:
    from heard.servicechange.consultations.models import Consultation, Council

    kwargs = _consultation()
    council = Council.objects.create(
        consultation=Consultation.objects.get(pk=kwargs["pk"]),
        name="Norfolk County Council",
        contact_email="scrutiny@example.gov.uk",
    )
    return {**kwargs, "council_pk": council.pk}


def _response() -> dict[str, int]:
    from django.core.files.base import ContentFile

    from heard.servicechange.assessment.tests.helpers import PDF
    from heard.servicechange.consultations.models import Consultation, ScrutinyResponse

    kwargs = _consultation()
    response = ScrutinyResponse(
        consultation=Consultation.objects.get(pk=kwargs["pk"]),
        received_on="2027-01-10",
        position="agrees",
        summary="The committee supports the proposal.",
    )
    response.file.save("hosc.pdf", ContentFile(PDF), save=False)
    response.save()
    return {**kwargs, "response_pk": response.pk}


EXPECTED = {
    "consultations:create": Access(CHANGE, kwargs=_proposal),
    "consultations:detail": Access(ALL_STAFF, kwargs=_consultation),
    "consultations:panel": Access(ALL_STAFF, kwargs=_consultation),
    "consultations:section": Access(CHANGE, kwargs=_section),
    "consultations:publish": Access(CHANGE, kwargs=_consultation, method="post"),
    "consultations:dates": Access(CHANGE, kwargs=_consultation),
    "consultations:open": Access(CHANGE, kwargs=_consultation, method="post"),
    # Every member of staff reads overview and scrutiny (scrutiny readers included);
    # writing to it is for those who run the consultation (checked by the services too).
    "consultations:osc": Access(ALL_STAFF, kwargs=_consultation),
    "consultations:scrutiny_response_file": Access(ALL_STAFF, kwargs=_response),
    "consultations:council_remove": Access(CHANGE, kwargs=_council, method="post"),
    "consultations:tell": Access(CHANGE, kwargs=_consultation),
    "consultations:tell_progress": Access(CHANGE, kwargs=_consultation),
    "consultations:midpoint": Access(ALL_STAFF, kwargs=_consultation),
    "consultations:sign_off": Access(CHANGE, kwargs=lambda: {**_consultation(), "kind": "scope"}),
}
