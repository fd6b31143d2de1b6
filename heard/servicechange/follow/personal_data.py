"""What a member follows (matched by email address) for "download my data" and
erasure; registered with ``heard.people.personal_data`` in apps.py."""

from typing import Any

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.people.models import Member
from heard.servicechange.follow.models import Follower


def _followers(member: Member) -> Any:
    if not member.email.strip():
        return Follower.objects.none()
    return Follower.objects.filter(email__iexact=member.email.strip())


def follows_export(member: Member) -> list[dict[str, Any]]:
    return [
        {
            "email": f.email,
            "how_often": f.get_frequency_display(),
            "since": _iso(f.created_at),
            "unsubscribed_at": _iso(f.unsubscribed_at),
            "following": [
                {
                    "kind": follow.get_kind_display(),
                    "what": follow.label,
                    "confirmed_at": _iso(follow.confirmed_at),
                }
                for follow in f.follows.all()
            ],
            "told_of": [
                {"what": n.title or n.what, "at": _iso(n.sent_at)}
                for n in f.notifications.order_by("created_at", "pk")
            ],
        }
        for f in _followers(member).order_by("pk")
    ]


def follows_erase_for(member: Member, actor: Any = None) -> int:
    """The follower goes altogether (their address, follows and what they were told), as
    after unsubscribing; nothing is kept, since a follow is only a wish to be emailed.
    Returns how many followers were removed (0 or 1)."""
    removed = 0
    for follower in _followers(member):
        follows = follower.follows.count()
        audit_record(
            action=Action.FOLLOW_UNSUBSCRIBED,
            actor=actor,
            subject=follower,
            after={"removed": follows, "reason": "member erased"},
        )
        follower.delete()
        removed += 1
    return removed


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
