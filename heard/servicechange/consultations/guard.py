"""The Gunning guard on the consultation's activity (registered with heard.engagement.guards).

Whoever moves the activity – a person on any page, or the engagement clock – the move to
"scheduled" or "open" is refused while a check on the Gunning panel fails. When the
consultation opens, the proposal moves to "formal consultation" in the same transaction
(see services.py for why), so a refused opening leaves both as they were.
"""

from datetime import datetime
from typing import Any

from heard.core.actors import CLOCK
from heard.engagement import domain as engagement_domain
from heard.engagement import guards
from heard.servicechange.consultations import gunning
from heard.servicechange.consultations.models import Consultation
from heard.servicechange.proposals import domain as proposal_domain
from heard.servicechange.proposals.services import TransitionRefused, proposal_transition

GUARDED = (str(engagement_domain.Status.SCHEDULED), str(engagement_domain.Status.OPEN))


def gunning_guard(activity: Any, target: str, now: datetime, by_clock: bool) -> list[str]:
    if str(target) not in GUARDED:
        return []
    consultation = (
        Consultation.objects.filter(activity_id=activity.pk).select_related("proposal").first()
    )
    if consultation is None:
        return []
    from heard.servicechange.consultations.selectors import gunning_panel

    opening = str(target) == str(engagement_domain.Status.OPEN)
    panel = gunning_panel(
        consultation, activity=activity, now=now, opening_now=opening and not by_clock
    )
    problems = gunning.blocking(panel)
    if problems or not opening:
        return problems
    proposal = consultation.proposal
    if proposal.status == proposal_domain.Status.FORMAL_CONSULTATION:
        return []
    try:
        proposal_transition(
            proposal=proposal,
            target=proposal_domain.Status.FORMAL_CONSULTATION,
            # The officer who opened it (Heard's clock when it opened on time).
            actor=CLOCK if by_clock else guards.acting_person(),
            note="The formal consultation opened" + (" (by the clock)." if by_clock else "."),
        )
    except TransitionRefused as refused:
        return list(refused.problems)
    return []
