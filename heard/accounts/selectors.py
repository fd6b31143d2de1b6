"""Reading accounts."""

from datetime import date

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from heard.accounts import rules_domain
from heard.accounts.models import PreElectionPeriod, RuleSettings, User


def user_has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_find_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def staff_users() -> QuerySet[User]:
    """Everyone with a staff role, with ``has_totp`` annotated, by name."""
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return (
        User.objects.exclude(role="")
        .annotate(has_totp=Exists(totp))
        .order_by("-is_active", "full_name", "email")
    )


# --- the rules an administrator sets ------------------------------------------------------


def _initial_rules() -> rules_domain.Rules:
    """The deployment's settings: the values until an administrator first changes them."""
    return rules_domain.Rules(
        consultation_min_weeks=int(settings.HEARD_CONSULTATION_MIN_WEEKS),
        small_number_threshold=int(settings.HEARD_SMALL_NUMBER_THRESHOLD),
        stage2_required=bool(settings.HEARD_ASSURANCE_STAGE2_REQUIRED),
    )


def rule_settings_row() -> RuleSettings | None:
    return RuleSettings.objects.select_related("changed_by").filter(pk=1).first()


def rules() -> rules_domain.Rules:
    """The thresholds in force: what an administrator set, else the settings' defaults.
    Every service and selector reads them here."""
    return _rules_of(RuleSettings.objects.filter(pk=1).first())


def _rules_of(row: RuleSettings | None) -> rules_domain.Rules:
    if row is None:
        return _initial_rules()
    return rules_domain.Rules(
        consultation_min_weeks=row.consultation_min_weeks,
        small_number_threshold=row.small_number_threshold,
        stage2_required=row.stage2_required,
        stage2_off_reason=row.stage2_off_reason,
        may_elections=row.may_elections,
    )


def consultation_min_weeks() -> int:
    return rules().consultation_min_weeks


def small_number_threshold() -> int:
    return rules().small_number_threshold


def stage2_required() -> bool:
    return rules().stage2_required


def initial_pre_election_periods() -> list[rules_domain.Period]:
    """``HEARD_PRE_ELECTION_PERIODS`` ("2027-03-29..2027-05-06 Local elections")."""
    periods = []
    for entry in settings.HEARD_PRE_ELECTION_PERIODS:
        span, _, name = str(entry).strip().partition(" ")
        start, sep, end = span.partition("..")
        if not sep:
            continue
        periods.append(
            rules_domain.Period(
                name.strip() or "Pre-election period",
                date.fromisoformat(start),
                date.fromisoformat(end),
            )
        )
    return periods


def recorded_pre_election_periods() -> list[PreElectionPeriod]:
    return list(PreElectionPeriod.objects.select_related("added_by"))


def pre_election_periods(*, today: date | None = None) -> list[rules_domain.Period]:
    """Every pre-election period in force: those recorded on the rules page (the
    settings' ones until the first change there), and the regular May period of each
    year from last year to five years ahead unless switched off."""
    return rules_and_periods(today=today)[1]


def rules_and_periods(
    *, today: date | None = None
) -> tuple[rules_domain.Rules, list[rules_domain.Period]]:
    """:func:`rules` and :func:`pre_election_periods` with one read of the rules row."""
    row = RuleSettings.objects.filter(pk=1).first()
    current = _rules_of(row)
    if row is None:
        periods = initial_pre_election_periods()
        may = True
    else:
        periods = [
            rules_domain.Period(p.name, p.starts_on, p.ends_on)
            for p in PreElectionPeriod.objects.all()
        ]
        may = row.may_elections
    if may:
        year = (today or timezone.localdate()).year
        periods += rules_domain.may_election_periods(year - 1, year + 5)
    return current, sorted(periods, key=lambda p: (p.starts_on, p.name))
