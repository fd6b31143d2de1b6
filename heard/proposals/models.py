"""Proposals for service change, from the first idea to evaluation."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.people.models import Topic
from heard.proposals import domain, hooks


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
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        return domain.STATUS_LABELS[domain.Status(self.status)]

    def own_facts(self) -> dict[str, Any]:
        return {
            "status": domain.Status(self.status),
            "title": self.title,
            "description": self.description,
        }

    def facts(self) -> domain.ProposalFacts:
        values = self.own_facts()
        values.update(hooks.contributed_facts(self))
        values["status"] = domain.Status(self.status)
        return domain.ProposalFacts(**values)


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
