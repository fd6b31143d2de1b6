"""Reading members, for the member-facing pages (staff reads live in selectors_staff.py)."""

from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from heard.core.text import email_normalise
from heard.people import personal_data
from heard.people.equality import QUESTIONS
from heard.people.history import history_for
from heard.people.models import EqualityMonitoring, Member, Topic


def topics_active() -> QuerySet[Topic]:
    """The managed list of topics and service areas a member can choose from."""
    return Topic.objects.filter(active=True).order_by("kind", "name")


def members_with_email(email: str) -> QuerySet[Member]:
    """Members holding ``email``, in any case; uses the unique index on LOWER(email)."""
    address = email_normalise(email)
    if not address:
        return Member.objects.none()
    # The index is partial (addresses that are not blank): say so, or it is not used.
    return (
        Member.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=address)
        .exclude(email="")
    )


def member_for_user(user: Any) -> Member | None:
    """The member record of a signed-in member of the public, or None (staff, anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user=user).exclude(status=Member.Status.ERASED).first()


def member_equality_answers(*, member: Member) -> dict[str, str]:
    """The member's own equality answers, by question ("" where not answered)."""
    row = EqualityMonitoring.objects.filter(member=member).first()
    return {name: (getattr(row, name) if row else "") for name in QUESTIONS}


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def member_data_export(*, member: Member) -> dict[str, Any]:
    """Everything held about a member, for "download my data" (UK GDPR right of access)."""
    equality = member_equality_answers(member=member)
    equality_labels = {
        name: {
            "question": QUESTIONS[name][0],
            "answer": dict(QUESTIONS[name][1]).get(value, ""),
        }
        for name, value in equality.items()
        if value
    }
    return {
        "exported_at": timezone.now().isoformat(),
        "member": {
            "full_name": member.full_name,
            "email": member.email,
            "phone": member.phone,
            "postcode": member.postcode,
            "postcode_district": member.postcode_district,
            "locality": member.locality,
            "status": member.get_status_display(),
            "source": member.get_source_display(),
            "joined_at": _when(member.joined_at),
            "email_verified_at": _when(member.email_verified_at),
            "last_active_at": _when(member.last_active_at),
        },
        "contact_preferences": {
            "email": member.contact_by_email,
            "phone": member.contact_by_phone,
            "post": member.contact_by_post,
        },
        "interests": [
            {"name": topic.name, "kind": topic.get_kind_display()}
            for topic in member.interests.order_by("name")
        ],
        "consents": [
            {
                "purpose": consent.get_purpose_display(),
                "wording": consent.wording,
                "given_at": _when(consent.given_at),
                "withdrawn_at": _when(consent.withdrawn_at),
                "channel": consent.channel,
            }
            for consent in member.consents.order_by("given_at", "pk")
        ],
        "groups": [
            {
                "group": membership.group.name,
                "role": membership.get_role_display(),
                "since": _when(membership.since),
                "until": _when(membership.until),
            }
            for membership in member.group_memberships.select_related("group").order_by(
                "group__name"
            )
        ],
        "equality_monitoring": equality_labels,
        "history": [
            {"when": _when(item.when), "kind": item.kind, "text": item.text}
            for item in history_for(member)
        ],
        # What other parts of Heard hold about them: bookings, invitations, follows…
        **personal_data.export_all(member),
    }
