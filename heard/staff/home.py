"""What the staff home shows each role: the work they owe now, read through each app's
``selectors_home``. Each role's reads are a fixed number of queries (tests/test_home.py
measures them), so the page stays fast however many responses there are."""

from typing import Any

from heard.analysis.selectors_home import analyst_work
from heard.core.roles import Role, role_of
from heard.engagement.selectors_home import officer_work
from heard.insight.selectors_home import imports_with_errors as insight_imports_with_errors
from heard.involvement.selectors_home import opportunities_awaiting_answers
from heard.people.selectors_home import imports_with_errors as people_imports_with_errors
from heard.servicechange.consultations.selectors_home import lead_work, scrutiny_work
from heard.servicechange.outcomes.selectors_home import board_work, overdue_outcomes

# Which parts of the home each role sees, in order.
PARTS: dict[str, tuple[str, ...]] = {
    Role.ADMINISTRATOR: ("officer", "analyst", "board"),
    Role.ENGAGEMENT_OFFICER: ("officer",),
    Role.ANALYST: ("analyst",),
    Role.PROGRAMME_LEAD: ("lead",),
    Role.DECISION_MAKER: ("board",),
    Role.SCRUTINY_READER: ("scrutiny",),
}


def _officer(user: Any) -> dict[str, Any]:
    unanswered, opportunities = opportunities_awaiting_answers()
    return {
        "activities": officer_work(),
        "unanswered": unanswered,
        "opportunities": opportunities,
        "people_imports": people_imports_with_errors(),
        "insight_imports": insight_imports_with_errors(),
    }


READERS = {
    "officer": _officer,
    "analyst": lambda user: {"work": analyst_work()},
    "lead": lambda user: {"work": lead_work(user), "overdue": overdue_outcomes()},
    "board": lambda user: {"work": board_work()},
    "scrutiny": lambda user: {"work": scrutiny_work()},
}


def home_for(user: Any) -> dict[str, dict[str, Any]]:
    """The parts of the home for ``user``'s role, each with what it reads."""
    return {part: READERS[part](user) for part in PARTS.get(role_of(user), ())}
