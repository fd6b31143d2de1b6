"""The annual involvement report (s.14Z58): the narrative staff write for a financial
year, the board's approval, and every version as published – stored as issued."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.reports import domain


class AnnualReport(models.Model):
    """One financial year's report while it is written, approved and published. The
    figures are never stored here: they come from the records (``selectors.figures``),
    and are frozen only in a published ``ReportVersion``."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved by the board"
        PUBLISHED = "published", "Published"

    year = models.PositiveSmallIntegerField(
        unique=True, help_text="The financial year by its first year: 2026 is 2026/27"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    introduction = models.TextField(blank=True)
    planning = models.TextField(blank=True)
    proposals = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    reach = models.TextField(blank=True)
    groups = models.TextField(blank=True)
    next_year = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The board's approval: who recorded it, the meeting, and what it approved: the
    # figures are frozen at that moment (``approved_figures``) and published as approved;
    # the narrative can no longer be edited; the SHA-256 of both is checked at publication.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    approved_at_meeting = models.CharField(max_length=300, blank=True)
    approved_figures = models.JSONField(default=dict, blank=True)
    approved_content_sha256 = models.CharField(max_length=64, blank=True)
    # Reopened for a correction after publication: the reason goes on the next version.
    correction_reason = models.TextField(blank=True)

    objects: ClassVar[models.Manager["AnnualReport"]] = models.Manager()

    class Meta:
        ordering = ("-year",)
        default_permissions = ()

    def __str__(self) -> str:
        return f"Annual involvement report {self.period.label}"

    @property
    def period(self) -> domain.Period:
        return domain.financial_year(self.year)

    def narrative(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in domain.SECTION_KEYS}


class FrozenQuerySet(models.QuerySet["ReportVersion"]):
    """Published versions are never changed or deleted in bulk either."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError("A published annual report is a record as issued: it never changes.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError("A published annual report is a record as issued: it is never deleted.")


class ReportVersion(models.Model):
    """The report exactly as published (version 1, 2…): the HTML page and the tagged PDF
    made from one template, the CSV annex of the figures, the figures and narrative they
    were made from, and their SHA-256 (also in the audit event). Written once; never
    changed or deleted. A correction is a new version naming the one it supersedes and why."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    html = models.TextField()
    body_html = models.TextField()
    pdf = models.BinaryField()
    csv = models.TextField()
    narrative = models.JSONField(default=dict)
    figures = models.JSONField(default=dict)
    html_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    csv_sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_name = models.CharField(max_length=200)
    approved_on = models.DateField()
    approved_at_meeting = models.CharField(max_length=300)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    reason = models.TextField(blank=True, help_text="Why this version supersedes the last")

    objects: ClassVar[models.Manager["ReportVersion"]] = FrozenQuerySet.as_manager()

    class Meta:
        ordering = ("report", "-version")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="reports_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.report}, version {self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A published annual report is a record as issued: it never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("A published annual report is a record as issued: it is never deleted.")

    @property
    def filename_stem(self) -> str:
        return f"annual-involvement-report-{self.report.period.label.replace('/', '-')}-v{self.version}"
