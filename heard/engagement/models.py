"""Engagement activities on the spectrum, with an explicit lifecycle (see domain.py).

Questionnaires, responses and the insight bank will hang off ``Activity``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.engagement import domain
from heard.people.models import Group, Topic


class Activity(models.Model):
    class Level(models.TextChoices):
        INFORM = domain.Level.INFORM, "Inform"
        CONSULT = domain.Level.CONSULT, "Consult"
        INVOLVE = domain.Level.INVOLVE, "Involve"
        COLLABORATE = domain.Level.COLLABORATE, "Collaborate"
        EMPOWER = domain.Level.EMPOWER, "Empower"

    class Kind(models.TextChoices):
        SURVEY = "survey", "Survey"
        WORKSHOP = "workshop", "Workshop"
        FOCUS_GROUP = "focus_group", "Focus group"
        DROP_IN = "drop_in", "Drop-in event"
        ONLINE_DISCUSSION = "online_discussion", "Online discussion"
        REFERENCE_GROUP = "reference_group", "Reference group meeting"
        CO_PRODUCTION = "co_production", "Co-production session"
        INFORMATION = "information", "Information or newsletter"

    class Status(models.TextChoices):
        DRAFT = domain.Status.DRAFT, "Draft"
        SCHEDULED = domain.Status.SCHEDULED, "Scheduled"
        OPEN = domain.Status.OPEN, "Open"
        CLOSED = domain.Status.CLOSED, "Closed"
        FEEDBACK_PUBLISHED = domain.Status.FEEDBACK_PUBLISHED, "Feedback published"
        ARCHIVED = domain.Status.ARCHIVED, "Archived"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.TextField(help_text="One or two sentences shown in lists and feeds")
    body = models.TextField(blank=True)
    level = models.CharField(max_length=16, choices=Level.choices)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    topics = models.ManyToManyField(Topic, blank=True, related_name="activities")
    audience_groups = models.ManyToManyField(Group, blank=True, related_name="activities")
    opens_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closes_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Events (workshops, drop-ins…): where and when, and how to get there.
    event_starts_at = models.DateTimeField(null=True, blank=True)
    event_ends_at = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    access_information = models.TextField(
        blank=True, help_text="Step-free access, hearing loop, parking, BSL…"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    limbs = models.JSONField(default=list, blank=True, help_text="Keys of domain.LIMBS")
    principles = models.JSONField(
        default=list, blank=True, help_text="Numbers of domain.PRINCIPLES"
    )
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    allow_late_responses = models.BooleanField(default=False)
    feedback = models.TextField(
        blank=True, help_text="You said, we did: what became of what people said"
    )
    feedback_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-opens_at", "title")
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.title

    def facts(self) -> domain.ActivityFacts:
        return domain.ActivityFacts(
            status=domain.Status(self.status),
            level=domain.Level(self.level),
            title=self.title,
            summary=self.summary,
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            has_feedback=bool(self.feedback.strip()),
        )


class ActivityLocality(models.Model):
    """A place an activity is about (the localities of heard.people.postcodes)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="localities")
    name = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "name"], name="engagement_activity_locality_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ActivityDocument(models.Model):
    """A document for an activity, including its accessible and translated versions."""

    class Format(models.TextChoices):
        STANDARD = "standard", "Standard"
        EASY_READ = "easy_read", "Easy Read"
        LARGE_PRINT = "large_print", "Large print"
        OTHER_LANGUAGE = "other_language", "Other language"
        BSL = "bsl", "British Sign Language video"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="activities/")
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.STANDARD)
    language = models.CharField(max_length=64, blank=True, help_text="For other-language versions")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("format", "title")

    def __str__(self) -> str:
        return self.title
