"""An evidence pack built for a proposal's decision: the ZIP kept with who asked and when."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class EvidencePack(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="evidence_packs"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    data = models.BinaryField(blank=True, default=b"")
    sha256 = models.CharField(max_length=64, blank=True)
    manifest_sha256 = models.CharField(max_length=64, blank=True)
    files = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    objects: ClassVar[models.Manager["EvidencePack"]] = models.Manager()

    class Meta:
        ordering = ("-requested_at", "-pk")
        default_permissions = ()

    def __str__(self) -> str:
        return f"Evidence pack {self.pk} for proposal {self.proposal_id}"

    @property
    def filename(self) -> str:
        return f"evidence-pack-proposal-{self.proposal_id}-{self.pk}.zip"
