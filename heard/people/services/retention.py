"""Retention of member records (domain §11): remind the inactive, erase the long inactive.

Two configurable rules (``RetentionRule``): *remind* members inactive for N days (default
three years) that we still hold their details, once per period of inactivity; *erase*
members inactive for M days (default five years) through ``member_erase`` (reason
"retention"), which keeps only anonymous aggregates. "Inactive since" is the member's
last activity, or the date they joined if they were never active.

Run daily: ``manage.py retention_run`` from cron or a systemd timer, or the "Run now"
button (a background task). Each run is a ``RetentionRun`` row and one audit event.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.people.models import Member, RetentionRule, RetentionRun
from heard.people.services.members import member_erase
from heard.people.services.membership import member_mail_send

DEFAULT_DAYS = {
    RetentionRule.Action.REMIND: 3 * 365,
    RetentionRule.Action.ERASE: 5 * 365,
}


def site_base_url() -> str:
    """The public address for links in emails sent without a request (scheduled runs):
    settings.HEARD_BASE_URL if set, else https:// and the first real ALLOWED_HOSTS name,
    else the local development server."""
    configured = str(getattr(settings, "HEARD_BASE_URL", "") or "")
    if configured:
        return configured.rstrip("/")
    for host in settings.ALLOWED_HOSTS:
        if host and not host.startswith((".", "*")) and host not in ("localhost", "127.0.0.1"):
            return f"https://{host}"
    return "http://localhost:8000"


class RetentionError(ValueError):
    """A retention rule change that cannot be made, with a message for the user."""


def retention_rules() -> dict[str, RetentionRule]:
    """The rules, created with their defaults the first time they are needed."""
    rules: dict[str, RetentionRule] = {}
    for action, days in DEFAULT_DAYS.items():
        rule, _ = RetentionRule.objects.get_or_create(
            action=action, defaults={"after_days": days, "enabled": True}
        )
        rules[str(action)] = rule
    return rules


def retention_rules_update(
    *, actor: Any, remind_days: int, remind_enabled: bool, erase_days: int, erase_enabled: bool
) -> dict[str, RetentionRule]:
    """Change the rules; audited with before/after days. Raises RetentionError if members
    would be erased before (or when) they are reminded."""
    if remind_days < 30 or erase_days < 30:
        raise RetentionError("Each period must be at least 30 days.")
    if remind_enabled and erase_enabled and erase_days <= remind_days:
        raise RetentionError(
            "Erase after must be longer than remind after, so members are reminded first."
        )
    wanted = {
        str(RetentionRule.Action.REMIND): (remind_days, remind_enabled),
        str(RetentionRule.Action.ERASE): (erase_days, erase_enabled),
    }
    with transaction.atomic():
        rules = retention_rules()
        for action, (days, enabled) in wanted.items():
            rule = rules[action]
            if (rule.after_days, rule.enabled) == (days, enabled):
                continue
            before = {"after_days": rule.after_days, "enabled": rule.enabled}
            rule.after_days, rule.enabled = days, enabled
            rule.updated_by = actor if getattr(actor, "is_authenticated", False) else None
            rule.save()
            audit_record(
                action=Action.RETENTION_RULE_CHANGED,
                actor=actor,
                subject=rule,
                before=before,
                after={"after_days": days, "enabled": enabled},
            )
    return rules


def _inactive_before(cutoff: datetime) -> QuerySet[Member]:
    return (
        Member.objects.exclude(status=Member.Status.ERASED)
        .annotate(inactive_since=Coalesce("last_active_at", "joined_at"))
        .filter(inactive_since__lt=cutoff)
    )


@dataclass
class RetentionPlan:
    remind: list[int]
    erase: list[int]


def retention_plan(now: datetime | None = None) -> RetentionPlan:
    """Who the rules would remind and erase now (ids), without changing anything."""
    now = now or timezone.now()
    rules = retention_rules()
    erase_rule = rules[str(RetentionRule.Action.ERASE)]
    remind_rule = rules[str(RetentionRule.Action.REMIND)]
    erase: list[int] = []
    if erase_rule.enabled:
        erase = list(
            _inactive_before(now - timedelta(days=erase_rule.after_days)).values_list(
                "pk", flat=True
            )
        )
    remind: list[int] = []
    if remind_rule.enabled:
        remind = list(
            _inactive_before(now - timedelta(days=remind_rule.after_days))
            .filter(status=Member.Status.ACTIVE, contact_by_email=True)
            .exclude(email="")
            .exclude(pk__in=erase)
            # once per period of inactivity: not since they were last active
            .filter(
                Q(retention_reminded_at__isnull=True)
                | Q(retention_reminded_at__lt=F("inactive_since"))
            )
            .values_list("pk", flat=True)
        )
    return RetentionPlan(remind=remind, erase=erase)


def retention_run(*, actor: Any = None, dry_run: bool = False) -> RetentionRun:
    """Apply the retention rules once; record a RetentionRun and one RETENTION_RUN event.

    A dry run counts who would be reminded and erased and changes nothing else.
    """
    now = timezone.now()
    plan = retention_plan(now)
    base_url = site_base_url()
    rules = retention_rules()
    with transaction.atomic():
        run = RetentionRun.objects.create(started_at=now, dry_run=dry_run)
        if not dry_run:
            for member in Member.objects.filter(pk__in=plan.remind):
                member.retention_reminded_at = now
                member.save(update_fields=["retention_reminded_at", "updated_at"])
                member_mail_send(
                    member=member,
                    base_url=base_url,
                    template="involvement/email/retention_reminder",
                    context={
                        "member_name": member.full_name,
                        "erase_days": rules[str(RetentionRule.Action.ERASE)].after_days,
                        "erase_enabled": rules[str(RetentionRule.Action.ERASE)].enabled,
                        "privacy_url": base_url + reverse("public:privacy"),
                        "sign_in_url": _sign_in_url(base_url),
                    },
                )
            for member in Member.objects.filter(pk__in=plan.erase):
                member_erase(member=member, actor=actor, reason="retention")
        run.reminded = len(plan.remind)
        run.erased = len(plan.erase)
        run.finished_at = timezone.now()
        run.save()
        audit_record(
            action=Action.RETENTION_RUN,
            actor=actor,
            subject=run,
            after={
                "reminded": run.reminded,
                "erased": run.erased,
                "dry_run": dry_run,
                "rules": {a: [r.after_days, r.enabled] for a, r in rules.items()},
            },
        )
    return run


def _sign_in_url(base_url: str) -> str:
    try:
        return base_url + reverse("members:sign_in")
    except NoReverseMatch:  # the members' pages are optional
        return ""


def retention_runs() -> QuerySet[RetentionRun]:
    return RetentionRun.objects.all()
