"""Filter values as full-text index tokens (pure, no Django).

The SQLite FTS5 index keeps, beside each insight's text, a ``facets`` column of tokens
for its place, source, topics and date (year, month and day), so search filters are
answered inside the index by intersecting lists instead of by looking up each match.
A date range becomes the fewest whole years, whole months and single days that cover
exactly that range.
"""

import calendar
import re
from collections.abc import Iterable
from datetime import date, timedelta


def facet_token(kind: str, value: str) -> str:
    """One index token for a filter value, e.g. ("loc", "King's Lynn") -> "lockingslynn"."""
    return kind + re.sub(r"[^a-z0-9]", "", value.lower())


def date_tokens(day: date) -> list[str]:
    return [f"y{day:%Y}", f"m{day:%Y%m}", f"d{day:%Y%m%d}"]


def facets_for(*, locality: str, source: str, topic_slugs: Iterable[str], occurred_on: date) -> str:
    tokens = [facet_token("src", source), *date_tokens(occurred_on)]
    if locality:
        tokens.append(facet_token("loc", locality))
    tokens += [facet_token("topic", slug) for slug in topic_slugs]
    return " ".join(tokens)


def date_range_tokens(start: date, end: date) -> list[str]:
    """Tokens whose union is exactly the days from ``start`` to ``end`` inclusive."""
    tokens: list[str] = []
    day = start
    while day <= end:
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= end:
            tokens.append(f"y{day:%Y}")
            day = date(day.year + 1, 1, 1)
            continue
        if day.day == 1:
            last = date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
            if last <= end:
                tokens.append(f"m{day:%Y%m}")
                day = last + timedelta(days=1)
                continue
        tokens.append(f"d{day:%Y%m%d}")
        day += timedelta(days=1)
    return tokens
