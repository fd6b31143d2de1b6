"""Following a topic, an area, a group or a proposal, and being told by email.

A follower is an email address, with or without a membership. Each follow is confirmed
from an emailed link before anything is sent (double opt-in). ``Notification`` rows make
sure nobody is told of the same change twice; ``Snapshot`` rows hold what the last run
saw (see domain.py).
"""

from django.db import models
from django.utils import timezone


class Follower(models.Model):
    class Frequency(models.TextChoices):
        AS_IT_HAPPENS = "now", "As it happens"
        DAILY = "daily", "A daily digest"
        WEEKLY = "weekly", "A weekly digest"

    email = models.EmailField(max_length=254, unique=True)
    frequency = models.CharField(
        max_length=8, choices=Frequency.choices, default=Frequency.AS_IT_HAPPENS
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Follower {self.pk}"


class Follow(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", "Topic"
        AREA = "area", "Area"
        GROUP = "group", "Group"
        PROPOSAL = "proposal", "Proposal"

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The followed thing: a topic, group or proposal id, or an area's name.
    key = models.CharField(max_length=64)
    label = models.CharField(max_length=250, help_text="What it was called when followed")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("kind", "label")
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "kind", "key"], name="follow_one_follow_per_thing"
            )
        ]
        indexes = [models.Index(fields=["kind", "key"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"


class Snapshot(models.Model):
    kind = models.CharField(max_length=16)  # "activity" | "proposal"
    object_id = models.BigIntegerField()
    state = models.JSONField(default=dict)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="follow_one_snapshot")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class Notification(models.Model):
    """One change a follower is told of. For digest followers it waits (``sent_at`` empty)
    until their next digest."""

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=250, blank=True)
    url = models.CharField(max_length=500, blank=True)
    what = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["follower", "key"], name="follow_told_once")]

    def __str__(self) -> str:
        return self.key
