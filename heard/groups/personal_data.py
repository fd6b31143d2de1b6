"""A member's terms on standing groups (and their attendance) for "download my data"
and erasure; registered with ``heard.people.personal_data`` in apps.py."""

from typing import Any

from heard.groups.models import Attendance, MembershipTerm
from heard.people.models import Member


def terms_export(member: Member) -> list[dict[str, Any]]:
    return [
        {
            "group": term.standing_group.group.name,
            "role": term.get_role_display(),
            "starts_on": _iso(term.starts_on),
            "ends_on": _iso(term.ends_on),
            "named_publicly": term.named_publicly,
            "meetings": [
                {
                    "meeting": a.meeting.title,
                    "on": _iso(a.meeting.starts_at),
                    "attendance": a.get_status_display(),
                }
                for a in Attendance.objects.filter(term=term).select_related("meeting")
            ],
        }
        for term in MembershipTerm.objects.filter(member=member)
        .select_related("standing_group__group")
        .order_by("starts_on", "pk")
    ]


def terms_erase_for(member: Member, actor: Any = None) -> int:
    """Terms and attendance stay, linked to the anonymous member record, so a group's
    attendance figures hold; a chair is no longer named on the public page."""
    return MembershipTerm.objects.filter(member=member, named_publicly=True).update(
        named_publicly=False
    )


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
