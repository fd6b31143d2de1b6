"""Personal API tokens, the pure rules (no Django).

A token is ``heard_`` followed by 43 URL-safe characters (256 random bits). Only its
SHA-256 is stored; the holder sees it once, when it is made.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

PREFIX = "heard_"
# token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-].
_SHAPE = re.compile(r"^heard_[A-Za-z0-9_-]{43}$")
# How many days a token may live: the choices offered, longest last.
LIFETIMES = (7, 30, 90)
SHOWN_PREFIX_LENGTH = 12  # "heard_" and the first six random characters, for recognising it


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def well_formed(secret: str) -> bool:
    return bool(_SHAPE.match(secret))


@dataclass(frozen=True)
class TokenFacts:
    revoked_at: datetime | None
    expires_at: datetime
    role_when_made: str
    role_now: str  # "" when the holder is switched off or no longer staff


def refusal(facts: TokenFacts, now: datetime) -> str:
    """Why the token may not be used now ("" when it may)."""
    if facts.revoked_at is not None:
        return "revoked"
    if facts.expires_at <= now:
        return "expired"
    if not facts.role_now:
        return "holder not staff"
    if facts.role_now != facts.role_when_made:
        return "role changed"
    return ""
