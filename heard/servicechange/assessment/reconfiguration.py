"""Notifiable reconfigurations: the notice to the Secretary of State and call-in. No Django.

A proposal the significance assessment finds notifiable (a substantial development or
variation, not on the urgent-safety path) is notified to the Secretary of State, with the
overview and scrutiny committee's view, *before* the decision (NHS Act 2006 Sch. 10A as
inserted by the Health and Care Act 2022; the Secretary of State's call-in regulations,
SI 2024/15–16). Anyone – most often the council's scrutiny committee – may ask the
Secretary of State to call the proposal in. While a request waits for an answer, or once
the proposal is called in and until directions are recorded, the decision is held.

Each response follows the last: a first answer is "not called in" or "called in";
after "called in" only "directions" can follow; nothing follows "not called in" or
"directions" (that request is settled).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

NO_CALL_IN = "no_call_in"
CALLED_IN = "called_in"
DIRECTIONS = "directions"

OUTCOME_LABELS = {
    NO_CALL_IN: "Not called in",
    CALLED_IN: "Called in",
    DIRECTIONS: "Directions given",
}


@dataclass(frozen=True)
class RequestFacts:
    requested_on: date
    requested_by: str
    # outcomes of the responses so far, in the order received
    outcomes: Sequence[str] = field(default_factory=tuple)
    last_received_on: date | None = None


def state(request: RequestFacts) -> str:
    """ "pending" (no answer yet), "called_in" (waiting for directions) or "settled"."""
    if not request.outcomes:
        return "pending"
    if request.outcomes[-1] == CALLED_IN:
        return "called_in"
    return "settled"


def response_problems(request: RequestFacts, outcome: str) -> list[str]:
    """Why ``outcome`` cannot be the next response to ``request`` (empty: it can)."""
    if outcome not in OUTCOME_LABELS:
        return ["Say what the Secretary of State decided."]
    now = state(request)
    if now == "settled":
        return [
            "The Secretary of State has already answered this request "
            f"(\u201c{OUTCOME_LABELS[request.outcomes[-1]]}\u201d): nothing more can follow."
        ]
    if now == "pending" and outcome == DIRECTIONS:
        return ["Directions follow a call-in: record first that the proposal was called in."]
    if now == "called_in" and outcome != DIRECTIONS:
        return [
            "The proposal has been called in: what follows is the Secretary of State's directions."
        ]
    return []


def request_problems(requests: Sequence[RequestFacts]) -> list[str]:
    """A new request cannot be recorded while another is still open."""
    for request in requests:
        if state(request) != "settled":
            return [
                f"The call-in request by {request.requested_by} is still open: record the "
                "Secretary of State's answer to it first."
            ]
    return []


def hold_problems(
    *,
    notifiable: bool,
    notified_on: date | None,
    requests: Sequence[RequestFacts],
    decided_on: date | None,
) -> list[str]:
    """Why the decision is held (empty: it is not)."""
    problems: list[str] = []
    if notifiable and notified_on is None:
        problems.append(
            "This is a notifiable reconfiguration: record the notice to the Secretary of "
            "State, with the overview and scrutiny committee's view, before the decision."
        )
    elif notified_on is not None and decided_on is not None and decided_on < notified_on:
        problems.append(
            "The decision cannot be dated before the Secretary of State was told "
            f"({notified_on:%-d %B %Y})."
        )
    for request in requests:
        current = state(request)
        if current == "pending":
            problems.append(
                f"A request to call the proposal in ({request.requested_by}, "
                f"{request.requested_on:%-d %B %Y}) is waiting for the Secretary of State's "
                "answer: the decision is held until it is recorded."
            )
        elif current == "called_in":
            problems.append(
                "The Secretary of State has called the proposal in: the decision is held "
                "until the Secretary of State's directions are recorded."
            )
        elif (
            decided_on is not None
            and request.last_received_on is not None
            and decided_on < request.last_received_on
        ):
            problems.append(
                "The decision cannot be dated before the Secretary of State's answer to the "
                f"call-in request ({request.last_received_on:%-d %B %Y})."
            )
    return problems
