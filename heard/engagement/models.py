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
        FORMAL_CONSULTATION = "formal_consultation", "Formal consultation"

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
    # Closed before its published closing time (a recorded act): ``closes_at`` becomes the
    # real closing time, used by every page and the late-response rule; the published
    # time, the reason (shown publicly) and who closed it are kept here.
    scheduled_closes_at = models.DateTimeField(null=True, blank=True)
    closed_early_reason = models.TextField(blank=True)
    closed_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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

    @property
    def public_level_label(self) -> str:
        return domain.PUBLIC_LEVEL_LABELS[domain.Level(self.level)]

    @property
    def closed_early(self) -> bool:
        return self.scheduled_closes_at is not None

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


class FormatRequest(models.Model):
    """Someone asked for an activity's information in a format or language we do not
    have yet. Staff see the queue with its due date; the contact details are erased once
    the request is closed (only what was asked for, and when, is kept)."""

    class Format(models.TextChoices):
        EASY_READ = "easy_read", "Easy Read"
        LARGE_PRINT = "large_print", "Large print"
        AUDIO = "audio", "Audio"
        BSL = "bsl", "British Sign Language video"
        BRAILLE = "braille", "Braille"
        OTHER_LANGUAGE = "other_language", "Another language"
        PAPER = "paper", "A printed copy by post"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting"
        DONE = "done", "Sent"
        DECLINED = "declined", "Could not be met"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="format_requests")
    format = models.CharField(max_length=16, choices=Format.choices)
    language = models.CharField(max_length=64, blank=True)
    details = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    contact_postal = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    due_by = models.DateField()
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, help_text="What was sent, or why it could not be")

    class Meta:
        ordering = ("due_by", "pk")

    def __str__(self) -> str:
        return f"{self.get_format_display()} for {self.activity_id}"


class OutcomeRequest(models.Model):
    """A respondent asked to be emailed when "you said, we did" is published for the
    activity. Kept only until that email is sent: then the address is erased."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="outcome_requests"
    )
    email = models.EmailField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "email"], name="engagement_outcome_request_once"
            )
        ]

    def __str__(self) -> str:
        return f"Outcome request for {self.activity_id}"


# ---------------------------------------------------------------------------------------
# Questionnaires and responses (issue 4, second slice). The pure rules – question kinds,
# answer validation, conditional display, versioning – are in questionnaire.py.
# ---------------------------------------------------------------------------------------


class Questionnaire(models.Model):
    """The questions of one activity, or the always-open "Tell us what you think" form.

    Its questions live in versions: once a version has responses it is frozen, and an
    edit makes a new version (see services_questionnaires). Each response keeps the
    version it answered.
    """

    activity = models.OneToOneField(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="questionnaire"
    )
    # The general feedback channel has no activity; it is found by this flag.
    is_general_feedback = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_general_feedback"],
                condition=models.Q(is_general_feedback=True),
                name="engagement_one_general_feedback_questionnaire",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def current_version(self) -> "QuestionnaireVersion | None":
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # None while the version is a draft of changes to a questionnaire people are already
    # answering: the public keeps the last published version until staff publish the
    # draft, and staff can discard it (services_questionnaires).
    published_at = models.DateTimeField(null=True, blank=True, default=timezone.now)

    class Meta:
        ordering = ("questionnaire", "number")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="engagement_questionnaire_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} (version {self.number})"


class Section(models.Model):
    """A page of the questionnaire."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)

    class Meta:
        ordering = ("version", "position", "pk")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        SINGLE_CHOICE = "single_choice", "Single choice"
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        LIKERT = "likert", "Likert scale (agree to disagree)"
        RANKING = "ranking", "Ranking"
        YES_NO = "yes_no", "Yes or no"
        NUMBER = "number", "Number"
        DATE = "date", "Date"
        POSTCODE = "postcode", "Postcode"
        RESPONDENT_TYPE = "respondent_type", "Responding as an individual or organisation"
        EQUALITY = "equality", "About you (equality monitoring)"

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    # Stable across versions: a question keeps its key when a new version is made.
    key = models.SlugField(max_length=64)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    text = models.CharField(max_length=500)
    hint = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=False)
    # [[value, label], …] for choice, Likert and ranking questions.
    options = models.JSONField(default=list, blank=True)
    max_length = models.PositiveIntegerField(null=True, blank=True)
    min_value = models.IntegerField(null=True, blank=True)
    max_value = models.IntegerField(null=True, blank=True)
    # Show only when an earlier question's answer is one of these values.
    show_if_key = models.SlugField(max_length=64, blank=True)
    show_if_values = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("version", "section__position", "position", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="engagement_question_key_unique"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_free_text(self) -> bool:
        return self.kind in (self.Kind.SHORT_TEXT, self.Kind.LONG_TEXT)


class Response(models.Model):
    """What one person or organisation said, from any channel.

    ``activity`` is null for the general "Tell us what you think" channel. Equality
    answers are not here: they are in ``ResponseEquality``, never shown beside it.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", "Online"
        PAPER = "paper", "Paper"
        PHONE = "phone", "Phone"
        EVENT = "event", "Event"
        EMAIL = "email", "Email"
        IMPORT = "import", "Imported"

    class RespondentType(models.TextChoices):
        INDIVIDUAL = "individual", "As an individual"
        ORGANISATION = "organisation", "On behalf of an organisation"

    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    respondent_type = models.CharField(
        max_length=16, choices=RespondentType.choices, default=RespondentType.INDIVIDUAL
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=20, unique=True)
    late = models.BooleanField(default=False)
    publish_consent = models.BooleanField(default=False)
    # Exactly once: the token of the form that sent it (online), or of the imported row.
    submission_token = models.UUIDField(null=True, blank=True, unique=True)
    import_key = models.CharField(max_length=64, blank=True, default="")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The import that stored it, so that an import can be removed with its responses.
    import_batch = models.ForeignKey(
        "ResponseImport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )

    class Meta:
        ordering = ("-submitted_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "import_key"],
                condition=~models.Q(import_key=""),
                name="engagement_response_import_once",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class Answer(models.Model):
    """One answer: ``text`` for free text, ``value`` (JSON) for structured answers."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    value = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="engagement_answer_once")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class ResponseEquality(models.Model):
    """The optional "about you" answers, apart from the response; reported only in aggregate.

    Linked to the response only so that they go when it goes (erasure, retention).
    """

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    age_band = models.CharField(max_length=24, blank=True)
    sex = models.CharField(max_length=24, blank=True)
    gender_same_as_sex = models.CharField(max_length=24, blank=True)
    sexual_orientation = models.CharField(max_length=24, blank=True)
    ethnic_group = models.CharField(max_length=32, blank=True)
    disability = models.CharField(max_length=24, blank=True)
    religion = models.CharField(max_length=24, blank=True)
    carer = models.CharField(max_length=24, blank=True)
    pregnancy = models.CharField(max_length=24, blank=True)
    marital_status = models.CharField(max_length=24, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return "Equality monitoring answers"


class ResponseDraft(models.Model):
    """Answers saved part-way, to come back to by an emailed, signed, expiring link.

    No email address is kept: the link is sent once and the draft is deleted when the
    response is sent or the draft expires.
    """

    token = models.UUIDField(unique=True)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="drafts"
    )
    state = models.JSONField(default=dict)
    page = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Draft {self.token}"


class SpamLog(models.Model):
    """A submission kept out as spam, for staff to see. The address is kept only hashed."""

    class Reason(models.TextChoices):
        HONEYPOT = "honeypot", "Filled in the hidden field"
        TOO_FAST = "too_fast", "Sent faster than a person could answer"
        RATE_LIMITED = "rate_limited", "Too many responses from one address"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="spam_log"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    address_hash = models.CharField(max_length=16, blank=True)
    seconds_taken = models.FloatField(null=True, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ("-occurred_at",)

    def __str__(self) -> str:
        return self.get_reason_display()


class ResponseImport(models.Model):
    """One file of responses (paper, phone, another survey tool) imported onto a version.

    Run as a recoverable job (heard.core.jobs): in chunks, each committed with the
    progress; resumed after a dead worker from the last committed chunk."""

    class Status(models.TextChoices):
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Stopped"
        DELETING = "deleting", "Removing its responses"
        DELETED = "deleted", "Removed"

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="response_imports"
    )
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=255)
    # The uploaded file in the default storage, deleted once the import has ended.
    stored_name = models.CharField(max_length=255, blank=True)
    header = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)  # column index (as text) -> target
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    duplicate_rows = models.PositiveIntegerField(default=0)
    rejected_rows = models.PositiveIntegerField(default=0)
    removed_rows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    attempt = models.PositiveIntegerField(default=1)
    heartbeat_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class ResponseImportRejectedRow(models.Model):
    batch = models.ForeignKey(ResponseImport, on_delete=models.CASCADE, related_name="rejected")
    row_number = models.PositiveIntegerField()
    cells = models.JSONField(default=list)
    reason = models.TextField()

    class Meta:
        ordering = ("row_number",)

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.reason}"
