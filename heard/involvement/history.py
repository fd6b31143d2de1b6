"""A member's invitations, for the staff person page (registered in apps.py)."""

from django.urls import reverse

from heard.involvement.models import Invitation
from heard.people.history import HistoryItem
from heard.people.models import Member


def invitation_history(member: Member) -> list[HistoryItem]:
    items: list[HistoryItem] = []
    for invitation in Invitation.objects.filter(member=member).select_related("opportunity"):
        status = invitation.get_status_display().lower()
        items.append(
            HistoryItem(
                when=invitation.sent_at,
                kind="Invitation",
                text=f"Invited to: {invitation.opportunity.title} ({status})",
                url=reverse("involvement:opportunity", kwargs={"pk": invitation.opportunity_id}),
            )
        )
    return items
