"""The real client address, and atomic per-client and per-recipient rate limits.

Behind ``HEARD_TRUSTED_PROXY_COUNT`` reverse proxies (0 by default: the peer is the
client), the client address is the entry that many places from the right of
``X-Forwarded-For`` – the one the outermost trusted proxy wrote. Anything further left
was written by the client and is never trusted; with a count of 0 the header is ignored
entirely. ``ClientAddressMiddleware`` (heard.core.middleware) puts the address in
``REMOTE_ADDR`` for everything after it, and django-allauth is given the same function
(heard.accounts.adapters), so every rate limit and lock-out sees one address.

Counters are rows of ``core.RateCounter`` in fixed windows, added to by one
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement (SQLite ≥ 3.35 and
PostgreSQL): atomic whatever the cache backend (Django's database cache ``incr`` reads
then writes, so two servers could both pass the limit).
"""

import hashlib
import ipaddress
import logging
import random
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from heard.core.models import RateCounter

logger = logging.getLogger(__name__)

_ATTR = "_heard_client_address"
# Expired counters are swept by about one hit in this many.
SWEEP_ONE_IN = 200


def trusted_proxy_count() -> int:
    return max(0, int(getattr(settings, "HEARD_TRUSTED_PROXY_COUNT", 0)))


def _valid_ip(value: str) -> str:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def client_address_from(meta: dict[str, object], count: int) -> str:
    """The client address from a request's META for ``count`` trusted proxies."""
    peer = str(meta.get("REMOTE_ADDR", "") or "")
    if count <= 0:
        return peer
    forwarded = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        # Reached us without passing the proxies (a health check on loopback).
        return peer
    # Fewer entries than proxies: the request skipped an outer proxy; the leftmost entry
    # is still one a proxy of ours wrote (each appends the address it saw).
    entry = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    address = _valid_ip(entry)
    if not address:
        logger.warning("X-Forwarded-For entry %r is not an address; using the peer", entry[:60])
        return peer
    return address


def client_address(request: HttpRequest) -> str:
    """The address of the person making the request (see the module docstring)."""
    cached = getattr(request, _ATTR, None)
    if cached is None:
        cached = client_address_from(request.META, trusted_proxy_count())
        setattr(request, _ATTR, cached)
    return str(cached)


def address_subject(address: str) -> str:
    """What an address is limited as: itself, or its /64 for IPv6 (one household)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False).network_address) + "/64"
    return str(ip)


def _digest(subject: str) -> str:
    # Keyed, so the table holds no addresses (personal data) in the clear.
    return hashlib.sha256(f"{settings.SECRET_KEY}:{subject}".encode()).hexdigest()[:32]


def _window(now: datetime, seconds: int) -> tuple[int, datetime]:
    index = int(now.timestamp()) // seconds
    return index, datetime.fromtimestamp((index + 1) * seconds, tz=now.tzinfo)


def hit(
    *, purpose: str, subject: str, limit: int, seconds: int, now: datetime | None = None
) -> bool:
    """Count one attempt at ``purpose`` by ``subject``; False once over ``limit`` in the window.

    One atomic statement: of any number of concurrent attempts exactly ``limit`` are
    allowed per window. Refused attempts are counted too (they carry on being refused).
    """
    return count_add(purpose=purpose, subject=subject, seconds=seconds, now=now) <= limit


def count_add(*, purpose: str, subject: str, seconds: int, now: datetime | None = None) -> int:
    """Add one to the counter and return the new count, in one statement."""
    now = now or timezone.now()
    index, ends = _window(now, seconds)
    bucket = f"{purpose[:40]}:{_digest(subject)}:{index}"
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (bucket) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [bucket, connection.ops.adapt_datetimefield_value(ends)],
        )
        row = cursor.fetchone()
    if random.randrange(SWEEP_ONE_IN) == 0:  # noqa: S311 - not security
        RateCounter.objects.filter(expires_at__lt=now).delete()
    return int(row[0])


def count_read(*, purpose: str, subject: str, seconds: int, now: datetime | None = None) -> int:
    """The count so far in the current window (for messages and tests)."""
    now = now or timezone.now()
    index, _ends = _window(now, seconds)
    row = RateCounter.objects.filter(bucket=f"{purpose[:40]}:{_digest(subject)}:{index}").first()
    return row.count if row else 0
