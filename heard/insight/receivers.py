"""Every free-text answer becomes an insight (registered on engagement's response hook).

Two ways in (ADR 7):

* ``response_submitted`` – staff data entry, imports, tests: runs inside the
  transaction that stores the response, so the insight commits or rolls back with it.
* ``response_submitted_later`` – the public online path: in the storing transaction it
  only adds the response to the owed queue (``InsightOwed``), which commits with the
  response; the task worker (``heard_worker``) drains the queue in batches
  (``insights_drain``), redacting, scoring and storing the insights (ADR 11). A worker
  killed mid-batch leaves its rows for the next pass. The stored answers remain the
  last safety net: a free-text answer without an insight is found and turned into one
  by ``insights_catch_up`` (the ``insight_catch_up`` command, run by ``heard_clock``
  every few minutes). With the immediate task backend (tests, a laptop
  without a worker) the task runs at once, just after the commit.

Engagement's responses are read by duck typing where they are handed over, and through
engagement's models for the batch and catch-up queries (this app sits above engagement).
"""

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from heard.engagement.models import Answer, Response
from heard.engagement.questionnaire import FREE_TEXT_KINDS, POSTCODE
from heard.insight.models import Channel, Insight, InsightOwed, Source
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


def _activity_facts(activity: Any) -> tuple[tuple[int, ...], str]:
    """The activity's topic ids, and its place if it is about exactly one."""
    if activity is None:
        return (), ""
    topics = tuple(activity.topics.values_list("pk", flat=True))
    places = list(activity.localities.values_list("name", flat=True)[:2])
    return topics, places[0] if len(places) == 1 else ""


def drafts_for_response(
    response: Any,
    *,
    answers: Sequence[Any] | None = None,
    facts: tuple[tuple[int, ...], str] | None = None,
) -> list[InsightDraft]:
    """Insight drafts for a response's free-text answers.

    ``answers`` (with their questions) and ``facts`` (``_activity_facts``) may be given
    when they were read for many responses at once.
    """
    activity = getattr(response, "activity", None)
    submitted = getattr(response, "submitted_at", None) or timezone.now()
    occurred_on = (
        timezone.localdate(submitted) if timezone.is_aware(submitted) else submitted.date()
    )
    channel = str(getattr(response, "channel", "") or "")
    topics, activity_place = facts if facts is not None else _activity_facts(activity)
    answers = list(answers) if answers is not None else _answers(response)
    locality = str(getattr(response, "locality", "") or "")
    for answer in answers:
        # A postcode answer gives the place (the postcode itself is never kept here).
        if getattr(getattr(answer, "question", None), "kind", "") == "postcode":
            locality = locality_for(str(getattr(answer, "text", "") or answer.value or ""))
    if not locality:
        # An activity about one place: its responses are about that place.
        locality = activity_place
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


# --- later: after the commit, in batches ---------------------------------------------------


def insights_for_responses(response_ids: Iterable[int]) -> int:
    """Make the insights still missing for these responses, in one batch; the number made.

    Safe to repeat: answers that already have an insight are skipped, and a response
    erased in the meantime is simply not found.
    """
    ids = sorted(set(response_ids))
    if not ids:
        return 0
    responses = list(Response.objects.filter(pk__in=ids).select_related("activity").order_by("pk"))
    by_response: dict[int, list[Any]] = {}
    # Only the answers that can matter: free text with something in it, and postcodes
    # (the place). Yes/no, scales, choices… are never read here, so not loaded.
    wanted = Answer.objects.filter(response_id__in=ids).filter(
        Q(question__kind__in=FREE_TEXT_KINDS, text__gt="") | Q(question__kind=POSTCODE)
    )
    for answer in wanted.select_related("question"):
        by_response.setdefault(answer.response_id, []).append(answer)
    facts: dict[int | None, tuple[tuple[int, ...], str]] = {}
    drafts: list[InsightDraft] = []
    for response in responses:
        if response.activity_id not in facts:
            facts[response.activity_id] = _activity_facts(response.activity)
        drafts.extend(
            drafts_for_response(
                response,
                answers=by_response.get(response.pk, []),
                facts=facts[response.activity_id],
            )
        )
    if not drafts:
        return 0
    # No transaction around this: insights_create redacts and scores the texts first and
    # holds the write lock only while it stores them (SQLite has one writer at a time).
    try:
        return len(insights_create(drafts=drafts))
    except IntegrityError:
        # Another batch (or the catch-up) made some of them meanwhile: try once more
        # with the ones still missing.
        return len(insights_create(drafts=drafts))


def responses_without_insights(*, after_id: int = 0, limit: int = 500) -> list[int]:
    """Ids (ascending, above ``after_id``) of responses with a free-text answer that has
    no insight yet."""
    missing = (
        Answer.objects.filter(
            response_id__gt=after_id, question__kind__in=FREE_TEXT_KINDS, text__gt=""
        )
        .filter(~Exists(Insight.objects.filter(answer_id=OuterRef("pk"))))
        .order_by("response_id")
        .values_list("response_id", flat=True)
        .distinct()
    )
    return list(missing[:limit])


def insights_catch_up(*, batch: int = 500) -> int:
    """Turn every free-text answer still without an insight into one; the number made.

    Each response is looked at once per call (an answer of spaces alone never becomes an
    insight, and is not looked at again and again).
    """
    made, after = 0, 0
    while ids := responses_without_insights(after_id=after, limit=batch):
        made += insights_for_responses(ids)
        after = ids[-1]
    return made


def batch_size() -> int:
    return int(getattr(settings, "HEARD_INSIGHT_BATCH", 100))


def insights_for_queued(response_ids: Iterable[int]) -> int:
    """The task queued before ADR 11's owed queue (kept so tasks already queued run)."""
    return insights_for_responses(response_ids)


def insights_drain(*, limit: int | None = None) -> int:
    """Make the insights of the oldest responses in the owed queue (up to
    ``HEARD_INSIGHT_BATCH``) and take them off it; the number of responses done.

    Run over and over by the task worker (``heard_worker``). No lock is held while the
    texts are redacted and scored: the rows are read, the insights made (idempotent: an
    answer that has one is skipped) and then the rows deleted, so a worker killed in
    between leaves the rows and the next pass makes what is missing.
    """
    ids = list(
        InsightOwed.objects.order_by("queued_at", "pk").values_list("pk", flat=True)[
            : limit or batch_size()
        ]
    )
    if not ids:
        return 0
    insights_for_responses(ids)
    InsightOwed.objects.filter(pk__in=ids).delete()
    return len(ids)


def _runs_at_once() -> bool:
    """True with the immediate task backend (tests, a laptop without a worker)."""
    from django_tasks.backends.immediate import ImmediateBackend

    from heard.insight.tasks import insights_for_responses as task

    return isinstance(task.get_backend(), ImmediateBackend)


def _make_now(response_id: int) -> None:
    try:
        insights_for_responses([response_id])
        InsightOwed.objects.filter(pk=response_id).delete()
    except Exception:
        # The row stays in the owed queue; the next drain or catch-up makes them.
        logger.exception("Could not make the insights of response %s", response_id)


def response_submitted_later(response: Any) -> None:
    """The deferred variant of ``response_submitted`` (the public online path).

    Inside the storing transaction: one row in the owed queue, which commits or rolls
    back with the response, so there is no moment when a stored response is owed
    insights that nothing will make (ADR 11). The task worker drains the queue in
    batches. With the immediate task backend (tests, a laptop without a worker) the
    insights are made just after the commit instead, never inside the storing
    transaction.
    """
    InsightOwed.objects.create(response_id=response.pk)
    if _runs_at_once():
        response_id = response.pk
        transaction.on_commit(lambda: _make_now(response_id), robust=True)


def insight_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Whatever deletes an insight (the service, an erased response, a deleted import),
    its text leaves the search index in the same transaction."""
    backend().unindex([instance.pk])
