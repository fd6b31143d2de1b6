"""Involvement opportunities, representative samples and invitations."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.involvement.domain import InvitationStatus, OpportunityStatus
from heard.people.models import Member, Topic


class Opportunity(models.Model):
    """A piece of work we ask members to get involved in."""

    class Status(models.TextChoices):
        DRAFT = OpportunityStatus.DRAFT.value, "Draft"
        OPEN = OpportunityStatus.OPEN.value, "Open"
        CLOSED = OpportunityStatus.CLOSED.value, "Closed"

    class Where(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "In person or online"
        PHONE = "phone", "By phone"

    class Payment(models.TextChoices):
        NONE = "none", "Voluntary, no expenses paid"
        EXPENSES = "expenses", "Voluntary, reasonable expenses paid"
        PAID = "paid", "Paid involvement, plus expenses"
        VOUCHER = "voucher", "Thank-you voucher, plus expenses"

    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    details = models.TextField("What's involved", blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    reply_by = models.DateField(null=True, blank=True)
    where_kind = models.CharField(max_length=16, choices=Where.choices, default=Where.IN_PERSON)
    place = models.CharField(max_length=200, blank=True)
    time_asked = models.CharField(max_length=120)
    payment = models.CharField(max_length=16, choices=Payment.choices, default=Payment.EXPENSES)
    payment_details = models.TextField(blank=True)
    who_wanted = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="opportunities")
    locality = models.CharField(max_length=64, blank=True)
    places = models.PositiveIntegerField(default=10)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-starts_at",)
        verbose_name_plural = "opportunities"
        default_permissions = ()

    def __str__(self) -> str:
        return self.title


class ReferencePopulation(models.Model):
    """An area's own population table, uploaded in the same format as the built-in one."""

    name = models.CharField(max_length=120, unique=True)
    content = models.TextField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name",)
        default_permissions = ()

    def __str__(self) -> str:
        return self.name


class SampleRun(models.Model):
    """One representative sample drawn for an opportunity: what was asked and what came out."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="samples")
    size = models.PositiveIntegerField()
    dimensions = models.JSONField(default=list)
    seed = models.BigIntegerField()
    population_name = models.CharField(max_length=120)
    criteria = models.JSONField(default=dict)
    redistribute = models.BooleanField(default=True)
    # Rows of {"stratum", "target_share", "target", "pool", "achieved", "extra"}
    strata = models.JSONField(default=list)
    shortfalls = models.JSONField(default=list)  # plain sentences
    pool_size = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    selected = models.JSONField(default=list)  # member ids
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        default_permissions = ()

    def __str__(self) -> str:
        return f"Sample of {self.size} for {self.opportunity}"


class Invitation(models.Model):
    class Status(models.TextChoices):
        INVITED = InvitationStatus.INVITED.value, "Invited, no answer yet"
        ACCEPTED = InvitationStatus.ACCEPTED.value, "Accepted"
        DECLINED = InvitationStatus.DECLINED.value, "Declined"
        WITHDRAWN = InvitationStatus.WITHDRAWN.value, "Withdrawn"

    class Via(models.TextChoices):
        CRITERIA = "criteria", "Chosen by criteria"
        SAMPLE = "sample", "Representative sample"

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="invitations"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.INVITED, db_index=True
    )
    via = models.CharField(max_length=16, choices=Via.choices, default=Via.CRITERIA)
    sample_run = models.ForeignKey(
        SampleRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # When the invitation email went to the SMTP server (sent in the background).
    emailed_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-sent_at",)
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "member"], name="involvement_invitation_unique"
            ),
        ]
        # participation: a member's invitations by date
        indexes = [models.Index(fields=["member", "sent_at"], name="involvement_inv_member_sent")]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.get_status_display()})"
