"""Signed links in booking emails: cancel a booking without signing in.

A link carries the booking id and its expiry – the start of the event, after which a
place cannot be given back – signed with a salt of its own, so it works for nothing
else. The page after booking is reached with a short-lived token of its own.
"""

from datetime import datetime

from django.core import signing
from django.utils import timezone

CANCEL_SALT = "heard.events.booking.cancel"
DONE_SALT = "heard.events.booking.done"
DONE_MAX_AGE = 60 * 60  # seconds: the page after booking, from the redirect


class LinkInvalid(ValueError):
    """The link was changed or is not one of ours."""


class LinkExpired(ValueError):
    """The link was ours but its time is up."""


def cancel_token(booking_id: int, expires: datetime) -> str:
    return signing.dumps({"b": booking_id, "e": int(expires.timestamp())}, salt=CANCEL_SALT)


def booking_id_from_cancel_token(token: str, *, now: datetime | None = None) -> int:
    """The booking a cancel link is for; raises LinkInvalid or LinkExpired."""
    try:
        payload = signing.loads(token, salt=CANCEL_SALT)
        booking_id, expires = int(payload["b"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkInvalid("bad signature") from None
    if (now or timezone.now()).timestamp() > expires:
        raise LinkExpired("expired")
    return booking_id


def done_token(booking_id: int) -> str:
    return signing.dumps({"b": booking_id}, salt=DONE_SALT)


def booking_id_from_done_token(token: str) -> int:
    try:
        return int(signing.loads(token, salt=DONE_SALT, max_age=DONE_MAX_AGE)["b"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkInvalid("bad or old token") from None
