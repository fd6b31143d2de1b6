"""The insight bank: everything people told us, from any source, kept to be searched.

An ``Insight`` is one thing someone said: a free-text answer to a questionnaire, or a
comment imported from PALS, complaints, the Friends and Family Test or Healthwatch. It
keeps the original text and a redacted copy (personal data removed); only the redacted
copy is indexed for search and shown as a quote.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.people.models import Topic


class Source(models.TextChoices):
    SURVEY = "survey", "Survey response"
    PALS = "pals", "PALS"
    COMPLAINT = "complaint", "Complaint"
    FFT = "fft", "Friends and Family Test"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    OTHER = "other", "Other"


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    PAPER = "paper", "Paper"
    PHONE = "phone", "Phone"
    EVENT = "event", "Event"
    EMAIL = "email", "Email or letter"
    IN_PERSON = "in_person", "In person"
    OTHER = "other", "Other"


class InsightImport(models.Model):
    """One uploaded CSV of insight from another source."""

    class Status(models.TextChoices):
        RUNNING = "running", "Importing"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Stopped"
        DELETING = "deleting", "Removing its insights"
        DELETED = "deleted", "Removed"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    encoding = models.CharField(max_length=32, blank=True)
    default_source = models.CharField(max_length=16, choices=Source.choices)
    # The decoded file, kept only until the import has run.
    content = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    rejected_rows = models.PositiveIntegerField(default=0)
    columns = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    # Run as a recoverable job (heard.core.jobs): the task's attempt, its last sign of life.
    attempt = models.PositiveIntegerField(default=1)
    heartbeat_at = models.DateTimeField(null=True, blank=True, db_index=True)
    removed_rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.filename


class InsightImportRejectedRow(models.Model):
    batch = models.ForeignKey(InsightImport, on_delete=models.CASCADE, related_name="rejected")
    row_number = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    reason = models.TextField()

    class Meta:
        ordering = ("row_number",)

    def __str__(self) -> str:
        return f"Row {self.row_number}"


class Insight(models.Model):
    text = models.TextField()
    redacted_text = models.TextField()
    source = models.CharField(max_length=16, choices=Source.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices, blank=True)
    occurred_on = models.DateField()
    locality = models.CharField(max_length=64, blank=True)
    service = models.CharField(max_length=200, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="insights")
    # Filled later by analysis (theme names); empty until then.
    themes = models.JSONField(default=list, blank=True)
    sentiment = models.CharField(max_length=16, blank=True)
    sentiment_score = models.FloatField(null=True, blank=True)
    # Where it came from: a questionnaire answer or a row of an import.
    activity = models.ForeignKey(
        "engagement.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="insights",
    )
    # Erasing a response (or deleting an import) deletes the insights that came from it.
    response = models.ForeignKey(
        "engagement.Response",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="insights",
    )
    answer = models.OneToOneField(
        "engagement.Answer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="insight",
    )
    import_batch = models.ForeignKey(
        InsightImport, null=True, blank=True, on_delete=models.CASCADE, related_name="insights"
    )
    import_row = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-occurred_on", "-pk")
        indexes = [
            models.Index(fields=["occurred_on"], name="insight_occurred_idx"),
            models.Index(fields=["locality", "occurred_on"], name="insight_locality_idx"),
            models.Index(fields=["source", "occurred_on"], name="insight_source_idx"),
        ]

    def __str__(self) -> str:
        return f"Insight {self.pk}"


class SavedSearch(models.Model):
    """A staff member's named search, to run again later."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="insight_searches"
    )
    name = models.CharField(max_length=100)
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="insight_saved_search_unique")
        ]

    def __str__(self) -> str:
        return self.name


class InsightOwed(models.Model):
    """The queue of online responses whose insights are still to be made (ADR 11).

    A row is written in the transaction that stores the response (so it exists exactly
    when the response does) and deleted by the task worker once the insights are made,
    in batches; a worker killed mid-batch leaves its rows, and the next pass makes them
    (making insights is idempotent). The one queue between a response and its insights.
    """

    response = models.OneToOneField(
        "engagement.Response", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    queued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"insights owed for response {self.response_id}"
