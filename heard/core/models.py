"""Shared tables with no owner among the domain apps."""

from django.db import models


class RateCounter(models.Model):
    """How many times one thing happened in one fixed time window (rate limits).

    One row per (purpose, subject, window); ``heard.core.ratelimit`` adds to it with a
    single atomic upsert, so concurrent requests on any number of servers can never
    both see "one below the limit" (a read-then-write counter let 41 of 24×2 sends
    through against a limit of 30). Rows past ``expires_at`` are deleted as we go.
    """

    bucket = models.CharField(max_length=120, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.bucket}: {self.count}"
