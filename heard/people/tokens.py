"""Signed links for members: confirm an email address, sign in, unsubscribe.

Each purpose has its own salt, so a link made for one purpose never works for another,
and its own lifetime: a confirmation link lasts 3 days, a sign-in link 30 minutes and
works once (it carries the member's ``sign_in_counter``, which goes up when it is used),
an unsubscribe link never expires; a link to confirm a new address lasts 3 days. Tokens hold ids and a short hash of the email
address, never the address itself (links end up in logs).
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

VERIFY_SALT = "heard.people.member.verify"
SIGN_IN_SALT = "heard.people.member.sign_in"
UNSUBSCRIBE_SALT = "heard.people.member.unsubscribe"
EMAIL_CHANGE_SALT = "heard.people.member.email_change"

VERIFY_MAX_AGE = timedelta(days=3)
SIGN_IN_MAX_AGE = timedelta(minutes=30)


class InvalidToken(ValueError):
    """The link has expired, was changed, or was made for something else."""


@dataclass(frozen=True)
class TokenData:
    member_id: int
    email_hash: str = ""
    counter: int = 0


def email_hash(email: str) -> str:
    """A short, non-reversible fingerprint: a link stops working if the address changes."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def _load(token: str, *, salt: str, max_age: timedelta | None) -> dict[str, object]:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature too
        raise InvalidToken("This link has expired or is not valid.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        raise InvalidToken("This link has expired or is not valid.")
    return data


def verify_token_make(*, member_id: int, email: str) -> str:
    return signing.dumps({"m": member_id, "e": email_hash(email)}, salt=VERIFY_SALT)


def verify_token_read(token: str) -> TokenData:
    data = _load(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    return TokenData(member_id=int(str(data["m"])), email_hash=str(data.get("e", "")))


def sign_in_token_make(*, member_id: int, email: str, counter: int) -> str:
    return signing.dumps({"m": member_id, "e": email_hash(email), "c": counter}, salt=SIGN_IN_SALT)


def sign_in_token_read(token: str) -> TokenData:
    data = _load(token, salt=SIGN_IN_SALT, max_age=SIGN_IN_MAX_AGE)
    counter = data.get("c")
    if not isinstance(counter, int):
        raise InvalidToken("This link has expired or is not valid.")
    return TokenData(
        member_id=int(str(data["m"])), email_hash=str(data.get("e", "")), counter=counter
    )


def email_change_token_make(*, member_id: int, new_email: str) -> str:
    return signing.dumps({"m": member_id, "e": email_hash(new_email)}, salt=EMAIL_CHANGE_SALT)


def email_change_token_read(token: str) -> TokenData:
    data = _load(token, salt=EMAIL_CHANGE_SALT, max_age=VERIFY_MAX_AGE)
    return TokenData(member_id=int(str(data["m"])), email_hash=str(data.get("e", "")))


def unsubscribe_token_make(*, member_id: int) -> str:
    return signing.dumps({"m": member_id}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_read(token: str) -> TokenData:
    data = _load(token, salt=UNSUBSCRIBE_SALT, max_age=None)
    return TokenData(member_id=int(str(data["m"])))
