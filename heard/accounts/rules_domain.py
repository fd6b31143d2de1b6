"""The rules an administrator sets, and the regular May elections. No Django.

The legal thresholds (domain.md §5, §6, §8) start from the deployment's settings and are
then changed, audited, on the staff page "Rules" (``accounts.services.rules_change``).

The regular pre-election period (the rule Heard maintains by default):

- Ordinary local elections in England are held on the first Thursday in May
  (Representation of the People Act 1983 s.37(1), and s.36(3) for county councils).
- The pre-election period ("purdah") starts when the notice of election is published,
  no later than the 25th working day before polling day (Local Elections (Principal
  Areas) (England and Wales) Rules 2006, sch. 1 r.1, timetable), which falls in late
  March: about six weeks before. Publicity must then follow the Code of Recommended
  Practice on Local Authority Publicity (2011) and NHS England's pre-election guidance.
- Heard's rule: the period starts six weeks (42 days) before polling day and ends the day
  after it (the count). An administrator adds other periods (general or by-elections,
  or exact dates from the local returning officer) on the page.
"""

from dataclasses import dataclass
from datetime import date, timedelta

MAY_ELECTIONS_NAME = "Regular local elections (first Thursday in May)"
WEEKS_BEFORE_POLL = 6
MIN_WEEKS_RANGE = (1, 52)
SMALL_NUMBER_RANGE = (1, 100)


@dataclass(frozen=True)
class Rules:
    """The values every service and selector reads (``accounts.selectors.rules``)."""

    consultation_min_weeks: int
    small_number_threshold: int
    stage2_required: bool
    stage2_off_reason: str = ""
    may_elections: bool = True


@dataclass(frozen=True)
class Period:
    name: str
    starts_on: date
    ends_on: date


def first_thursday_in_may(year: int) -> date:
    first = date(year, 5, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7)


def may_election_period(year: int) -> Period:
    """The regular May pre-election period of ``year`` by Heard's rule (see above)."""
    poll = first_thursday_in_may(year)
    return Period(
        f"{MAY_ELECTIONS_NAME} {year}",
        poll - timedelta(weeks=WEEKS_BEFORE_POLL),
        poll + timedelta(days=1),
    )


def may_election_periods(first_year: int, last_year: int) -> list[Period]:
    return [may_election_period(y) for y in range(first_year, last_year + 1)]


def rules_problems(
    *,
    consultation_min_weeks: int,
    small_number_threshold: int,
    stage2_required: bool,
    stage2_off_reason: str,
    reason_problems: list[str],
    stage2_reason_problems: list[str],
) -> dict[str, list[str]]:
    """Why the new values may not be saved, by field (empty: they may)."""
    problems: dict[str, list[str]] = {}
    low, high = MIN_WEEKS_RANGE
    if not low <= consultation_min_weeks <= high:
        problems["consultation_min_weeks"] = [
            f"The minimum consultation period must be from {low} to {high} weeks."
        ]
    low, high = SMALL_NUMBER_RANGE
    if not low <= small_number_threshold <= high:
        problems["small_number_threshold"] = [
            f"The small-number threshold must be from {low} to {high}."
        ]
    if not stage2_required and stage2_reason_problems:
        problems["stage2_off_reason"] = stage2_reason_problems
    if reason_problems:
        problems["reason"] = reason_problems
    return problems


def period_problems(
    name: str, starts_on: date | None, ends_on: date | None
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = ["Enter the name of the election."]
    if starts_on is None:
        problems["starts_on"] = ["Enter the date the pre-election period starts."]
    if ends_on is None:
        problems["ends_on"] = ["Enter the date the pre-election period ends."]
    if starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = ["The end date must be on or after the start date."]
    return problems
