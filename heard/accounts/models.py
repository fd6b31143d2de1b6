"""Accounts: one user model for staff and, later, members of the public.

Staff hold a role (``heard.core.roles.Role``); a user without a role is a member of the
public. Identity lives here and nowhere else; equality data never does.
"""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from heard.core.roles import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        # Heard has no all-powerful superuser: the top role is Administrator, bound by rules.
        extra.setdefault("role", Role.ADMINISTRATOR)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(
        max_length=32,
        choices=Role.choices,
        blank=True,
        help_text="Staff role. Leave blank for a member of the public.",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff_member(self) -> bool:
        return bool(self.role)

    @property
    def is_staff(self) -> bool:
        # Django's admin site is not used; staff work happens in the staff area.
        return False


class RuleSettings(models.Model):
    """The legal thresholds an administrator sets (one row, ``pk=1``). Until the first
    change the deployment's settings are the values (``accounts.selectors.rules``)."""

    consultation_min_weeks = models.PositiveSmallIntegerField()
    small_number_threshold = models.PositiveSmallIntegerField()
    stage2_required = models.BooleanField(default=True)
    stage2_off_reason = models.TextField(blank=True)
    may_elections = models.BooleanField(
        default=True, help_text="Add the regular May pre-election period every year."
    )
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    change_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return "Rules"


class PreElectionPeriod(models.Model):
    """A pre-election period an administrator recorded (besides the regular May one)."""

    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ("starts_on", "name")

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on} to {self.ends_on})"
