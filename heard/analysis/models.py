"""Analysis of the free-text answers to one question: runs, codeframe, codings.

A run (background task) redacts, finds duplicates and campaigns, scores sentiment, flags
evidence, proposes a codeframe and suggests themes. People edit the codeframe and decide
on suggestions; their decisions are never replaced by a later run.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.analysis import domain


class AnalysisRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = domain.RunStatus.QUEUED, "Waiting to start"
        RUNNING = domain.RunStatus.RUNNING, "Running"
        DONE = domain.RunStatus.DONE, "Finished"
        FAILED = domain.RunStatus.FAILED, "Failed"

    question = models.ForeignKey(
        "engagement.Question", on_delete=models.CASCADE, related_name="analysis_runs"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=120, blank=True)
    seed = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # For people: what went wrong and what to do (never a stack trace).
    error = models.TextField(blank=True)
    # Counts and campaign groups found (no personal data: redacted templates only).
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"Analysis run {self.pk}"

    @property
    def percent(self) -> int:
        return domain.percent(self.progress_done, self.progress_total)

    @property
    def is_active(self) -> bool:
        return self.status in domain.ACTIVE


class Codeframe(models.Model):
    """The themes of one question. ``version`` goes up with every change people make."""

    question = models.OneToOneField(
        "engagement.Question", on_delete=models.CASCADE, related_name="codeframe"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set while a report issued on this analysis stands (by the stage that issued it,
    # through ``services.codeframes_lock``): why the themes and codings cannot change.
    locked_reason = models.CharField(max_length=300, blank=True, default="")

    def __str__(self) -> str:
        return f"Codeframe for question {self.question_id} (version {self.version})"


class Theme(models.Model):
    codeframe = models.ForeignKey(Codeframe, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # Redacted quotes chosen by theme discovery.
    quotes = models.JSONField(default=list, blank=True)
    # Answers in the theme when it was proposed (live counts come from codings).
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("codeframe", "pk")

    def __str__(self) -> str:
        return self.name


class Coding(models.Model):
    """One theme on one answer, suggested by the machine or given by a person."""

    class Source(models.TextChoices):
        MACHINE = "machine", "Machine"
        PERSON = "person", "Person"

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    answer = models.ForeignKey(
        "engagement.Answer", on_delete=models.CASCADE, related_name="codings"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="codings")
    source = models.CharField(max_length=8, choices=Source.choices)
    confidence = models.FloatField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SUGGESTED, db_index=True
    )
    # Who decided (accepted, rejected or coded by hand) and when; empty for suggestions.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("answer", "-confidence", "pk")
        constraints = [
            models.UniqueConstraint(fields=["answer", "theme"], name="analysis_coding_once")
        ]
        indexes = [models.Index(fields=["theme", "status"], name="analysis_coding_theme_idx")]

    def __str__(self) -> str:
        return f"{self.theme_id} on {self.answer_id} ({self.source}, {self.status})"


class AnswerAnalysis(models.Model):
    """What the last run found about one answer (redacted text only)."""

    answer = models.OneToOneField(
        "engagement.Answer", on_delete=models.CASCADE, related_name="analysis"
    )
    question = models.ForeignKey("engagement.Question", on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(AnalysisRun, null=True, on_delete=models.SET_NULL, related_name="+")
    redacted_text = models.TextField()
    sentiment = models.CharField(max_length=16, blank=True)
    score = models.FloatField(null=True, blank=True)
    duplicate_group = models.IntegerField(null=True, blank=True)
    campaign = models.BooleanField(default=False)
    evidence_flagged = models.BooleanField(default=False)
    evidence = models.JSONField(default=list, blank=True)  # the reasons it was flagged
    needs_review = models.BooleanField(default=False)
    # Position in the active learner's "code these next" list (1 = most useful).
    code_next_rank = models.PositiveIntegerField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["question", "reviewed_at"], name="analysis_answer_queue_idx")
        ]

    def __str__(self) -> str:
        return f"Analysis of answer {self.answer_id}"


class CodeframeVersion(models.Model):
    """A codeframe as an analyst signed it off: the machine proposes themes (the live
    ``Theme`` rows people edit); what is reported is a signed-off version, frozen here with
    its names, descriptions, chosen quotes and counts at sign-off. Never edited after."""

    codeframe = models.ForeignKey(Codeframe, on_delete=models.PROTECT, related_name="signed")
    number = models.PositiveIntegerField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(default=timezone.now)
    # Why a new version was signed off after the first (empty for version 1).
    reason = models.TextField(blank=True)
    # The editor's ``Codeframe.version`` when signed off (to tell whether it changed since).
    edit_version = models.PositiveIntegerField()
    answers = models.PositiveIntegerField(default=0)  # answers analysed at sign-off

    class Meta:
        ordering = ("codeframe", "-number")
        constraints = [
            models.UniqueConstraint(
                fields=["codeframe", "number"], name="analysis_codeframe_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"Codeframe {self.codeframe_id} version {self.number}"


class SignedTheme(models.Model):
    """One theme of a signed-off codeframe version, as it stood at sign-off."""

    version = models.ForeignKey(CodeframeVersion, on_delete=models.CASCADE, related_name="themes")
    # The live theme's id at sign-off (kept when the live theme is later merged away:
    # responses to themes are keyed by it).
    theme_id_at_sign_off = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    depth = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120)
    description = models.TextField()
    # Redacted words of consenting people, chosen from the theme's codings at sign-off.
    quotes = models.JSONField(default=list, blank=True)
    answers = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)
    neutral = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("version", "position")

    def __str__(self) -> str:
        return self.name
