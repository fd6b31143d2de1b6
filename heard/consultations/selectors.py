"""Reading formal consultations. Other apps (outcomes) read through these."""

from typing import Any

from django.db.models import Count

from heard.consultations.models import Consultation
from heard.engagement.models import Response


def _base() -> Any:
    return Consultation.objects.select_related("proposal", "activity")


def consultation_for(proposal: Any) -> Consultation | None:
    """The proposal's formal consultation, or None."""
    return _base().filter(proposal=proposal).first()


def consultation_by_slug(slug: str) -> Consultation | None:
    return _base().filter(slug=slug).first()


def responses_summary(consultation: Consultation) -> dict[str, Any]:
    """Counts of responses received: total, by channel and by respondent type.

    ``{"total": int, "by_channel": [(label, n)], "by_respondent_type": [(label, n)]}``;
    every choice is listed, with 0 where none came.
    """
    responses = Response.objects.filter(activity=consultation.activity)
    channels = dict(responses.values_list("channel").annotate(n=Count("pk")))
    types = dict(responses.values_list("respondent_type").annotate(n=Count("pk")))
    return {
        "total": sum(channels.values()),
        "by_channel": [
            (label, channels.get(value, 0)) for value, label in Response.Channel.choices
        ],
        "by_respondent_type": [
            (label, types.get(value, 0)) for value, label in Response.RespondentType.choices
        ],
    }
