"""Formal consultations (issue 6): a proposal's statutory consultation.

A ``Consultation`` is an engagement ``Activity`` at consult level (kind "formal
consultation", with its questionnaire) plus what the law and guidance add: the
consultation document, overview and scrutiny (councils, dates, change notices), telling
people, and the mid-point review. Its opening and closing times are the activity's, so
the engagement clock opens and closes it, and the Gunning checks (``gunning.py``) are
enforced on every move by an ``heard.engagement.guards`` guard.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.engagement import domain as engagement_domain
from heard.engagement.models import Activity
from heard.servicechange.proposals.models import Proposal


class Consultation(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="consultation")
    activity = models.OneToOneField(Activity, on_delete=models.PROTECT, related_name="consultation")
    slug = models.SlugField(max_length=220, unique=True)
    # Adequate time: a period shorter than the minimum (the rules page) needs this, and
    # the panel names who recorded (approved) it.
    short_period_justification = models.TextField(blank=True)
    short_period_justified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    short_period_justified_at = models.DateTimeField(null=True, blank=True)
    # The consultation document: sections are drafted, then published together.
    document_published_at = models.DateTimeField(null=True, blank=True)
    document_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Overview and scrutiny.
    osc_comments_due_on = models.DateField(
        null=True, blank=True, help_text="The date the committee's comments are due"
    )
    proposed_decision_on = models.DateField(null=True, blank=True)
    joint_committee_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where several councils are consulted, the joint committee formed",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.activity.title if self.activity_id else self.slug

    @property
    def title(self) -> str:
        return self.activity.title

    @property
    def opens_at(self) -> datetime | None:
        return self.activity.opens_at

    @property
    def closes_at(self) -> datetime | None:
        return self.activity.closes_at

    def status_at(self, now: datetime | None = None) -> engagement_domain.Status:
        """The activity's status as the public sees it at ``now`` (exact to the second)."""
        return engagement_domain.effective_status(self.activity.facts(), now or timezone.now())

    def is_closed_at(self, now: datetime | None = None) -> bool:
        return self.status_at(now) in (
            engagement_domain.Status.CLOSED,
            engagement_domain.Status.FEEDBACK_PUBLISHED,
            engagement_domain.Status.ARCHIVED,
        )

    @property
    def is_closed(self) -> bool:
        return self.is_closed_at()

    @property
    def is_open(self) -> bool:
        return self.status_at() == engagement_domain.Status.OPEN


class DocumentSection(models.Model):
    """One section of the consultation document: a draft and what was published."""

    class Key(models.TextChoices):
        PROPOSAL = "proposal", "The proposal"
        OPTIONS = "options", "The options"
        REASONS = "reasons", "Our reasons"
        ALTERNATIVES = "alternatives", "Alternatives set aside and why"
        COSTS = "costs", "Costs"
        IMPACTS = "impacts", "Impacts"
        EQIA = "eqia", "Equality impact assessment"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    key = models.CharField(max_length=16, choices=Key.choices)
    body = models.TextField(blank=True, help_text="The draft")
    published_body = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "key"], name="consultations_section_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation}: {self.get_key_display()}"

    @property
    def has_unpublished_changes(self) -> bool:
        return self.body.strip() != self.published_body.strip()


class DocumentVersion(models.Model):
    """One published version of the consultation document, kept for ever.

    Publishing makes version 1 (and more before the consultation opens). Once it has
    opened the document is frozen: a correction is a new version with a reason, shown on
    the public page as "corrected on … because …"; every version stays public. The audit
    event of each version carries its ``content_hash`` (SHA-256 of the sections'
    canonical JSON), so what people saw on any date can be shown and checked.
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    # {section key: published text}, in the document's order.
    sections = models.JSONField()
    content_hash = models.CharField(max_length=64)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why a correction was made (empty for versions published before opening).
    reason = models.TextField(blank=True)
    is_correction = models.BooleanField(default=False)

    class Meta:
        ordering = ("consultation", "number")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="consultations_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation}: version {self.number}"


class Council(models.Model):
    """A local authority whose overview and scrutiny committee is consulted."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="councils"
    )
    name = models.CharField(max_length=200)
    committee = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(help_text="Where change notices are sent")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class ScrutinyLetter(models.Model):
    """A letter to the overview and scrutiny committee under reg. 23 (SI 2013/218), as sent.

    The first letter tells the committee of the proposal, links the consultation document,
    and gives the date by which comments are wanted and the proposed decision date; a
    re-notification tells it of a change of either date, from what to what. The exact
    subject and text emailed are kept, with who sent it, when and to which councils.
    Never changed or deleted: a correction is another letter.
    """

    class Kind(models.TextChoices):
        FIRST = "first", "First letter"
        RENOTIFICATION = "renotification", "Change of dates"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="scrutiny_letters"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comments_due_on = models.DateField(help_text="The date by which comments are wanted")
    proposed_decision_on = models.DateField()
    changes = models.JSONField(
        default=dict, blank=True, help_text="field -> [before, after] (ISO dates)"
    )
    # Who it was addressed to, as public words (council and committee names, no person).
    addressed_to = models.TextField()
    councils = models.JSONField(default=list, help_text="Primary keys of the councils sent it")
    recipients = models.JSONField(default=list, help_text="Council contact addresses emailed")
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text="The text emailed, exactly")
    body_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ("sent_at", "pk")

    def __str__(self) -> str:
        return self.subject


class ScrutinyResponse(models.Model):
    """What the overview and scrutiny committee said back, recorded by staff."""

    class Position(models.TextChoices):
        AGREES = "agrees", "Agrees with the proposal"
        OBJECTS = "objects", "Objects to the proposal or the consultation"
        REFERS = "refers", "Refers the proposal to the Secretary of State"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="scrutiny_responses"
    )
    received_on = models.DateField()
    position = models.CharField(max_length=16, choices=Position.choices)
    summary = models.TextField(blank=True, help_text="What the committee said")
    file = models.FileField(upload_to="consultations/scrutiny/", blank=True, max_length=200)
    file_sha256 = models.CharField(max_length=64, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("received_on", "pk")

    def __str__(self) -> str:
        return f"{self.get_position_display()} ({self.received_on})"


class OscNotice(models.Model):
    """A change of the comments-due or proposed decision date, and who was told (the
    re-notification letter itself, as sent, is ``letter``)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="osc_notices"
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(default=dict, help_text="field -> [before, after] (ISO dates)")
    summary = models.TextField()
    notified = models.JSONField(default=list, help_text="Council contact addresses emailed")
    letter = models.OneToOneField(
        ScrutinyLetter,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notice",
    )

    class Meta:
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return self.summary


class Mailout(models.Model):
    """Telling stakeholders and members that the consultation is on (a background task)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        DONE = "done", "Sent"
        FAILED = "failed", "Failed"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="mailouts"
    )
    subject = models.CharField(max_length=200)
    message = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # Who is told, fixed when queued: [["group", id], ["member", id], …].
    recipients = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.subject


class MidpointReview(models.Model):
    """The mid-point review: who had responded, who was under-represented, what we did."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="midpoint_reviews"
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responses = models.PositiveIntegerField(default=0)
    flagged = models.JSONField(
        default=list, help_text="Under-represented groups at the time (aggregate labels only)"
    )
    action_taken = models.TextField()

    class Meta:
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"Mid-point review of {self.consultation}"


class SignOff(models.Model):
    """The Consultation Institute's checkpoints before opening: the scope agreed, and the
    consultation documents reviewed (a version, by someone who did not draft it)."""

    class Kind(models.TextChoices):
        SCOPE = "scope", "Scope agreed"
        DOCUMENTS = "documents", "Documents reviewed"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sign_offs"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField()
    # Documents reviewed: the version reviewed and who drafted or published it.
    version = models.ForeignKey(
        DocumentVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drafted_by = models.JSONField(
        default=list, blank=True, help_text="Names of who drafted or published the version"
    )

    class Meta:
        ordering = ("at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="documents") | models.Q(version__isnull=False),
                name="consultations_documents_review_names_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.consultation}"
