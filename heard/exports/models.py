"""An export asked for by a member of staff: what, in which format, by whom, and the file
(kept for ``HEARD_EXPORTS_KEEP_HOURS``, then deleted by ``exports_cleanup``)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class Export(models.Model):
    class Kind(models.TextChoices):
        RESPONSES = "responses", "Responses"
        ANALYSIS = "analysis", "Analysis results"
        OPEN_DATA = "open_data", "Open data"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"
        JSON = "json", "JSON"
        ZIP = "zip", "ZIP"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Deleted (kept for a limited time)"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    format = models.CharField(max_length=8, choices=Format.choices)
    activity = models.ForeignKey(
        "engagement.Activity", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        "engagement.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    publication = models.ForeignKey(
        "outcomes.Publication", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Free text with personal data replaced by placeholders (everyone without
    # engagement.view_responses_unredacted gets only this).
    redacted = models.BooleanField(default=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    data = models.BinaryField(blank=True, default=b"")
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    rows = models.PositiveIntegerField(default=0)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    objects: ClassVar[models.Manager["Export"]] = models.Manager()

    class Meta:
        ordering = ("-requested_at", "-pk")
        default_permissions = ()

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.kind}, {self.format})"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
