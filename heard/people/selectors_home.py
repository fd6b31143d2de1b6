"""Reads for the staff home: member imports that went wrong."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from heard.people.models import ImportBatch


def imports_with_errors(*, days: int = 30, limit: int = 5) -> list[ImportBatch]:
    """Imports of the last ``days`` days that failed or turned rows away (one query)."""
    since = timezone.now() - timedelta(days=days)
    return list(
        ImportBatch.objects.filter(created_at__gte=since)
        .filter(Q(status=ImportBatch.Status.FAILED) | Q(rejected_rows__gt=0))
        .order_by("-created_at", "-pk")[:limit]
    )
