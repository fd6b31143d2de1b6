"""Who may reach each proposals staff URL (see tests/test_permissions.py).

Every staff role reads proposals (scrutiny readers and decision makers included);
administrators, engagement officers and programme leads change them."""

from typing import Any

from heard.accounts.tests.factories import staff_member
from heard.core.roles import Role
from heard.core.testing import ALL_STAFF, Access

VIEW = ALL_STAFF
CHANGE = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD}


def _proposal() -> Any:
    from heard.servicechange.proposals.services import proposal_create

    return proposal_create(
        actor=staff_member(Role.PROGRAMME_LEAD),
        title="Move the minor injuries unit",
        description="Why",
    )


def _p() -> dict[str, int]:
    return {"pk": _proposal().pk}


def _evidence() -> dict[str, int]:
    from heard.servicechange.proposals.services import evidence_record

    proposal = _proposal()
    evidence = evidence_record(
        proposal=proposal, actor=staff_member(Role.PROGRAMME_LEAD), note="Healthwatch report 2025"
    )
    return {"pk": proposal.pk, "evidence_pk": evidence.pk}


def _item() -> dict[str, int]:
    from heard.servicechange.proposals.services import plan_item_save

    proposal = _proposal()
    item = plan_item_save(
        proposal=proposal,
        actor=staff_member(Role.PROGRAMME_LEAD),
        audience="Carers",
        methods="Drop-ins",
    )
    return {"pk": proposal.pk, "item_pk": item.pk}


def _link() -> dict[str, int]:
    from heard.engagement.models import Activity
    from heard.servicechange.proposals.services import activity_link

    proposal = _proposal()
    activity = Activity.objects.create(
        title="Drop-in", slug="drop-in", summary="Come along", level="consult", kind="drop_in"
    )
    link = activity_link(
        proposal=proposal, activity=activity, actor=staff_member(Role.PROGRAMME_LEAD)
    )
    return {"pk": proposal.pk, "link_pk": link.pk}


EXPECTED = {
    "proposals:list": Access(VIEW),
    "proposals:create": Access(CHANGE),
    "proposals:detail": Access(VIEW, kwargs=_p),
    "proposals:edit": Access(CHANGE, kwargs=_p),
    "proposals:move": Access(CHANGE, kwargs=_p, method="post", data={"target": "early_engagement"}),
    "proposals:privacy": Access(CHANGE, kwargs=_p),
    "proposals:heard": Access(CHANGE, kwargs=_p),
    "proposals:know": Access(VIEW, kwargs=_p),
    "proposals:evidence_add": Access(CHANGE, kwargs=_p, method="post", data={"note": "A note"}),
    "proposals:evidence_remove": Access(CHANGE, kwargs=_evidence, method="post"),
    "proposals:timeline": Access(VIEW, kwargs=_p),
    "proposals:plan": Access(VIEW, kwargs=_p),
    "proposals:plan_edit": Access(CHANGE, kwargs=_p),
    "proposals:plan_item_add": Access(CHANGE, kwargs=_p),
    "proposals:plan_item_edit": Access(CHANGE, kwargs=_item),
    "proposals:plan_item_remove": Access(CHANGE, kwargs=_item, method="post"),
    "proposals:activity_link": Access(CHANGE, kwargs=_p),
    "proposals:activity_unlink": Access(CHANGE, kwargs=_link, method="post"),
}
