"""Reads for the staff home: insight imports that went wrong."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from heard.insight.models import InsightImport


def imports_with_errors(*, days: int = 30, limit: int = 5) -> list[InsightImport]:
    """Insight imports of the last ``days`` days that failed or turned rows away."""
    since = timezone.now() - timedelta(days=days)
    return list(
        InsightImport.objects.filter(created_at__gte=since)
        .filter(Q(status=InsightImport.Status.FAILED) | Q(rejected_rows__gt=0))
        .order_by("-created_at", "-pk")[:limit]
    )
