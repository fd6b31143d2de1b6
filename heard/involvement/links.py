"""Signed accept/decline links in invitation emails (no sign-in needed to answer).

Each link carries the invitation id, the answer and its expiry, signed with a salt per
purpose, so an accept link cannot be turned into a decline link or used for anything
else. A link expires at the end of the opportunity's reply-by date, or 30 days after it
was sent.
"""

from datetime import datetime, time, timedelta

from django.core import signing
from django.utils import timezone

from heard.involvement.models import Invitation

SALTS = {
    "accept": "heard.involvement.invitation.accept",
    "decline": "heard.involvement.invitation.decline",
}
DEFAULT_VALID_DAYS = 30


class LinkInvalid(ValueError):
    """The link was changed or is not one of ours."""


class LinkExpired(ValueError):
    """The link was ours but its time is up."""


def link_expiry(invitation: Invitation) -> datetime:
    reply_by = invitation.opportunity.reply_by
    if reply_by is not None:
        return timezone.make_aware(datetime.combine(reply_by, time.max))
    return invitation.sent_at + timedelta(days=DEFAULT_VALID_DAYS)


def invitation_token(invitation: Invitation, answer: str) -> str:
    expires = int(link_expiry(invitation).timestamp())
    return signing.dumps({"i": invitation.pk, "e": expires}, salt=SALTS[answer], compress=True)


def invitation_from_token(token: str, answer: str) -> Invitation:
    """The invitation a link is for; raises LinkInvalid or LinkExpired."""
    if answer not in SALTS:
        raise LinkInvalid("unknown answer")
    try:
        payload = signing.loads(token, salt=SALTS[answer])
        invitation_id, expires = int(payload["i"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkInvalid("bad signature") from None
    if timezone.now().timestamp() > expires:
        raise LinkExpired("expired")
    try:
        return Invitation.objects.select_related("opportunity", "member").get(pk=invitation_id)
    except Invitation.DoesNotExist:
        raise LinkInvalid("no such invitation") from None
