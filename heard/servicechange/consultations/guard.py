"""The Gunning guard on the consultation's activity (registered with heard.engagement.guards).

Whoever moves the activity – a person on any page, or the engagement clock – the move to
"scheduled" or "open" is refused while a check on the Gunning panel fails. The panel's
"Proposal ready" row asks whether the proposal may move to "formal consultation"; the
move itself is the lifecycle's consequence of the opening
(``heard.servicechange.lifecycle.services.consultation_opened``), made in the same
transaction. The guard only reads.
"""

from datetime import datetime
from typing import Any

from heard.engagement import domain as engagement_domain
from heard.servicechange.consultations import gunning
from heard.servicechange.consultations.models import Consultation

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
    return gunning.blocking(panel)
