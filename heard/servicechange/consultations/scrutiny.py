"""Overview and scrutiny under reg. 23 as rules. No Django.

Local Authority (Public Health, Health and Wellbeing Boards and Health Scrutiny)
Regulations 2013 (SI 2013/218), reg. 23: a relevant NHS body proposing a substantial
development or variation consults the local authority (its overview and scrutiny
committee; a joint committee where several councils are consulted), tells it the date
by which it wants comments and the proposed decision date, publishes both, and tells it
of any change to them.

In Heard that is a workflow:

1. the councils (and the joint committee) are recorded, each with its committee and a
   contact, before the consultation opens;
2. a first letter goes to every council's contact through Heard, with the consultation
   document, the comments-by date and the proposed decision date (both possible: the
   comments are wanted after today, once the consultation has opened; the decision comes
   after the comments and after the consultation closes), and the dates are published;
3. every change of either date is a re-notification saying what changed from what to
   what – the first letter never says "changed";
4. the committee's response is recorded: when it came, what it said, agree / object / refer;
5. no decision is dated before the comments date, nor before the proposed decision date
   the committee was last told.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from heard.core import substance

FIELDS = {
    "comments_due_on": "the date the committee's comments are due",
    "proposed_decision_on": "the proposed decision date",
}


def format_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class CouncilFacts:
    name: str
    committee: str
    contact_email: str


def council_problems(councils: Sequence[CouncilFacts], joint_committee_name: str) -> list[str]:
    """Whom the letter goes to: at least one council, each with its committee and a
    contact; a joint committee named where there are several."""
    if not councils:
        return [
            "Record the council consulted (its overview and scrutiny committee and a contact "
            "email address): a substantial development or variation is consulted on with "
            "the local authority (reg. 23)."
        ]
    problems = []
    for council in councils:
        if substance.name_is_placeholder(council.committee):
            problems.append(f"Name the overview and scrutiny committee of {council.name}.")
        if not council.contact_email.strip():
            problems.append(f"Record a contact email address for {council.name}.")
    if len(councils) > 1 and substance.name_is_placeholder(joint_committee_name):
        problems.append(
            "Several councils are consulted: record the joint committee they formed (reg. 30)."
        )
    return problems


def dates_problems(
    *,
    comments_due_on: date | None,
    proposed_decision_on: date | None,
    today: date,
    opens_on: date | None,
    closes_on: date | None,
    changed: Sequence[str] = ("comments_due_on", "proposed_decision_on"),
) -> list[str]:
    """Dates that can be kept: the comments are wanted after today and not before the
    consultation opens; the decision comes after the comments are due and after the
    consultation closes. Only the dates in ``changed`` are held to "after today" (a
    comments date already past stays as it was when only the decision date moves)."""
    problems = []
    if comments_due_on is None:
        problems.append("Give the date by which the committee's comments are wanted.")
    if proposed_decision_on is None:
        problems.append("Give the proposed decision date.")
    if opens_on is None or closes_on is None:
        problems.append(
            "Set the consultation's opening and closing dates first: the letter tells the "
            "committee when people can respond."
        )
    if problems:
        return problems
    assert comments_due_on is not None and proposed_decision_on is not None
    assert opens_on is not None and closes_on is not None
    if "comments_due_on" in changed and comments_due_on <= today:
        problems.append(
            f"The date the committee's comments are due ({format_date(comments_due_on)}) "
            "must be after today: the committee needs time to consider the proposal."
        )
    if comments_due_on < opens_on:
        problems.append(
            f"The date the committee's comments are due ({format_date(comments_due_on)}) is "
            f"before the consultation opens ({format_date(opens_on)})."
        )
    if "proposed_decision_on" in changed and proposed_decision_on <= today:
        problems.append(
            f"The proposed decision date ({format_date(proposed_decision_on)}) must be after today."
        )
    if proposed_decision_on <= comments_due_on:
        problems.append(
            f"The proposed decision date ({format_date(proposed_decision_on)}) must be after "
            f"the committee's comments are due ({format_date(comments_due_on)})."
        )
    if proposed_decision_on <= closes_on:
        problems.append(
            f"The proposed decision date ({format_date(proposed_decision_on)}) must be after "
            f"the consultation closes ({format_date(closes_on)})."
        )
    return problems


def contact_problems(contact: str) -> list[str]:
    """The ICB contact the committee is given: a name and a way to reach them."""
    if substance.is_placeholder(contact) or len(substance.words(contact)) < 2:
        return [
            "Give the contact at the ICB the committee should reply to: a name and an "
            "email address or telephone number."
        ]
    return []


def changes_summary(changes: dict[str, list[str | None]]) -> str:
    """ "The proposed decision date changed from 1 May 2027 to 12 June 2027." """

    def words(value: str | None) -> str:
        return format_date(date.fromisoformat(value)) if value else "not set"

    return (
        "; ".join(
            f"{FIELDS[name].capitalize()} changed from {words(a)} to {words(b)}"
            for name, (a, b) in changes.items()
        )
        + "."
    )


def response_problems(
    *,
    received_on: date | None,
    today: date,
    first_letter_on: date | None,
    position: str,
    positions: Sequence[str],
    summary: str,
    has_file: bool,
) -> dict[str, str]:
    """The committee's response as recorded: after the first letter, not in the future,
    a position, and what it said (words with substance and/or a document)."""
    problems: dict[str, str] = {}
    if first_letter_on is None:
        problems["received_on"] = (
            "No first letter has been sent to the committee: send it before recording a response."
        )
    elif received_on is None:
        problems["received_on"] = "Give the date the committee's response was received."
    elif received_on > today:
        problems["received_on"] = (
            f"The date received ({format_date(received_on)}) is in the future: record the "
            "response once it has come."
        )
    elif received_on < first_letter_on:
        problems["received_on"] = (
            f"The date received ({format_date(received_on)}) is before the first letter was "
            f"sent ({format_date(first_letter_on)}): give the date it really came."
        )
    if position not in positions:
        problems["position"] = (
            "Say whether the committee agrees, objects, or refers the proposal to the "
            "Secretary of State."
        )
    cleaned = substance.squeeze(summary)
    if cleaned and (substance.is_placeholder(cleaned) or len(substance.words(cleaned)) < 3):
        problems["summary"] = (
            f"\u201c{cleaned}\u201d does not say what the committee said: write what it "
            "said in a sentence, or attach its letter."
        )
    elif not cleaned and not has_file:
        problems["summary"] = "Write what the committee said, or attach its letter (or both)."
    return problems


def decision_problems(
    *,
    decided_on: date | None,
    first_letter_on: date | None,
    comments_due_on: date | None,
    proposed_decision_on: date | None,
) -> list[str]:
    """Reg. 23 at the decision: the committee was written to, its comments date has come,
    and the proposed decision date it was last told (a re-notification may have moved
    it) has come."""
    if first_letter_on is None:
        return [
            "The overview and scrutiny committee was never sent the first letter with the "
            "comments date and the proposed decision date (reg. 23)."
        ]
    problems = []
    if decided_on is not None and comments_due_on is not None and decided_on < comments_due_on:
        problems.append(
            f"The committee's comments are due on {format_date(comments_due_on)}: the "
            "decision cannot be dated before then (reg. 23)."
        )
    if (
        decided_on is not None
        and proposed_decision_on is not None
        and decided_on < proposed_decision_on
    ):
        problems.append(
            f"The committee was told the decision would be taken on "
            f"{format_date(proposed_decision_on)}: a decision dated before then needs the "
            "new date sent to the committee first (change the dates on the overview and "
            "scrutiny page: a re-notification, reg. 23)."
        )
    return problems
