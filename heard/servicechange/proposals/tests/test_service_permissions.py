"""Every proposals service checks the actor's permission itself: each service × every
staff role, a member of the public and someone not signed in (see service_roles)."""

from typing import Any

import pytest

from heard.accounts.tests.factories import staff_member
from heard.accounts.tests.service_roles import Case, params, roles, try_as
from heard.core.roles import Role
from heard.engagement.tests.factories import ActivityFactory
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.proposals import services
from heard.servicechange.proposals.tests.helpers import make_proposal

pytestmark = pytest.mark.django_db

CHANGERS = roles(Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD)
DECIDERS = roles(Role.ADMINISTRATOR, Role.DECISION_MAKER)


def _proposal() -> dict[str, Any]:
    return {"proposal": make_proposal()}


def _subject(made: dict[str, Any]) -> tuple[str, str]:
    return ("proposals.proposal", str(made["proposal"].pk))


def _with_evidence() -> dict[str, Any]:
    proposal = make_proposal()
    evidence = services.evidence_record(
        proposal=proposal, actor=staff_member(Role.PROGRAMME_LEAD), note="Healthwatch report 2025"
    )
    return {"proposal": proposal, "evidence": evidence}


def _with_link() -> dict[str, Any]:
    proposal = make_proposal()
    link = services.activity_link(
        proposal=proposal, activity=ActivityFactory(), actor=staff_member(Role.PROGRAMME_LEAD)
    )
    return {"proposal": proposal, "link": link}


def _with_item() -> dict[str, Any]:
    proposal = make_proposal()
    item = services.plan_item_save(
        proposal=proposal,
        actor=staff_member(Role.PROGRAMME_LEAD),
        audience="Carers",
        methods="Drop-in sessions",
    )
    return {"proposal": proposal, "item": item}


CASES = [
    Case(
        "proposal_create",
        CHANGERS,
        lambda actor, made: services.proposal_create(
            actor=actor, title="Move the blood-test clinic", description="Across the road."
        ),
    ),
    Case(
        "proposal_update",
        CHANGERS,
        lambda actor, made: services.proposal_update(
            proposal=made["proposal"],
            actor=actor,
            title="Move the unit to the health centre",
            description="A new description of the change.",
        ),
        _proposal,
    ),
    Case(
        "proposal_transition",
        CHANGERS,
        lambda actor, made: lifecycle_services.proposal_transition(
            proposal=made["proposal"], target="early_engagement", actor=actor
        ),
        _proposal,
        act="proposal.early_engagement",
        subject=_subject,
    ),
    Case(
        # Moving to "decided" is the decision: only those who may record it (and then
        # only once a decision is recorded – the lifecycle refuses it here).
        "proposal_transition_decided",
        DECIDERS,
        lambda actor, made: lifecycle_services.proposal_transition(
            proposal=made["proposal"], target="decided", actor=actor
        ),
        _proposal,
        act="proposal.decided",
        subject=_subject,
        domain_refusal=services.TransitionRefused,
    ),
    Case(
        "proposal_set_private",
        CHANGERS,
        lambda actor, made: services.proposal_set_private(
            proposal=made["proposal"], actor=actor, is_private=True, reason="Commercial talks"
        ),
        _proposal,
    ),
    Case(
        "evidence_record",
        CHANGERS,
        lambda actor, made: services.evidence_record(
            proposal=made["proposal"], actor=actor, note="Patient survey 2025"
        ),
        _proposal,
    ),
    Case(
        "evidence_remove",
        CHANGERS,
        lambda actor, made: services.evidence_remove(evidence=made["evidence"], actor=actor),
        _with_evidence,
    ),
    Case(
        "activity_link",
        CHANGERS,
        lambda actor, made: services.activity_link(
            proposal=made["proposal"], activity=ActivityFactory(), actor=actor
        ),
        _proposal,
    ),
    Case(
        "activity_unlink",
        CHANGERS,
        lambda actor, made: services.activity_unlink(link=made["link"], actor=actor),
        _with_link,
    ),
    Case(
        "plan_update",
        CHANGERS,
        lambda actor, made: services.plan_update(
            proposal=made["proposal"],
            actor=actor,
            seldom_heard="Carers and people without a car.",
            timeline="Spring: listen; summer: options.",
        ),
        _proposal,
    ),
    Case(
        "plan_item_save",
        CHANGERS,
        lambda actor, made: services.plan_item_save(
            proposal=made["proposal"], actor=actor, audience="Carers", methods="Drop-ins"
        ),
        _proposal,
    ),
    Case(
        "plan_item_remove",
        CHANGERS,
        lambda actor, made: services.plan_item_remove(item=made["item"], actor=actor),
        _with_item,
    ),
]


@pytest.mark.parametrize(("case", "who"), params(CASES))
def test_the_service_checks_who_is_acting(case: Case, who: str) -> None:
    try_as(case, who)
