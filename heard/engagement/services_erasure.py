"""Erasing one response's personal data, found by its reference (a person's erasure
request: responses are not linked to anyone, so the reference on their receipt is how
theirs is found). See docs/record-of-processing.md.

The lawful-minimal choice: the person's own words go altogether – every free-text and
postcode answer is deleted (with the insights and analysis made from it), the words
typed beside a choice ("Other: …") are blanked, the organisation name and the "about
you" answers are deleted. Redacted text is not kept: redaction misses things, and a
person who asks for their words to be erased has withdrawn them. What stays is not
about anyone: the response row (reference, channel, dates), so totals do not change,
and the choices, ratings and numbers given, so counts per option hold.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.actors import require
from heard.core.substance import reason_problems
from heard.engagement.models import Answer, Response, ResponseEquality
from heard.engagement.questionnaire import FREE_TEXT_KINDS, POSTCODE

# Answers that are a person's own words: deleted on erasure and by the retention rule.
WORD_KINDS = (*FREE_TEXT_KINDS, POSTCODE)


class ResponseNotFound(LookupError):
    """No response has that reference."""


class ErasureRefused(ValueError):
    """The erasure cannot be made as asked; the message says what is needed."""


ERASE = "engagement.erase_responses"


def response_for_erasure(reference: str) -> Response | None:
    return (
        Response.objects.select_related("activity")
        .filter(reference=reference.strip().upper())
        .first()
    )


def is_formal_consultation(response: Response) -> bool:
    activity = response.activity
    return activity is not None and activity.kind == "formal_consultation"


def response_erase(
    *,
    reference: str,
    actor: Any = None,
    reason: str = "",
    dpo_agreed: bool = False,
) -> dict[str, int]:
    """Erase the personal words of the response with ``reference``. Running it twice
    changes nothing more. Returns what was erased: {"answers": n, "blanked": n,
    "equality": n}. Raises ResponseNotFound.

    A member of staff (``actor``) needs the permission, a reason that names the request
    (placeholders refused) and, for a response to a formal consultation, the data
    protection officer's agreement (UK GDPR Art. 17(3): the record of a consultation may
    have to be kept); ErasureRefused says which. With no actor it is the server's
    operator (``manage.py response_erase``)."""
    if actor is not None:
        require(actor, ERASE, to="erase the words of a response")
        problems = reason_problems(reason, what="for the erasure (the request, who made it, when)")
        if problems:
            raise ErasureRefused(" ".join(problems))
    reference = reference.strip().upper()
    with transaction.atomic():
        response = Response.objects.select_for_update().filter(reference=reference).first()
        if response is None:
            raise ResponseNotFound(f"No response has the reference {reference}.")
        if actor is not None and is_formal_consultation(response) and not dpo_agreed:
            raise ErasureRefused(
                "This response is to a formal consultation: confirm that the data protection "
                "officer agreed to the erasure (the consultation's record may have to be kept)."
            )
        deleted, blanked = _erase_words(response)
        equality, _ = ResponseEquality.objects.filter(response=response).delete()
        result = {"answers": deleted, "blanked": blanked, "equality": equality}
        audit_record(
            action=Action.RESPONSE_ERASED,
            actor=actor,
            subject=response,
            after={**result, "reason": reason.strip(), "dpo_agreed": dpo_agreed},
        )
    return result


def _erase_words(response: Response) -> tuple[int, int]:
    """Delete the response's free-text and postcode answers, blank words typed beside a
    choice and the organisation name. Returns (deleted, blanked)."""
    words = Answer.objects.filter(response=response, question__kind__in=WORD_KINDS)
    deleted = 0
    for answer in words:
        answer.delete()  # one by one, so the insight bank hears of each (search index)
        deleted += 1
    blanked = Answer.objects.filter(response=response).exclude(text="").update(text="")
    if response.organisation_name:
        response.organisation_name = ""
        response.save(update_fields=["organisation_name"])
    return deleted, blanked


def responses_with_words_due(*, keep_days: int, now: datetime | None = None) -> Any:
    """Responses still holding people's own words ``keep_days`` after their activity
    closed (the general "Tell us what you think" form, with no activity: after they
    were sent)."""
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    has_words = Answer.objects.filter(response=OuterRef("pk")).filter(
        Q(question__kind__in=WORD_KINDS) | ~Q(text="")
    )
    closed_long_ago = Q(activity__closes_at__lte=cutoff) | Q(
        activity__isnull=True, submitted_at__lte=cutoff
    )
    return Response.objects.filter(closed_long_ago).filter(
        Exists(has_words) | ~Q(organisation_name="")
    )


def responses_retention(*, keep_days: int | None = None, now: datetime | None = None) -> int:
    """The retention rule for responses' personal words: ``keep_days`` after an activity
    closed (settings.HEARD_RESPONSE_WORDS_KEEP_DAYS; 0 = no rule, the default until the
    ICB's records-management schedule sets one), each response's free text, postcodes,
    words beside a choice and organisation name are erased as by ``response_erase``.
    The "about you" answers stay (reported only in aggregate, and no longer beside
    anything the person wrote), as do the choices. Returns how many responses."""
    if keep_days is None:
        keep_days = int(getattr(settings, "HEARD_RESPONSE_WORDS_KEEP_DAYS", 0) or 0)
    if keep_days <= 0:
        return 0
    due = list(responses_with_words_due(keep_days=keep_days, now=now).values_list("pk", flat=True))
    for pk in due:
        with transaction.atomic():
            response = Response.objects.select_for_update().get(pk=pk)
            deleted, blanked = _erase_words(response)
            audit_record(
                action=Action.RESPONSE_ERASED,
                subject=response,
                after={
                    "answers": deleted,
                    "blanked": blanked,
                    "reason": "retention",
                    "keep_days": keep_days,
                },
            )
    return len(due)
