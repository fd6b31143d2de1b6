"""Telling respondents what became of what they said.

A respondent who asks, when sending a response, to hear the outcome leaves an email
address for that one purpose (``OutcomeRequest``). When the activity's "you said, we
did" is published (approved by a person: heard.servicechange.outcomes), every such person is emailed
the link, by the task worker in batches; each address is marked sent in the same
transaction as its batch goes out and then erased, so nobody is emailed twice and no
address is kept longer than needed.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.mail import mail_render
from heard.engagement.models import Activity, OutcomeRequest

BATCH = 50


def outcome_request_record(*, activity: Activity, email: str) -> bool:
    """Keep the address until the outcome is published; False if it was already there."""
    _, created = OutcomeRequest.objects.get_or_create(
        activity=activity, email=email.strip().lower()
    )
    return created


def outcome_requests_pending(activity_id: int) -> list[int]:
    return list(
        OutcomeRequest.objects.filter(activity_id=activity_id, sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def outcome_mail_batch(*, request_ids: Sequence[int], url: str) -> int:
    """Email one batch and erase the addresses. Rows already sent (a retry, a second
    worker) are skipped under the row lock, so nobody gets the email twice. Returns how
    many were sent."""
    sent = 0
    with transaction.atomic():
        rows = list(
            OutcomeRequest.objects.select_for_update(of=("self",))
            .select_related("activity")
            .filter(pk__in=list(request_ids), sent_at__isnull=True)
        )
        if not rows:
            return 0
        activity = rows[0].activity
        messages = [
            mail_render(
                to=[row.email],
                template="engagement/email/outcome_published",
                context={"activity": activity, "url": url},
            )
            for row in rows
        ]
        now = timezone.now()
        OutcomeRequest.objects.filter(pk__in=[r.pk for r in rows]).update(sent_at=now, email="")
        audit_record(
            action=Action.ACTIVITY_UPDATED,
            subject=activity,
            after={"change": "outcome_emailed", "count": len(rows)},
        )
        # Sent inside the transaction: if sending fails the batch rolls back and the
        # task's retry sends it again; a row committed as sent is never sent again.
        for message in messages:
            message.send()
            sent += 1
    return sent
