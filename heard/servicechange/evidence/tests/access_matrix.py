"""Who may reach each evidence staff URL (see tests/test_permissions.py)."""

from typing import Any

from heard.core.roles import Role
from heard.core.testing import Access

BUILD = {Role.ADMINISTRATOR, Role.PROGRAMME_LEAD}


def _pk() -> dict[str, Any]:
    from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal

    return {"pk": make_consulted_proposal()["proposal"].pk}


def _pack() -> dict[str, Any]:
    from heard.servicechange.evidence.models import EvidencePack
    from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal

    proposal = make_consulted_proposal()["proposal"]
    pack = EvidencePack.objects.create(
        proposal=proposal, status=EvidencePack.Status.DONE, data=b"PK\x05\x06" + b"\0" * 18
    )
    return {"pk": pack.pk}


EXPECTED = {
    "evidence:proposal": Access(BUILD, kwargs=_pk),
    "evidence:build": Access(BUILD, kwargs=_pk, method="post"),
    "evidence:download": Access(BUILD, kwargs=_pack),
}
