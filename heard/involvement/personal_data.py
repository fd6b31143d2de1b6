"""A member's invitations for "download my data" and erasure; registered with
``heard.people.personal_data`` in apps.py."""

from typing import Any

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.involvement.models import Invitation
from heard.people.models import Member


def invitations_export(member: Member) -> list[dict[str, Any]]:
    return [
        {
            "opportunity": i.opportunity.title,
            "status": i.get_status_display(),
            "chosen": i.get_via_display(),
            "sent_at": _iso(i.sent_at),
            "answered_at": _iso(i.answered_at),
            "reminded_at": _iso(i.reminded_at),
        }
        for i in Invitation.objects.filter(member=member)
        .select_related("opportunity")
        .order_by("sent_at", "pk")
    ]


def invitations_erase_for(member: Member, actor: Any = None) -> int:
    """An invitation holds no name or address: it points at the member record, which
    ``member_erase`` makes anonymous. Those still unanswered are withdrawn (nobody is
    reminded, and no one waits for an answer); all stay, linked to the anonymous record,
    so participation and reach keep their counts. Returns how many were withdrawn."""
    open_ = list(Invitation.objects.filter(member=member, status=Invitation.Status.INVITED))
    for invitation in open_:
        invitation.status = Invitation.Status.WITHDRAWN
        invitation.save(update_fields=["status"])
        audit_record(
            action=Action.INVITATION_WITHDRAWN,
            actor=actor,
            subject=invitation,
            before={"status": Invitation.Status.INVITED},
            after={
                "status": invitation.status,
                "opportunity": invitation.opportunity_id,
                "reason": "member erased",
            },
        )
    return len(open_)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
