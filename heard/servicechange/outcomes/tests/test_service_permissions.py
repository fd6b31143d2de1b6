"""Every outcomes service checks the actor's permission itself: each service × every
staff role, a member of the public and someone not signed in (see service_roles). Only
an administrator or a decision maker records the decision (an analyst or a scrutiny
reader cannot); a refused issue, reopening, decision or publication is audited with who
tried, what and why."""

from typing import Any

import pytest
from django.utils import timezone

from heard.accounts.tests.factories import StaffFactory
from heard.accounts.tests.service_roles import Case, params, roles, try_as
from heard.core.roles import Role
from heard.engagement.tests.factories import ActivityFactory
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.tests.helpers import (
    have_due_regard,
    make_consulted_proposal,
    respond_to_all,
)

pytestmark = pytest.mark.django_db

STAFF = roles(*Role)
CHANGERS = roles(Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD, Role.ANALYST)
DECIDERS = roles(Role.ADMINISTRATOR, Role.DECISION_MAKER)
PUBLISHERS = roles(Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER)
ACTIVITY_CHANGERS = roles(Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD)


def _someone(role: Role) -> Any:
    """A person other than the one acting in the test (approval needs a second person)."""
    return StaffFactory(role=role, totp=False)


def _consulted() -> dict[str, Any]:
    return make_consulted_proposal()


def _responded() -> dict[str, Any]:
    made = make_consulted_proposal()
    respond_to_all(made["proposal"], made["themes"], _someone(Role.ENGAGEMENT_OFFICER))
    return made


def _issued() -> dict[str, Any]:
    made = _responded()
    services.report_issue(
        proposal=made["proposal"], actor=_someone(Role.ENGAGEMENT_OFFICER), issued_to="Board"
    )
    made["publication"] = selectors.pending_publications().get()
    return made


def _closed_activity() -> dict[str, Any]:
    activity = ActivityFactory(status="closed", feedback="You said the room was cold; we moved.")
    return {"activity": activity}


def _proposal(made: dict[str, Any]) -> tuple[str, str]:
    return ("proposals.proposal", str(made["proposal"].pk))


def _publication(made: dict[str, Any]) -> tuple[str, str]:
    return ("outcomes.publication", str(made["publication"].pk))


def _theme_response(actor: Any, made: dict[str, Any]) -> Any:
    theme = next(iter(made["themes"].values()))
    return services.theme_response_save(
        proposal=made["proposal"],
        theme_id=theme.pk,
        actor=actor,
        response="We heard about travel and will run a shuttle bus. We weighed this against the travel survey and the clinical advice.",
        changed="partly",
        how="A shuttle bus every hour.",
    )


CASES = [
    Case(
        "outcome_update",
        CHANGERS,
        lambda actor, made: services.outcome_update(
            proposal=made["proposal"],
            actor=actor,
            summary="Most people who answered were worried about travel.",
            why="We weighed travel against safer staffing.",
            next_steps="The board decides in July.",
        ),
        _consulted,
    ),
    Case("theme_response_save", CHANGERS, _theme_response, _consulted),
    Case(
        "report_issue",
        CHANGERS,
        lambda actor, made: services.report_issue(
            proposal=made["proposal"], actor=actor, issued_to="Board members"
        ),
        _responded,
        act="outcome.issue",
        subject=_proposal,
    ),
    Case(
        "report_reopen",
        CHANGERS,
        lambda actor, made: services.report_reopen(
            proposal=made["proposal"],
            actor=actor,
            reason="The response to parking left out the new car park.",
        ),
        _issued,
        act="outcome.reopen",
        subject=_proposal,
    ),
    Case(
        "report_downloaded",
        STAFF,
        lambda actor, made: services.report_downloaded(proposal=made["proposal"], actor=actor),
        _consulted,
    ),
    Case(
        "decision_record",
        DECIDERS,
        lambda actor, made: (
            have_due_regard(made["proposal"], actor),
            lifecycle_services.decision_record(
                proposal=made["proposal"],
                actor=actor,
                decided_on=timezone.localdate(),
                decided_by="NHS Example ICB board",
                decision="Move the unit, with a shuttle bus.",
                board_paper_url="https://example.nhs.uk/board/2026-07.pdf",
            ),
        )[1],
        _issued,
        act="outcome.decide",
        subject=_proposal,
    ),
    Case(
        "outcome_publication_submit",
        CHANGERS,
        lambda actor, made: services.outcome_publication_submit(
            proposal=made["proposal"], actor=actor
        ),
        _issued,
        # Issuing sent it for approval already: an allowed role is refused by that rule.
        domain_refusal=services.OutcomeRefused,
    ),
    Case(
        "feedback_publication_submit",
        ACTIVITY_CHANGERS,
        lambda actor, made: services.feedback_publication_submit(
            activity=made["activity"], actor=actor
        ),
        _closed_activity,
    ),
    Case(
        "publication_approve",
        PUBLISHERS,
        lambda actor, made: services.publication_approve(
            publication=made["publication"], actor=actor
        ),
        _issued,
        act="outcome.publish",
        subject=_publication,
    ),
    Case(
        "publication_reject",
        PUBLISHERS,
        lambda actor, made: services.publication_reject(
            publication=made["publication"],
            actor=actor,
            reason="The response to parking needs the new car park in it.",
        ),
        _issued,
        act="outcome.reject_publication",
        subject=_publication,
    ),
]


@pytest.mark.parametrize(("case", "who"), params(CASES))
def test_the_service_checks_who_is_acting(case: Case, who: str) -> None:
    try_as(case, who)


def test_a_not_permitted_refusal_is_an_outcome_refusal_too() -> None:
    """Pages that show an OutcomeRefused's problems show this one the same way."""
    made = _consulted()
    with pytest.raises(services.OutcomeRefused) as refused:
        _theme_response(StaffFactory(role=Role.SCRUTINY_READER, totp=False), made)
    assert refused.value.problems == [
        "You do not have permission to change the outcome report: only an administrator, "
        "an engagement officer, an analyst or a programme lead may."
    ]
