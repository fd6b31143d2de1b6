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

from typing import Any

from django.db import transaction

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.engagement.models import Answer, Response, ResponseEquality
from heard.engagement.questionnaire import FREE_TEXT_KINDS, POSTCODE


class ResponseNotFound(LookupError):
    """No response has that reference."""


def response_erase(*, reference: str, actor: Any = None) -> dict[str, int]:
    """Erase the personal words of the response with ``reference``. Running it twice
    changes nothing more. Returns what was erased: {"answers": n, "blanked": n,
    "equality": n}. Raises ResponseNotFound."""
    reference = reference.strip().upper()
    with transaction.atomic():
        response = Response.objects.select_for_update().filter(reference=reference).first()
        if response is None:
            raise ResponseNotFound(f"No response has the reference {reference}.")
        words = Answer.objects.filter(
            response=response, question__kind__in=(*FREE_TEXT_KINDS, POSTCODE)
        )
        deleted = words.count()
        for answer in words:
            answer.delete()  # one by one, so the insight bank hears of each (search index)
        blanked = Answer.objects.filter(response=response).exclude(text="").update(text="")
        equality, _ = ResponseEquality.objects.filter(response=response).delete()
        if response.organisation_name:
            response.organisation_name = ""
            response.save(update_fields=["organisation_name"])
        result = {"answers": deleted, "blanked": blanked, "equality": equality}
        audit_record(action=Action.RESPONSE_ERASED, actor=actor, subject=response, after=result)
    return result
