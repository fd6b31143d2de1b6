"""Every consultations service checks the actor's permission itself: each service × every
staff role, a member of the public and someone not signed in (see service_roles). A
scrutiny reader or a decision maker reads the consultation; they cannot edit its
document, publish, correct or open it – and a refused opening or correction is itself in
the audit trail."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.accounts.tests.service_roles import Case, params, roles, try_as
from heard.core.roles import Role
from heard.people.models import Group
from heard.servicechange.consultations import services
from heard.servicechange.consultations.tests.helpers import (
    fill_document,
    make_consultation,
    make_running,
    passing_consultation,
    ready_proposal,
)

pytestmark = pytest.mark.django_db

CHANGERS = roles(Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD)


def _consultation() -> dict[str, Any]:
    return {"consultation": make_consultation()}


def _subject(made: dict[str, Any]) -> tuple[str, str]:
    return ("consultations.consultation", str(made["consultation"].pk))


def _drafted() -> dict[str, Any]:
    consultation = make_consultation()
    fill_document(consultation, publish=False)
    return {"consultation": consultation}


def _passing() -> dict[str, Any]:
    return {"consultation": passing_consultation()}


def _opened() -> dict[str, Any]:
    consultation = services.consultation_open(
        actor=staff_member(Role.ENGAGEMENT_OFFICER), consultation=passing_consultation()
    )
    return {"consultation": consultation}


def _with_group() -> dict[str, Any]:
    group = Group.objects.create(
        name="Healthwatch Norfolk", kind="organisation", email="hello@healthwatch.example"
    )
    return {"consultation": make_consultation(), "group": group}


def _with_council() -> dict[str, Any]:
    consultation = make_consultation()
    council = services.council_add(
        actor=staff_member(Role.ENGAGEMENT_OFFICER),
        consultation=consultation,
        name="Norfolk County Council",
        committee="",
        contact_email="hosc@norfolk.example.gov.uk",
    )
    return {"consultation": consultation, "council": council}


def _section(made: dict[str, Any]) -> Any:
    return made["consultation"].sections.get(key="costs")


def _consultation_open() -> dict[str, Any]:
    # The mid-point review is made while the consultation is open (stages.ALLOWED).
    made = _consultation()
    make_running(made["consultation"])
    return made


CASES = [
    Case(
        "consultation_create",
        CHANGERS,
        lambda actor, made: services.consultation_create(actor=actor, proposal=made["proposal"]),
        lambda: {"proposal": ready_proposal()},
    ),
    Case(
        "section_save",
        CHANGERS,
        lambda actor, made: services.section_save(
            actor=actor, section=_section(made), body="£420,000 capital."
        ),
        _consultation,
        act="consultation.edit_document",
        subject=lambda made: ("consultations.documentsection", str(_section(made).pk)),
    ),
    Case(
        "document_publish",
        CHANGERS,
        lambda actor, made: services.document_publish(
            actor=actor, consultation=made["consultation"]
        ),
        _drafted,
        act="consultation.publish_document",
        subject=_subject,
    ),
    Case(
        "document_correct",
        CHANGERS,
        lambda actor, made: services.document_correct(
            actor=actor,
            consultation=made["consultation"],
            bodies={"costs": "£420,000 capital."},
            reason="The capital cost was given as £42,000 instead of £420,000.",
        ),
        _opened,
        act="consultation.correct_document",
        subject=_subject,
    ),
    Case(
        "dates_save",
        CHANGERS,
        lambda actor, made: services.dates_save(
            actor=actor,
            consultation=made["consultation"],
            opens_at=timezone.now() + timedelta(days=1),
            closes_at=timezone.now() + timedelta(days=1, weeks=13),
            justification="",
        ),
        _consultation,
    ),
    Case(
        "consultation_open",
        CHANGERS,
        lambda actor, made: services.consultation_open(
            actor=actor, consultation=made["consultation"]
        ),
        _passing,
        act="consultation.open",
        subject=_subject,
    ),
    Case(
        "council_add",
        CHANGERS,
        lambda actor, made: services.council_add(
            actor=actor,
            consultation=made["consultation"],
            name="Suffolk County Council",
            committee="Health Scrutiny Committee",
            contact_email="scrutiny@suffolk.example.gov.uk",
        ),
        _consultation,
    ),
    Case(
        "council_remove",
        CHANGERS,
        lambda actor, made: services.council_remove(actor=actor, council=made["council"]),
        _with_council,
    ),
    Case(
        "osc_save",
        CHANGERS,
        lambda actor, made: services.osc_save(
            actor=actor,
            consultation=made["consultation"],
            comments_due_on=timezone.localdate() + timedelta(days=100),
            proposed_decision_on=timezone.localdate() + timedelta(days=130),
            joint_committee_name="Norfolk and Suffolk Joint HOSC",
        ),
        _consultation,
    ),
    Case(
        "mailout_queue",
        CHANGERS,
        lambda actor, made: services.mailout_queue(
            actor=actor,
            consultation=made["consultation"],
            subject="Have your say",
            message="We are consulting on the minor injuries unit.",
            group_ids=[made["group"].pk],
            include_members=False,
            base_url="https://heard.example",
        ),
        _with_group,
    ),
    Case(
        "midpoint_record",
        CHANGERS,
        lambda actor, made: services.midpoint_record(
            actor=actor, consultation=made["consultation"], action_taken="A drop-in at the shed."
        ),
        _consultation_open,
    ),
]


@pytest.mark.parametrize(("case", "who"), params(CASES))
def test_the_service_checks_who_is_acting(case: Case, who: str) -> None:
    try_as(case, who)
