"""Conscientious consideration, decisions and outcome reports.

Everything hangs off the proposal (one outcome record and at most one decision per
proposal); the consultation and its themes are found through the apps below
(consultations → the activity's questionnaire → analysis codeframes).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.outcomes import domain


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

    def __str__(self) -> str:
        return f"Decision on {self.proposal} ({self.decided_on})"
