"""Writing accounts: creating staff and changing roles, each audited."""

from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import timezone

from heard.accounts import rules_domain, selectors
from heard.accounts.models import PreElectionPeriod, RuleSettings, User
from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.actors import require
from heard.core.mail import mail_send_on_commit
from heard.core.roles import Role
from heard.core.substance import reason_problems, squeeze


def _administrators_left(excluding: User) -> int:
    return (
        User.objects.filter(role=Role.ADMINISTRATOR, is_active=True)
        .exclude(pk=excluding.pk)
        .count()
    )


class AccountError(ValueError):
    """A request about accounts that cannot be carried out, with a message for the user."""


def user_create(
    *,
    email: str,
    full_name: str = "",
    role: Role | str = "",
    password: str | None = None,
    actor: Any = None,
) -> User:
    """Create a user (a staff member if ``role`` is set). Raises AccountError if the email is taken."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(f"An account with the email address {email} already exists.")
    if role and role not in Role.values:
        raise AccountError(f"Unknown role {role!r}. Choose one of: {', '.join(Role.values)}.")
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name, role=str(role)
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        audit_record(
            action=Action.USER_CREATED, actor=actor, subject=user, after={"role": str(role)}
        )
    return user


def user_role_change(*, user: User, role: Role | str, actor: Any = None) -> User:
    """Give ``user`` a new role ("" makes them a member of the public).

    Refuses to remove the last active administrator, so nobody can lock everyone out.
    """
    if role and role not in Role.values:
        raise AccountError(f"Unknown role {role!r}. Choose one of: {', '.join(Role.values)}.")
    if (
        user.role == Role.ADMINISTRATOR
        and role != Role.ADMINISTRATOR
        and not _administrators_left(user)
    ):
        raise AccountError(
            "This is the only administrator. Make someone else an administrator first."
        )
    with transaction.atomic():
        before = user.role
        if before == role:
            return user
        user.role = str(role)
        user.save(update_fields=["role"])
        audit_record(
            action=Action.USER_ROLE_CHANGED,
            actor=actor,
            subject=user,
            before={"role": before},
            after={"role": str(role)},
        )
    return user


def user_set_active(*, user: User, active: bool, actor: Any = None) -> User:
    """Switch a staff account off (or back on). A switched-off account cannot sign in.

    Refuses to switch off the last active administrator, or the actor's own account.
    """
    if user.is_active == active:
        return user
    if not active and actor is not None and getattr(actor, "pk", None) == user.pk:
        raise AccountError("You cannot switch off your own account.")
    if not active and user.role == Role.ADMINISTRATOR and not _administrators_left(user):
        raise AccountError(
            "This is the only administrator. Make someone else an administrator first."
        )
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            action=Action.USER_ACTIVATED if active else Action.USER_DEACTIVATED,
            actor=actor,
            subject=user,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return user


def user_two_factor_reset(*, user: User, actor: Any = None) -> None:
    """Remove a staff member's authenticator app and recovery codes (e.g. a lost phone).

    They will be asked to set up a new app at their next sign-in.
    """
    with transaction.atomic():
        removed, _ = Authenticator.objects.filter(user=user).delete()
        audit_record(
            action=Action.USER_TWO_FACTOR_DISABLED,
            actor=actor,
            subject=user,
            after={"reset_by_administrator": True, "authenticators_removed": removed},
        )


def staff_invite(
    *, email: str, full_name: str, role: Role | str, actor: Any, set_password_url: Any
) -> User:
    """Create a staff account with no password and email a link to set one.

    ``set_password_url(user) -> str`` builds the absolute link (the view knows the host).
    """
    if not role:
        raise AccountError("Choose a role for the new staff member.")
    with transaction.atomic():
        user = user_create(email=email, full_name=full_name, role=role, password=None, actor=actor)
        mail_send_on_commit(
            to=[user.email],
            template="accounts/email/staff_invite",
            context={"user": user, "role": Role(role).label, "link": set_password_url(user)},
        )
    return user


def user_sso_link(*, user: User, provider: str) -> None:
    """Audit the first single sign-on of a staff account (linked by its email address)."""
    with transaction.atomic():
        audit_record(
            action=Action.USER_SSO_LINKED,
            actor=user,
            subject=user,
            after={"provider": provider},
        )


def user_sso_refused(*, user: User | None, provider: str, reason: str) -> None:
    """Audit a refused single sign-on: the identity provider vouched for someone who has
    no active staff account here. No email address or claim is written to the trail."""
    with transaction.atomic():
        audit_record(
            action=Action.USER_SIGN_IN_FAILED,
            subject=user if user else ("accounts.user", "unknown"),
            after={"reason": f"single sign-on refused: {reason}", "provider": provider},
        )


# --- the rules an administrator sets ------------------------------------------------------


class RulesError(ValueError):
    """New rules that may not be saved; ``problems`` by form field."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__(" ".join(m for ms in problems.values() for m in ms))
        self.problems = problems


def _rules_row_locked() -> RuleSettings:
    """The rules row, locked; made from the settings' values at the first change (the
    settings' pre-election periods become recorded periods then)."""
    row = RuleSettings.objects.select_for_update().filter(pk=1).first()
    if row is not None:
        return row
    initial = selectors.rules()
    row = RuleSettings.objects.create(
        pk=1,
        consultation_min_weeks=initial.consultation_min_weeks,
        small_number_threshold=initial.small_number_threshold,
        stage2_required=initial.stage2_required,
        change_reason="The deployment's settings, before the first change on this page.",
    )
    for period in selectors.initial_pre_election_periods():
        PreElectionPeriod.objects.create(
            name=period.name,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            reason="From the deployment's settings (HEARD_PRE_ELECTION_PERIODS).",
        )
    return RuleSettings.objects.select_for_update().get(pk=1)


def _rules_values(row: RuleSettings) -> dict[str, Any]:
    return {
        "consultation_min_weeks": row.consultation_min_weeks,
        "small_number_threshold": row.small_number_threshold,
        "stage2_required": row.stage2_required,
        "stage2_off_reason": row.stage2_off_reason,
        "may_elections": row.may_elections,
    }


def rules_change(
    *,
    actor: Any,
    consultation_min_weeks: int,
    small_number_threshold: int,
    stage2_required: bool,
    may_elections: bool,
    reason: str,
    stage2_off_reason: str = "",
) -> RuleSettings:
    """Change the legal thresholds (administrators only), audited with who, before,
    after and the reason. Switching "stage 2 required" off needs its own reason, kept
    with the rules and shown in the audit trail. Placeholder reasons are refused."""
    require(actor, "accounts.manage_rules", to="change the rules")
    stage2_off_reason = squeeze(stage2_off_reason) if not stage2_required else ""
    problems = rules_domain.rules_problems(
        consultation_min_weeks=consultation_min_weeks,
        small_number_threshold=small_number_threshold,
        stage2_required=stage2_required,
        stage2_off_reason=stage2_off_reason,
        reason_problems=reason_problems(reason, what="for the change", min_words=3),
        stage2_reason_problems=reason_problems(
            stage2_off_reason, what="NHS England stage 2 assurance is not required", min_words=3
        ),
    )
    if problems:
        raise RulesError(problems)
    with transaction.atomic():
        row = _rules_row_locked()
        before = _rules_values(row)
        row.consultation_min_weeks = consultation_min_weeks
        row.small_number_threshold = small_number_threshold
        row.stage2_required = stage2_required
        row.stage2_off_reason = stage2_off_reason
        row.may_elections = may_elections
        after = _rules_values(row)
        if after == before:
            raise RulesError({"reason": ["Nothing has changed: change a value to save it."]})
        row.changed_at = timezone.now()
        row.changed_by = actor
        row.change_reason = squeeze(reason)
        row.save()
        audit_record(
            action=Action.RULES_CHANGED,
            actor=actor,
            subject=row,
            before=before,
            after={**after, "reason": row.change_reason},
        )
    return row


def pre_election_period_add(
    *, actor: Any, name: str, starts_on: date | None, ends_on: date | None, reason: str
) -> PreElectionPeriod:
    """Record a pre-election period (administrators only), audited."""
    require(actor, "accounts.manage_rules", to="change the rules")
    name = squeeze(name)
    problems = rules_domain.period_problems(name, starts_on, ends_on)
    if reason_problems(reason, what="for adding this period", min_words=2):
        problems["reason"] = reason_problems(reason, what="for adding this period", min_words=2)
    if problems:
        raise RulesError(problems)
    assert starts_on is not None and ends_on is not None
    with transaction.atomic():
        _rules_row_locked()
        period = PreElectionPeriod.objects.create(
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            added_by=actor,
            reason=squeeze(reason),
        )
        audit_record(
            action=Action.PRE_ELECTION_PERIOD_ADDED,
            actor=actor,
            subject=period,
            after={
                "name": name,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
                "reason": period.reason,
            },
        )
    return period


def pre_election_period_remove(*, actor: Any, period: PreElectionPeriod, reason: str) -> None:
    """Remove a recorded pre-election period (administrators only), audited."""
    require(actor, "accounts.manage_rules", to="change the rules")
    problems = reason_problems(reason, what="for removing this period", min_words=2)
    if problems:
        raise RulesError({"reason": problems})
    with transaction.atomic():
        _rules_row_locked()
        period = PreElectionPeriod.objects.select_for_update().get(pk=period.pk)
        before = {
            "name": period.name,
            "starts_on": period.starts_on.isoformat(),
            "ends_on": period.ends_on.isoformat(),
        }
        audit_record(
            action=Action.PRE_ELECTION_PERIOD_REMOVED,
            actor=actor,
            subject=period,
            before=before,
            after={"reason": squeeze(reason)},
        )
        period.delete()
