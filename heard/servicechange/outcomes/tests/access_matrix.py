"""Who may reach each outcomes staff URL (see tests/test_permissions.py)."""

from typing import Any

from heard.core.roles import Role
from heard.core.testing import ALL_STAFF, Access

CHANGE = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD, Role.ANALYST}
DECIDE = {Role.ADMINISTRATOR, Role.DECISION_MAKER}
PUBLISH = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER}
ACTIVITIES = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD}


def _made() -> dict[str, Any]:
    from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal

    return make_consulted_proposal()


def _pk() -> dict[str, int]:
    return {"pk": _made()["proposal"].pk}


def _theme() -> dict[str, int]:
    made = _made()
    return {"pk": made["proposal"].pk, "theme_id": made["themes"]["Parking"].pk}


def _decided() -> dict[str, int]:
    from datetime import date

    from django.core.files.base import ContentFile

    from heard.servicechange.outcomes.models import Decision

    proposal = _made()["proposal"]
    decision = Decision(
        proposal=proposal, decided_on=date(2026, 1, 5), decided_by="Board", decision="Go ahead."
    )
    decision.board_paper_file.save("paper.pdf", ContentFile(b"%PDF-1.4 board paper"), save=False)
    decision.save()
    return {"pk": proposal.pk}


def _issued() -> dict[str, int]:
    """A report stored as issued (bytes written directly: the matrix checks access)."""
    from heard.servicechange.outcomes.models import Outcome, ReportIssue, ReportPublication

    proposal = _made()["proposal"]
    outcome = Outcome.objects.create(proposal=proposal)
    issue = ReportIssue.objects.create(outcome=outcome, issued_to="Board")
    ReportPublication.objects.create(
        outcome=outcome,
        version=1,
        issue=issue,
        issued_at=issue.issued_at,
        issued_to="Board",
        html="<p>Issued</p>",
        body_html="<p>Issued</p>",
        pdf=b"%PDF-1.4 issued",
        html_sha256="0" * 64,
        pdf_sha256="0" * 64,
        content_sha256="0" * 64,
    )
    return {"pk": proposal.pk, "version": 1}


def _activity() -> dict[str, int]:
    from heard.engagement.tests.factories import ActivityFactory

    activity = ActivityFactory(status="closed", feedback="We added an evening clinic.")
    return {"pk": activity.pk}  # type: ignore[attr-defined]


def _pending() -> dict[str, int]:
    from heard.engagement.models import Activity
    from heard.servicechange.outcomes.models import Publication

    activity = Activity.objects.get(pk=_activity()["pk"])
    item = Publication.objects.create(
        kind=Publication.Kind.ACTIVITY,
        activity=activity,
        title=activity.title,
        content={"feedback": activity.feedback},
        redacted={"feedback": activity.feedback},
        content_sha256="0" * 64,
    )
    return {"pk": item.pk}


EXPECTED = {
    "outcomes:index": Access(ALL_STAFF),
    "outcomes:proposal": Access(ALL_STAFF, kwargs=_pk),
    "outcomes:report": Access(ALL_STAFF, kwargs=_pk),
    "outcomes:report_pdf": Access(ALL_STAFF, kwargs=_pk),
    "outcomes:board_paper": Access(ALL_STAFF, kwargs=_decided),
    "outcomes:theme": Access(CHANGE, kwargs=_theme),
    "outcomes:text": Access(CHANGE, kwargs=_pk),
    "outcomes:issue": Access(CHANGE, kwargs=_pk),
    "outcomes:late_response": Access(CHANGE, kwargs=_pk),
    "outcomes:decision": Access(DECIDE, kwargs=_pk),
    "outcomes:report_version": Access(ALL_STAFF, kwargs=_issued),
    "outcomes:report_version_pdf": Access(ALL_STAFF, kwargs=_issued),
    "outcomes:reopen": Access(CHANGE, kwargs=lambda: {"pk": _issued()["pk"]}),
    "outcomes:publication_submit": Access(CHANGE, kwargs=_pk, method="post"),
    "outcomes:feedback_submit": Access(ACTIVITIES, kwargs=_activity, method="post"),
    "outcomes:publications": Access(PUBLISH),
    "outcomes:publication": Access(PUBLISH, kwargs=_pending),
}
