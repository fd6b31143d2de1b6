"""One page of a list, as every list endpoint returns it."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet

from heard.api.schemas import PageQuery


def page_of(
    items: QuerySet[Any] | Sequence[Any],
    query: PageQuery,
    convert: Callable[[Any], Any],
    **extra: Any,
) -> dict[str, Any]:
    count = items.count() if isinstance(items, QuerySet) else len(items)
    start = (query.page - 1) * query.page_size
    chosen = items[start : start + query.page_size]
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "items": [convert(item) for item in chosen],
        **extra,
    }
