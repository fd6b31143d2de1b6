"""Standing groups as living bodies: terms of reference, membership terms, meetings.

A ``StandingGroup`` gives a group held in ``people`` (a PPG, a reference group, a forum…)
what it needs to be run: who chairs it and for how long, its agreed terms of reference,
its meetings with agenda, papers, attendance, minutes (draft → approved → published,
frozen once approved), decisions and actions. Papers are stored outside the public media
folder and served only through a permission-checked view.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from heard.groups import domain


class StandingGroup(models.Model):
    group = models.OneToOneField("people.Group", on_delete=models.CASCADE, related_name="standing")
    slug = models.SlugField(max_length=120, unique=True)
    public = models.BooleanField(
        default=False, help_text="Shown on the public site with its approved minutes"
    )
    public_summary = models.TextField(blank=True)
    meets = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("group__name",)
        default_permissions = ()

    def __str__(self) -> str:
        return self.group.name


class TermsOfReference(models.Model):
    standing_group = models.ForeignKey(
        StandingGroup, on_delete=models.CASCADE, related_name="terms_of_reference"
    )
    version = models.PositiveIntegerField()
    text = models.TextField()
    agreed_on = models.DateField()
    review_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-version",)
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["standing_group", "version"], name="groups_tor_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(review_on__gt=models.F("agreed_on")), name="groups_tor_review_after"
            ),
        ]

    def __str__(self) -> str:
        return f"Terms of reference v{self.version}"


class MembershipTerm(models.Model):
    """A term on a standing group: a member of the public (chair, member) or a staff lead."""

    class Role(models.TextChoices):
        CHAIR = domain.ROLE_CHAIR, "Chair"
        MEMBER = domain.ROLE_MEMBER, "Member"
        STAFF_LEAD = domain.ROLE_STAFF_LEAD, "Staff lead"

    standing_group = models.ForeignKey(
        StandingGroup, on_delete=models.CASCADE, related_name="terms"
    )
    member = models.ForeignKey(
        "people.Member", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_terms",
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    # A chair may agree to be named on the public page; nobody else is named there.
    named_publicly = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("role", "starts_on", "pk")
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False, user__isnull=True, role__in=["chair", "member"]))
                | Q(member__isnull=True, user__isnull=False, role="staff_lead"),
                name="groups_term_member_or_staff_lead",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="groups_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def name(self) -> str:
        if self.member is not None:
            return str(self.member.full_name)
        return str(getattr(self.user, "full_name", "") or getattr(self.user, "email", ""))

    def covers(self, day: Any) -> bool:
        return domain.term_covers(self.starts_on, self.ends_on, day)


class Meeting(models.Model):
    standing_group = models.ForeignKey(
        StandingGroup, on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    link = models.URLField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-starts_at",)
        default_permissions = ()

    def __str__(self) -> str:
        return self.title

    @property
    def held(self) -> bool:
        return self.cancelled_at is None and self.starts_at <= timezone.now()


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ("position", "pk")
        default_permissions = ()

    def __str__(self) -> str:
        return self.title


def _paper_path(instance: "Paper", filename: str) -> str:
    # Never under media/activities/ (the only public folder): served by a checked view.
    return f"group_papers/{uuid.uuid4().hex}{domain.paper_extension(filename)}"


class Paper(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=_paper_path, max_length=200)
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("uploaded_at", "pk")
        default_permissions = ()

    def __str__(self) -> str:
        return self.title


class Minutes(models.Model):
    """One version of a meeting's minutes. Approved versions never change again."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    version = models.PositiveIntegerField()
    text = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )
    correction_reason = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        MembershipTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-version",)
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="groups_minutes_version"),
            models.CheckConstraint(
                condition=Q(status="draft", approved_at__isnull=True, published_at__isnull=True)
                | Q(status="approved", approved_at__isnull=False, approved_by__isnull=False),
                name="groups_minutes_approval_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"Minutes v{self.version} of {self.meeting}"

    @property
    def frozen(self) -> bool:
        return self.status == self.Status.APPROVED


class HeardItem(models.Model):
    """One thing the group said ("what we heard"); flows into the insight bank on approval."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="heard")
    text = models.TextField()
    topic = models.ForeignKey(
        "people.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    insight_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("pk",)
        default_permissions = ()

    def __str__(self) -> str:
        return self.text[:60]


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("pk",)
        default_permissions = ()

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField()
    owner = models.ForeignKey(MembershipTerm, on_delete=models.PROTECT, related_name="actions")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("due_on", "pk")
        default_permissions = ()

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def state(self) -> domain.ActionState:
        return domain.action_state(self.due_on, self.done_on, timezone.localdate())


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    term = models.ForeignKey(MembershipTerm, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=16, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["meeting", "term"], name="groups_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.term} {self.status}"
