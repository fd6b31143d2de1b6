"""Who may reach each exports staff URL (see tests/test_permissions.py)."""

from typing import Any

from heard.core.roles import Role
from heard.core.testing import Access

EVERYONE = set(Role)
RESPONSES = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.ANALYST, Role.PROGRAMME_LEAD}
ANALYSIS = RESPONSES | {Role.DECISION_MAKER}


def _activity() -> dict[str, Any]:
    from heard.exports.tests.helpers import make_activity_with_versions

    return {"pk": make_activity_with_versions()["activity"].pk}


def _question() -> dict[str, Any]:
    from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal

    return {"pk": make_consulted_proposal()["question"].pk}


def _publication() -> dict[str, Any]:
    from heard.servicechange.outcomes.models import Publication
    from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal

    made = make_consulted_proposal()
    item = Publication.objects.create(
        kind=Publication.Kind.ACTIVITY,
        status=Publication.Status.APPROVED,
        activity=made["consultation"].activity,
        title="You said, we did",
        content={"feedback": "We listened."},
        redacted={"feedback": "We listened."},
        content_sha256="0" * 64,
    )
    return {"pk": item.pk}


def _export() -> dict[str, Any]:
    from heard.exports.models import Export
    from heard.exports.tests.helpers import make_activity_with_versions

    export = Export.objects.create(
        kind=Export.Kind.RESPONSES,
        format=Export.Format.CSV,
        activity=make_activity_with_versions()["activity"],
        status=Export.Status.DONE,
        data=b"Reference\r\n",
        filename="responses.csv",
    )
    return {"pk": export.pk}


EXPECTED = {
    "exports:index": Access(EVERYONE),
    "exports:activity": Access(EVERYONE, kwargs=_activity),
    "exports:responses": Access(RESPONSES, kwargs=_activity, method="post", data={"format": "csv"}),
    "exports:question": Access(ANALYSIS, kwargs=_question),
    "exports:open_data": Access(EVERYONE, kwargs=_publication, method="post"),
    "exports:detail": Access(RESPONSES, kwargs=_export),
    "exports:download": Access(RESPONSES, kwargs=_export),
}
