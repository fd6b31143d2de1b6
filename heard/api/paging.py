"""One page of a list, as every list endpoint returns it."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from ninja.errors import ValidationError

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


def only_known_parameters(request: HttpRequest, query: type[Schema] | None = None) -> None:
    """Refuse a query parameter the operation does not know (422): a misspelt filter
    ("topics=") would otherwise be ignored and give every item as if it were filtered."""
    known = set(query.model_fields) if query is not None else set()
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise ValidationError(
            [
                {"type": "extra_forbidden", "loc": ["query", name], "msg": "Unknown parameter"}
                for name in unknown[:10]
            ]
        )
