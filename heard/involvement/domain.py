"""Pure rules for involvement opportunities: the lifecycle and invitation answers (no Django)."""

from enum import StrEnum


class OpportunityStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


# (from, to) -> the words for the button that performs it
TRANSITIONS: dict[tuple[OpportunityStatus, OpportunityStatus], str] = {
    (OpportunityStatus.DRAFT, OpportunityStatus.OPEN): "Open for invitations",
    (OpportunityStatus.OPEN, OpportunityStatus.CLOSED): "Close",
    (OpportunityStatus.CLOSED, OpportunityStatus.OPEN): "Reopen",
}


class TransitionError(ValueError):
    """A lifecycle change that is not allowed, with a message saying why."""


def transition_check(
    current: str, target: str, *, has_title: bool = True, has_places: bool = True
) -> None:
    """Raise TransitionError unless ``current`` -> ``target`` is allowed and its guards hold."""
    try:
        pair = (OpportunityStatus(current), OpportunityStatus(target))
    except ValueError:
        raise TransitionError(f"Unknown status “{target}”.") from None
    if pair not in TRANSITIONS:
        raise TransitionError(f"An opportunity cannot go from {current} to {target}.")
    if pair[1] is OpportunityStatus.OPEN and not (has_title and has_places):
        raise TransitionError(
            "Give the opportunity a title and the number of places before opening it."
        )


def transitions_from(current: str) -> list[tuple[str, str]]:
    """(target status, button words) for every change allowed from ``current``."""
    return [(str(b), words) for (a, b), words in TRANSITIONS.items() if a == current]


class InvitationStatus(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


ANSWERS = {"accept": InvitationStatus.ACCEPTED, "decline": InvitationStatus.DECLINED}


def answer_outcome(current: str, answer: str) -> tuple[str, bool]:
    """(new status, changed?) when a member answers; raises TransitionError if they cannot.

    Answering the same way twice changes nothing (idempotent); changing one's mind is
    allowed while the invitation stands; a withdrawn invitation cannot be answered.
    """
    if answer not in ANSWERS:
        raise TransitionError("Unknown answer.")
    if current == InvitationStatus.WITHDRAWN:
        raise TransitionError("This invitation has been withdrawn, so it cannot be answered.")
    new = ANSWERS[answer]
    return str(new), current != new


WITHDRAWABLE = {InvitationStatus.INVITED, InvitationStatus.ACCEPTED}


def withdraw_check(current: str) -> None:
    """Raise TransitionError unless an invitation in ``current`` can be withdrawn."""
    if current not in WITHDRAWABLE:
        raise TransitionError(
            "Only invitations that are waiting for an answer or accepted can be withdrawn."
        )


def answer_blocked(*, opportunity_status: str, invitation_status: str) -> str:
    """Why a member cannot answer now (a sentence for them), or "" if they can."""
    if invitation_status == InvitationStatus.WITHDRAWN:
        return "This invitation has been withdrawn, so it cannot be answered."
    if opportunity_status != OpportunityStatus.OPEN:
        return "This opportunity is no longer taking replies."
    return ""
