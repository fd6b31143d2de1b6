"""Proposals for service change, from the first idea to evaluation."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.engagement.models import Activity
from heard.insight.models import Insight
from heard.people.models import Group, Topic
from heard.servicechange.proposals import domain


class Proposal(models.Model):
    """A case for change, logged as soon as it is under consideration."""

    class Status(models.TextChoices):
        UNDER_CONSIDERATION = "under_consideration", "Under consideration"
        EARLY_ENGAGEMENT = "early_engagement", "Early engagement"
        OPTIONS = "options", "Options"
        SIGNIFICANCE = "significance_assessment", "Significance assessment"
        ASSURANCE = "assurance", "Assurance"
        FORMAL_CONSULTATION = "formal_consultation", "Formal consultation"
        OTHER_INVOLVEMENT = "other_involvement", "Other involvement"
        DECISION_PENDING = "decision_pending", "Decision pending"
        DECIDED = "decided", "Decided"
        IMPLEMENTATION = "implementation", "Implementation"
        EVALUATION = "evaluation", "Evaluation"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(help_text="The case for change, in plain English")
    services = models.TextField(blank=True, help_text="The services this would change")
    localities = models.JSONField(default=list, blank=True, help_text="Locality names")
    topics = models.ManyToManyField(Topic, blank=True, related_name="proposals")
    people_affected = models.PositiveIntegerField(
        null=True, blank=True, help_text="About how many people would be affected"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals_led",
    )
    status = models.CharField(
        max_length=32,
        choices=Status.choices,
        default=domain.Status.UNDER_CONSIDERATION.value,
        db_index=True,
    )
    is_private = models.BooleanField(
        default=False, help_text="Kept off the public site; needs a recorded reason"
    )
    private_reason = models.TextField(blank=True)
    heard_so_far = models.TextField(
        blank=True, help_text="What we have heard so far, written by staff for the public page"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        return domain.STATUS_LABELS[domain.Status(self.status)]

    @property
    def public_status_label(self) -> str:
        return domain.PUBLIC_STATUS_LABELS[domain.Status(self.status)]

    def early_engagement_count(self) -> int:
        """Insight, activities or notes drawn on, plus activities linked as early engagement."""
        return self.evidence.count() + self.activity_links.filter(is_early_engagement=True).count()

    def own_facts(self) -> domain.OwnFacts:
        """What the proposals app knows itself; the lifecycle adds each stage's facts
        (``heard.servicechange.lifecycle.facts``)."""
        plan = EngagementPlan.objects.filter(proposal=self).first()
        return domain.OwnFacts(
            status=domain.Status(self.status),
            title=self.title,
            description=self.description,
            early_engagement_count=self.early_engagement_count(),
            plan_lines=plan.items.count() if plan else 0,
            seldom_heard_planned=bool(plan and plan.seldom_heard.strip()),
            involvement_closed=self.activity_links.filter(
                is_early_engagement=False,
                activity__status__in=("closed", "feedback_published", "archived"),
            ).count(),
        )


class ProposalTransition(models.Model):
    """One move in a proposal's lifecycle (the timeline; the audit trail has it too)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.from_status} -> {self.to_status}"


class ProposalEvidence(models.Model):
    """Something staff drew on when shaping the proposal ("what do we already know"):
    an insight, a past activity, or a note of other evidence. It counts as early
    engagement."""

    class Kind(models.TextChoices):
        INSIGHT = "insight", "Insight"
        ACTIVITY = "activity", "Past activity"
        NOTE = "note", "Other evidence"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    insight = models.ForeignKey(
        Insight, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, help_text="How it was used, or the evidence itself")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("recorded_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "insight"],
                condition=models.Q(insight__isnull=False),
                name="proposals_evidence_insight_once",
            ),
            models.UniqueConstraint(
                fields=["proposal", "activity"],
                condition=models.Q(activity__isnull=False),
                name="proposals_evidence_activity_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_kind_display()}"


class EngagementPlan(models.Model):
    """How a proposal will involve people: one plan per proposal, with a line per
    stakeholder or audience (``PlanItem``)."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="engagement_plan"
    )
    seldom_heard = models.TextField(blank=True, help_text="How seldom-heard groups will be reached")
    timeline = models.TextField(blank=True, help_text="The stages of engagement and their dates")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Engagement plan: {self.proposal}"


class PlanItem(models.Model):
    """One stakeholder or audience in the plan, the methods for it and when."""

    plan = models.ForeignKey(EngagementPlan, on_delete=models.CASCADE, related_name="items")
    stakeholder = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(
        max_length=200, blank=True, help_text="Who, when not a group on the stakeholder map"
    )
    methods = models.TextField(help_text="How they will be involved")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.who

    @property
    def who(self) -> str:
        return self.stakeholder.name if self.stakeholder else self.audience


class ProposalActivity(models.Model):
    """An engagement activity run for the proposal, optionally for one line of its plan.
    Activities marked as early engagement count towards ``early_engagement_count``."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="activity_links")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    plan_item = models.ForeignKey(
        PlanItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="activity_links"
    )
    is_early_engagement = models.BooleanField(default=False)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("linked_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "activity"], name="proposals_activity_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.activity}"
