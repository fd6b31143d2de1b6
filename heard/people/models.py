"""People and communities: members, contacts, groups and stakeholders, kept all year.

Identity (``Member``) is kept apart from equality monitoring (``EqualityMonitoring``),
which only aggregate reports read. A ``Member`` may or may not have a sign-in account
(``user``): contacts imported from a group's list have none until they join.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from heard.people import equality


class Topic(models.Model):
    """A managed list of topics and service areas members can be interested in."""

    class Kind(models.TextChoices):
        TOPIC = "topic", "Topic"
        SERVICE_AREA = "service_area", "Service area"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TOPIC)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("kind", "name")

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A person we keep in touch with: a scheme member, a group member or a contact."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for email confirmation"
        ACTIVE = "active", "Active"
        LEFT = "left", "Left"
        ERASED = "erased", "Erased"

    class Source(models.TextChoices):
        SIGN_UP = "sign_up", "Joined online"
        IMPORT = "import", "Imported"
        STAFF = "staff", "Added by staff"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    full_name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    postcode_district = models.CharField(max_length=4, blank=True, db_index=True)
    locality = models.CharField(max_length=64, blank=True, db_index=True)
    interests = models.ManyToManyField(Topic, blank=True, related_name="members")
    contact_by_email = models.BooleanField(default=True)
    contact_by_phone = models.BooleanField(default=False)
    contact_by_post = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.SIGN_UP)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_active_at = models.DateTimeField(null=True, blank=True)
    # When the retention rules last reminded this member that we hold their details.
    retention_reminded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up when a sign-in link is used or the address changes: each link works once
    # (see heard.people.tokens and services.membership).
    sign_in_counter = models.PositiveIntegerField(default=0)
    # A new address the member asked for, until they open the link we sent to it.
    pending_email = models.EmailField(max_length=254, blank=True)
    # The import that added this person, so that an import can be removed with its rows.
    import_batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    class Meta:
        ordering = ("full_name",)
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="people_member_email_ci_unique"
            ),
        ]
        indexes = [
            models.Index(Lower("full_name"), name="people_member_name_ci"),
            models.Index(fields=["locality", "status"]),
        ]

    def __str__(self) -> str:
        return self.full_name


class Consent(models.Model):
    """What a person agreed to, in the exact words shown, and when; withdrawal kept too."""

    class Purpose(models.TextChoices):
        MEMBERSHIP = "membership", "Membership of the scheme"
        CONTACT = "contact", "Being contacted about opportunities"
        EQUALITY = "equality", "Equality monitoring"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    wording = models.TextField()
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=32, default="online")

    class Meta:
        ordering = ("-given_at",)

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_at:%Y-%m-%d})"


class EqualityMonitoring(models.Model):
    """Optional equality answers, apart from identity; read only in aggregate.

    Linked to the member so that the member can see, change, download and delete their
    own answers; never shown next to a name in the staff area.
    """

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="equality")
    age_band = models.CharField(max_length=24, blank=True, choices=equality.AGE_BAND)
    sex = models.CharField(max_length=24, blank=True, choices=equality.SEX)
    gender_same_as_sex = models.CharField(
        max_length=24, blank=True, choices=equality.GENDER_SAME_AS_SEX
    )
    sexual_orientation = models.CharField(
        max_length=24, blank=True, choices=equality.SEXUAL_ORIENTATION
    )
    ethnic_group = models.CharField(max_length=32, blank=True, choices=equality.ETHNIC_GROUP)
    disability = models.CharField(max_length=24, blank=True, choices=equality.DISABILITY)
    religion = models.CharField(max_length=24, blank=True, choices=equality.RELIGION)
    carer = models.CharField(max_length=24, blank=True, choices=equality.CARER)
    pregnancy = models.CharField(max_length=24, blank=True, choices=equality.PREGNANCY)
    marital_status = models.CharField(max_length=24, blank=True, choices=equality.MARITAL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return "Equality monitoring answers"


class Group(models.Model):
    """A group or stakeholder body we keep a relationship with."""

    class Kind(models.TextChoices):
        MEMBERSHIP_SCHEME = "membership_scheme", "Membership scheme"
        PPG = "ppg", "Patient participation group"
        REFERENCE_GROUP = "reference_group", "Reference group"
        FORUM = "forum", "Forum"
        VCSE = "vcse", "Voluntary, community or social enterprise organisation"
        STAKEHOLDER = "stakeholder", "Stakeholder body"

    class StakeholderType(models.TextChoices):
        OSC = "osc", "Overview and scrutiny committee"
        HEALTHWATCH = "healthwatch", "Healthwatch"
        COUNCIL = "council", "Council"
        MP = "mp", "Member of Parliament"
        NHS_TRUST = "nhs_trust", "NHS trust"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=24, choices=Kind.choices, db_index=True)
    stakeholder_type = models.CharField(max_length=16, choices=StakeholderType.choices, blank=True)
    gp_practice = models.CharField(
        max_length=200, blank=True, help_text="For a patient participation group"
    )
    locality = models.CharField(max_length=64, blank=True)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    # The stakeholder map: how interested in and how able to influence our work, 1 to 5.
    interest = models.PositiveSmallIntegerField(default=3)
    influence = models.PositiveSmallIntegerField(default=3)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(interest__gte=1, interest__lte=5), name="people_group_interest_1_5"
            ),
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5), name="people_group_influence_1_5"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """A person in a group, with their role there (chair, member, main contact…)."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        CHAIR = "chair", "Chair"
        SECRETARY = "secretary", "Secretary"
        CONTACT = "contact", "Main contact"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(default=timezone.localdate)
    until = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"], name="people_groupmembership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.group} ({self.get_role_display()})"


class ImportBatch(models.Model):
    """One upload of members or contacts: preview, mapping, result, rejected rows."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded, waiting for column mapping"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Stopped"
        DELETING = "deleting", "Removing the people it added"
        DELETED = "deleted", "Removed"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    stored_file = models.FileField(upload_to="imports/", blank=True)
    encoding = models.CharField(max_length=32, blank=True)
    columns = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    existing_rows = models.PositiveIntegerField(default=0)
    rejected_rows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Run as a recoverable job (heard.core.jobs): the task's attempt, its last sign of life.
    attempt = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True, db_index=True)
    removed_rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class ImportRejectedRow(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rejected")
    row_number = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    reason = models.TextField()

    class Meta:
        ordering = ("row_number",)

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.reason}"


class RetentionRule(models.Model):
    """A configurable retention policy for member records (domain §11)."""

    class Action(models.TextChoices):
        REMIND = "remind", "Remind inactive members that we still hold their details"
        ERASE = "erase", "Erase personal data, keep anonymous totals"

    action = models.CharField(max_length=16, choices=Action.choices, unique=True)
    after_days = models.PositiveIntegerField(help_text="Days since the member was last active")
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    def __str__(self) -> str:
        return f"{self.get_action_display()} after {self.after_days} days"


class RetentionRun(models.Model):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    reminded = models.PositiveIntegerField(default=0)
    erased = models.PositiveIntegerField(default=0)
    dry_run = models.BooleanField(default=False)

    class Meta:
        ordering = ("-started_at",)

    def __str__(self) -> str:
        return f"Retention run {self.started_at:%Y-%m-%d %H:%M}"
