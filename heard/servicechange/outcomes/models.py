"""Conscientious consideration, decisions and outcome reports.

Everything hangs off the proposal (one outcome record and at most one decision per
proposal); the consultation and its themes are found through the apps below
(consultations → the activity's questionnaire → analysis codeframes).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.servicechange.outcomes import domain


class Outcome(models.Model):
    """The outcome report's own words (the rest is read from the records)."""

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="outcome"
    )
    summary = models.TextField(blank=True, help_text="A short summary for the front page")
    why = models.TextField(blank=True, help_text="What we consulted on and why")
    next_steps = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Outcome of {self.proposal}"


class ThemeResponse(models.Model):
    """Our response to one theme found in what people said (Gunning 4)."""

    class Changed(models.TextChoices):
        YES = domain.Changed.YES, "Yes"
        PARTLY = domain.Changed.PARTLY, "Partly"
        NO = domain.Changed.NO, "No"

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="responses")
    # A theme later deleted from the codeframe keeps its response (and its name).
    theme = models.ForeignKey(
        "analysis.Theme", null=True, on_delete=models.SET_NULL, related_name="outcome_responses"
    )
    theme_name = models.CharField(max_length=120)
    heard = models.TextField(blank=True, help_text="What we heard, in our words")
    response = models.TextField()
    changed = models.CharField(max_length=8, choices=Changed.choices)
    how = models.TextField(blank=True, help_text="How it changed the recommendation")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("outcome", "pk")
        constraints = [
            models.UniqueConstraint(fields=["outcome", "theme"], name="outcomes_theme_once")
        ]

    def __str__(self) -> str:
        return f"Response to {self.theme_name}"

    def facts(self) -> domain.ThemeResponseFacts:
        return domain.ThemeResponseFacts(self.response, self.changed, self.how)


class LateResponseDecision(models.Model):
    """A response received after the consultation closed that is not taken into account,
    with the reason (Gunning 4: every answer received is analysed, or a recorded decision
    says why not). Written once; the audit trail keeps who and when."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="late_decisions")
    response = models.ForeignKey("engagement.Response", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("decided_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["outcome", "response"], name="outcomes_late_once")
        ]

    def __str__(self) -> str:
        return f"Late response {self.response_id} set aside"


class ReportIssue(models.Model):
    """The outcome report issued to the decision makers: when, to whom, by whom."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="issues")
    issued_at = models.DateTimeField(default=timezone.now)
    issued_to = models.CharField(max_length=300)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("-issued_at", "-pk")

    def __str__(self) -> str:
        return f"Issued to {self.issued_to} on {self.issued_at:%Y-%m-%d}"


class Decision(models.Model):
    """The decision on a proposal: who decided, what, when, and the board paper."""

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="decision"
    )
    decided_on = models.DateField()
    decided_by = models.CharField(max_length=300, help_text="Who decided, e.g. the ICB board")
    decision = models.TextField(help_text="What was decided")
    board_paper_url = models.URLField(blank=True)
    board_paper_file = models.FileField(upload_to="board-papers/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The issued report version the decision was taken on (None: recorded before
    # reports were stored as issued).
    publication = models.ForeignKey(
        "ReportPublication", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Decision on {self.proposal} ({self.decided_on})"


class Immutable(models.Model):
    """A row written once and never changed or deleted through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"{self._meta.verbose_name} is a record as issued: it never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"{self._meta.verbose_name} is a record as issued: it is never deleted.")


class ReportPublication(Immutable):
    """The outcome report exactly as issued to the decision makers (version 1, 2…): the
    HTML and PDF bytes, the considerations and themes it showed, and their SHA-256 (also
    in the audit trail). Written once by ``report_issue``; a later version supersedes it
    only after the outcome was reopened with a reason."""

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="publications")
    version = models.PositiveIntegerField()
    issue = models.OneToOneField(ReportIssue, on_delete=models.PROTECT, related_name="publication")
    issued_at = models.DateTimeField()
    issued_to = models.CharField(max_length=300)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The standalone document (the PDF's source) and the body shown on the staff page.
    html = models.TextField()
    body_html = models.TextField()
    pdf = models.BinaryField()
    # The report's own words, the responses to themes and the themes (with counts and the
    # quotes people agreed to publish), as issued: "you said, we did" is built from these.
    text = models.JSONField(default=dict)
    considerations = models.JSONField(default=list)
    themes = models.JSONField(default=list)
    facts = models.JSONField(default=dict)
    html_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    content_sha256 = models.CharField(max_length=64)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    reason = models.TextField(blank=True, help_text="Why this version supersedes the last")

    class Meta:
        ordering = ("outcome", "-version")
        constraints = [
            models.UniqueConstraint(fields=["outcome", "version"], name="outcomes_report_version")
        ]

    def __str__(self) -> str:
        return f"Outcome report version {self.version}, issued {self.issued_at:%Y-%m-%d}"


class ReportReopening(Immutable):
    """An issued report opened again for changes, with the reason (one per version)."""

    publication = models.OneToOneField(
        ReportPublication, on_delete=models.PROTECT, related_name="reopening"
    )
    reason = models.TextField()
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Reopened version {self.publication.version}"


class Publication(models.Model):
    """One "you said, we did" going public: a consultation's outcome (built from an issued
    report version) or an activity's feedback. Checked by the redactor when it is sent
    for approval; public only once a person with ``outcomes.publish`` approves it, and
    then what is shown is ``html`` (the redacted text, rendered at approval), never a
    live query."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Consultation outcome"
        ACTIVITY = "activity", "Activity feedback"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Published"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn (a newer version was sent)"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    proposal = models.ForeignKey(
        "proposals.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    report = models.ForeignKey(
        ReportPublication,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="public_versions",
    )
    activity = models.ForeignKey(
        "engagement.Activity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    title = models.CharField(max_length=300)
    # What was sent (``content``), what will be shown (``redacted``) and where the
    # redactor changed it (``findings``: path, start, end, type).
    content = models.JSONField(default=dict)
    redacted = models.JSONField(default=dict)
    findings = models.JSONField(default=list)
    content_sha256 = models.CharField(max_length=64)
    html = models.TextField(blank=True)
    html_sha256 = models.CharField(max_length=64, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was rejected")
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )

    class Meta:
        ordering = ("-submitted_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="outcome", proposal__isnull=False, report__isnull=False)
                    | models.Q(kind="activity", activity__isnull=False)
                ),
                name="outcomes_publication_has_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Pending → approved, rejected or withdrawn, once; what was approved never changes."""
        if not self._state.adding:
            stored = Publication.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != self.Status.PENDING:
                raise ValueError("A publication that was decided on never changes.")
        super().save(*args, **kwargs)
