"""Who may reach each outcomes staff URL (see tests/test_permissions.py)."""

from typing import Any

from heard.core.roles import Role
from heard.core.testing import ALL_STAFF, Access

CHANGE = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD, Role.ANALYST}
DECIDE = {Role.ADMINISTRATOR, Role.DECISION_MAKER}


def _made() -> dict[str, Any]:
    from heard.outcomes.tests.helpers import make_consulted_proposal

    return make_consulted_proposal()


def _pk() -> dict[str, int]:
    return {"pk": _made()["proposal"].pk}


def _theme() -> dict[str, int]:
    made = _made()
    return {"pk": made["proposal"].pk, "theme_id": made["themes"]["Parking"].pk}


def _decided() -> dict[str, int]:
    from datetime import date

    from django.core.files.base import ContentFile

    from heard.outcomes.models import Decision

    proposal = _made()["proposal"]
    decision = Decision(
        proposal=proposal, decided_on=date(2026, 1, 5), decided_by="Board", decision="Go ahead."
    )
    decision.board_paper_file.save("paper.pdf", ContentFile(b"%PDF-1.4 board paper"), save=False)
    decision.save()
    return {"pk": proposal.pk}


EXPECTED = {
    "outcomes:index": Access(ALL_STAFF),
    "outcomes:proposal": Access(ALL_STAFF, kwargs=_pk),
    "outcomes:report": Access(ALL_STAFF, kwargs=_pk),
    "outcomes:report_pdf": Access(ALL_STAFF, kwargs=_pk),
    "outcomes:board_paper": Access(ALL_STAFF, kwargs=_decided),
    "outcomes:theme": Access(CHANGE, kwargs=_theme),
    "outcomes:text": Access(CHANGE, kwargs=_pk),
    "outcomes:issue": Access(CHANGE, kwargs=_pk),
    "outcomes:decision": Access(DECIDE, kwargs=_pk),
}
