"""What engagement holds about a member for "download my data" and erasure; registered
with ``heard.people.personal_data`` in apps.py.

Responses are not linked to anyone: a response keeps no member, account, name or email
address, whether it was sent signed in or not (the receipt and save-and-resume emails
are sent once and their address is not kept). So what is linked to a member here is
what is kept by their email address: a request to be told the outcome, and a request
for an information format, until each is met.
"""

from typing import Any

from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.engagement.models import FormatRequest, OutcomeRequest
from heard.people.models import Member

RESPONSES_NOTE = (
    "Your survey responses are kept without your name, email address or account, so we "
    "cannot find them from your membership. To have one removed, tell us its reference "
    "(in your receipt email or on the page you saw after sending it)."
)


def _email(member: Member) -> str:
    return member.email.strip()


def responses_export(member: Member) -> dict[str, Any]:
    return {"linked_to_you": [], "note": RESPONSES_NOTE}


def responses_erase_for(member: Member, actor: Any = None) -> int:
    return 0  # nothing is linked (see the module docstring)


def requests_export(member: Member) -> dict[str, Any]:
    email = _email(member)
    if not email:
        return {"outcome": [], "formats": []}
    return {
        "outcome": [
            {
                "activity": r.activity.title,
                "email": r.email,
                "asked_at": _iso(r.created_at),
                "emailed_at": _iso(r.sent_at),
            }
            for r in OutcomeRequest.objects.filter(email__iexact=email).select_related("activity")
        ],
        "formats": [
            {
                "activity": r.activity.title,
                "format": r.get_format_display(),
                "language": r.language,
                "details": r.details,
                "email": r.contact_email,
                "postal_address": r.contact_postal,
                "asked_at": _iso(r.created_at),
                "status": r.get_status_display(),
            }
            for r in FormatRequest.objects.filter(contact_email__iexact=email).select_related(
                "activity"
            )
        ],
    }


def requests_erase_for(member: Member, actor: Any = None) -> int:
    """Outcome requests by their address are deleted (only a wish to be emailed). Format
    requests lose their contact details and free-text details; one still open is closed
    as not met, since nothing can be sent. What was asked for, and when, stays for the
    queue's figures. Returns how many requests were touched."""
    email = _email(member)
    if not email:
        return 0
    outcome, _ = OutcomeRequest.objects.filter(email__iexact=email).delete()
    formats = list(FormatRequest.objects.select_for_update().filter(contact_email__iexact=email))
    now = timezone.now()
    for r in formats:
        r.contact_email = r.contact_postal = r.details = ""
        if r.status == FormatRequest.Status.OPEN:
            r.status = FormatRequest.Status.DECLINED
            r.closed_at = now
            r.note = "Not sent: the person asked for their data to be erased."
        r.save()
        audit_record(
            action=Action.ACTIVITY_UPDATED,
            actor=actor,
            subject=r.activity,
            after={"change": "format_request_erased", "request": r.pk, "status": r.status},
        )
    return outcome + len(formats)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
