"""Every free-text answer becomes an insight (registered on engagement's response hook).

Runs inside the transaction that stores the response, so the insight commits or rolls
back with it. Engagement's models are read by duck typing (engagement may not import
this app, and this app reads the response it is handed).
"""

import logging
from typing import Any

from django.utils import timezone

from heard.insight.models import Channel, Source
from heard.insight.search import backend
from heard.insight.services import InsightDraft, insights_create
from heard.people.postcodes import locality_for

logger = logging.getLogger(__name__)
_CHANNELS = {c.value for c in Channel}


def _answers(response: Any) -> list[Any]:
    answers = getattr(response, "answers", None)
    if answers is None:
        return []
    if hasattr(answers, "select_related"):
        return list(answers.select_related("question"))
    if hasattr(answers, "all"):
        return list(answers.all())
    return list(answers)


def drafts_for_response(response: Any) -> list[InsightDraft]:
    activity = getattr(response, "activity", None)
    submitted = getattr(response, "submitted_at", None) or timezone.now()
    occurred_on = (
        timezone.localdate(submitted) if timezone.is_aware(submitted) else submitted.date()
    )
    channel = str(getattr(response, "channel", "") or "")
    topics = tuple(activity.topics.values_list("pk", flat=True)) if activity is not None else ()
    answers = _answers(response)
    locality = str(getattr(response, "locality", "") or "")
    for answer in answers:
        # A postcode answer gives the place (the postcode itself is never kept here).
        if getattr(getattr(answer, "question", None), "kind", "") == "postcode":
            locality = locality_for(str(getattr(answer, "text", "") or answer.value or ""))
    if not locality and activity is not None:
        # An activity about one place: its responses are about that place.
        places = list(activity.localities.values_list("name", flat=True)[:2])
        locality = places[0] if len(places) == 1 else ""
    drafts = []
    for answer in answers:
        question = getattr(answer, "question", None)
        text = str(getattr(answer, "text", "") or "").strip()
        if not text or not getattr(question, "is_free_text", False):
            continue
        drafts.append(
            InsightDraft(
                text=text,
                source=Source.SURVEY,
                channel=channel if channel in _CHANNELS else (Channel.OTHER if channel else ""),
                occurred_on=occurred_on,
                locality=locality,
                topic_ids=topics,
                activity_id=activity.pk if activity is not None else None,
                response_id=response.pk,
                answer_id=answer.pk,
            )
        )
    return drafts


def response_submitted(response: Any) -> None:
    drafts = drafts_for_response(response)
    if drafts:
        insights_create(drafts=drafts)


def responses_bulk_created(responses: list[Any]) -> None:
    drafts = [draft for response in responses for draft in drafts_for_response(response)]
    if drafts:
        insights_create(drafts=drafts)


def insight_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Whatever deletes an insight (the service, an erased response, a deleted import),
    its text leaves the search index in the same transaction."""
    backend().unindex([instance.pk])
