"""The rules an administrator sets: thresholds and pre-election periods, audited, read
by every service from one place, and changed by nobody else."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from heard.accounts import rules_domain, selectors, services
from heard.accounts.models import PreElectionPeriod
from heard.accounts.tests.factories import staff_member
from heard.accounts.tests.service_roles import Case, params, roles, try_as
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role

pytestmark = pytest.mark.django_db


def _admin():
    return staff_member(Role.ADMINISTRATOR)


def _change(actor, **overrides):
    values = {
        "consultation_min_weeks": 12,
        "small_number_threshold": 10,
        "stage2_required": True,
        "may_elections": True,
        "reason": "Board decision of 1 December on consultation length",
        **overrides,
    }
    return services.rules_change(actor=actor, **values)


# --- pure rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "poll"),
    [(2026, date(2026, 5, 7)), (2027, date(2027, 5, 6)), (2028, date(2028, 5, 4))],
)
def test_may_elections_first_thursday_and_six_weeks_before(year, poll):
    assert rules_domain.first_thursday_in_may(year) == poll
    period = rules_domain.may_election_period(year)
    assert period.starts_on == poll - timedelta(weeks=6)
    assert period.ends_on == poll + timedelta(days=1)
    assert str(year) in period.name


# --- reading ------------------------------------------------------------------------------


def test_settings_are_the_defaults_until_changed(settings):
    settings.HEARD_CONSULTATION_MIN_WEEKS = 11
    settings.HEARD_SMALL_NUMBER_THRESHOLD = 7
    settings.HEARD_ASSURANCE_STAGE2_REQUIRED = False
    settings.HEARD_PRE_ELECTION_PERIODS = ["2027-01-04..2027-02-05 By-election"]
    current = selectors.rules()
    assert (current.consultation_min_weeks, current.small_number_threshold) == (11, 7)
    assert current.stage2_required is False
    names = [p.name for p in selectors.pre_election_periods(today=date(2027, 1, 1))]
    assert "By-election" in names
    assert any(n.startswith(rules_domain.MAY_ELECTIONS_NAME) for n in names)


def test_first_change_keeps_the_settings_periods_as_recorded_ones(settings):
    settings.HEARD_PRE_ELECTION_PERIODS = ["2027-01-04..2027-02-05 By-election"]
    _change(_admin(), consultation_min_weeks=14)
    assert list(PreElectionPeriod.objects.values_list("name", flat=True)) == ["By-election"]
    settings.HEARD_PRE_ELECTION_PERIODS = []
    assert "By-election" in [p.name for p in selectors.pre_election_periods()]


# --- changing -----------------------------------------------------------------------------


def test_change_is_audited_with_who_before_after_and_reason(settings):
    settings.HEARD_CONSULTATION_MIN_WEEKS = 12
    admin = _admin()
    _change(admin, consultation_min_weeks=14)
    assert selectors.rules().consultation_min_weeks == 14
    event = AuditEvent.objects.filter(action=Action.RULES_CHANGED).get()
    assert event.actor_id == admin.pk
    assert event.actor_role == Role.ADMINISTRATOR
    assert event.before["consultation_min_weeks"] == 12
    assert event.after["consultation_min_weeks"] == 14
    assert event.after["reason"] == "Board decision of 1 December on consultation length"


@pytest.mark.parametrize("reason", ["", "x", "n/a", "tbc", "...", "see above"])
def test_placeholder_reason_refused(reason):
    with pytest.raises(services.RulesError) as refused:
        _change(_admin(), consultation_min_weeks=14, reason=reason)
    assert "reason" in refused.value.problems
    assert not AuditEvent.objects.filter(action=Action.RULES_CHANGED).exists()


def test_stage2_off_needs_a_reason_shown_in_the_audit_trail():
    admin = _admin()
    with pytest.raises(services.RulesError) as refused:
        _change(admin, stage2_required=False, stage2_off_reason="x")
    assert "stage2_off_reason" in refused.value.problems
    assert selectors.rules().stage2_required is True
    why = "NHS England regional team confirmed assurance is not needed for this ICB"
    _change(admin, stage2_required=False, stage2_off_reason=why)
    assert selectors.rules().stage2_required is False
    assert selectors.rules().stage2_off_reason == why
    event = AuditEvent.objects.filter(action=Action.RULES_CHANGED).get()
    assert event.before["stage2_required"] is True
    assert event.after["stage2_required"] is False
    assert event.after["stage2_off_reason"] == why


def test_out_of_range_values_refused():
    with pytest.raises(services.RulesError) as refused:
        _change(_admin(), consultation_min_weeks=0, small_number_threshold=0)
    assert set(refused.value.problems) >= {"consultation_min_weeks", "small_number_threshold"}


def test_periods_added_and_removed_audited():
    admin = _admin()
    period = services.pre_election_period_add(
        actor=admin,
        name="Parliamentary by-election",
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 2, 5),
        reason="Notice of election published by the returning officer",
    )
    assert "Parliamentary by-election" in [p.name for p in selectors.pre_election_periods()]
    with pytest.raises(services.RulesError):
        services.pre_election_period_remove(actor=admin, period=period, reason="x")
    services.pre_election_period_remove(
        actor=admin, period=period, reason="The by-election was cancelled"
    )
    assert not PreElectionPeriod.objects.exists()
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert Action.PRE_ELECTION_PERIOD_ADDED in actions
    assert Action.PRE_ELECTION_PERIOD_REMOVED in actions


def test_period_ending_before_it_starts_refused():
    with pytest.raises(services.RulesError) as refused:
        services.pre_election_period_add(
            actor=_admin(),
            name="By-election",
            starts_on=date(2027, 2, 5),
            ends_on=date(2027, 1, 4),
            reason="Notice of election published",
        )
    assert "ends_on" in refused.value.problems


# --- who may ------------------------------------------------------------------------------


def _period_made():
    return {
        "period": PreElectionPeriod.objects.create(
            name="By-election", starts_on=date(2027, 1, 4), ends_on=date(2027, 2, 5)
        )
    }


ADMIN_ONLY = roles(Role.ADMINISTRATOR)
CASES = [
    Case("rules_change", ADMIN_ONLY, lambda actor, made: _change(actor, consultation_min_weeks=13)),
    Case(
        "pre_election_period_add",
        ADMIN_ONLY,
        lambda actor, made: services.pre_election_period_add(
            actor=actor,
            name="By-election",
            starts_on=date(2027, 1, 4),
            ends_on=date(2027, 2, 5),
            reason="Notice of election published",
        ),
    ),
    Case(
        "pre_election_period_remove",
        ADMIN_ONLY,
        lambda actor, made: services.pre_election_period_remove(
            actor=actor, period=made["period"], reason="The by-election was cancelled"
        ),
        setup=_period_made,
    ),
]


@pytest.mark.parametrize(("case", "who"), params(CASES))
def test_only_an_administrator_may_change_the_rules(case, who):
    try_as(case, who)


# --- the change takes effect --------------------------------------------------------------


def test_raising_min_weeks_fails_a_consultation_that_passed(settings):
    from heard.servicechange.consultations import selectors as consultation_selectors
    from heard.servicechange.consultations.tests.helpers import passing_consultation

    settings.HEARD_CONSULTATION_MIN_WEEKS = 12
    consultation = passing_consultation()  # 13 weeks
    panel = {c.key: c for c in consultation_selectors.gunning_panel(consultation)}
    assert not panel["adequate_time"].blocks
    _change(_admin(), consultation_min_weeks=16)
    panel = {c.key: c for c in consultation_selectors.gunning_panel(consultation)}
    assert panel["adequate_time"].blocks
    assert "16 weeks" in " ".join(panel["adequate_time"].reasons)


def test_small_number_threshold_and_stage2_take_effect(settings):
    from heard.involvement.selectors import small_number_threshold
    from heard.servicechange.assessment import selectors as assessment_selectors
    from heard.servicechange.assessment.tests.helpers import make_proposal

    settings.HEARD_SMALL_NUMBER_THRESHOLD = 10
    proposal = make_proposal("Close the night ward")
    assert assessment_selectors.stage_facts(proposal).stage2_required is True
    _change(
        _admin(),
        small_number_threshold=5,
        stage2_required=False,
        stage2_off_reason="NHS England regional team confirmed assurance is not needed",
    )
    assert small_number_threshold() == 5
    assert assessment_selectors.stage_facts(proposal).stage2_required is False


def test_a_pre_election_period_added_warns_on_the_panel(settings):
    from heard.servicechange.consultations import selectors as consultation_selectors
    from heard.servicechange.consultations.tests.helpers import passing_consultation

    consultation = passing_consultation()
    opens = consultation.activity.opens_at.date()
    services.pre_election_period_add(
        actor=_admin(),
        name="Mayoral by-election",
        starts_on=opens + timedelta(days=7),
        ends_on=opens + timedelta(days=30),
        reason="Notice of election published by the returning officer",
    )
    panel = {c.key: c for c in consultation_selectors.gunning_panel(consultation)}
    assert "Mayoral by-election" in " ".join(panel["adequate_time"].reasons)


# --- the page -----------------------------------------------------------------------------


def test_page_changes_rules_and_shows_errors(staff_client):
    client, _admin_user = staff_client(Role.ADMINISTRATOR)
    url = reverse("rules:page")
    page = client.get(url)
    assert page.status_code == 200
    assert "Minimum consultation period" in page.content.decode()
    refused = client.post(
        url,
        {
            "consultation_min_weeks": "14",
            "small_number_threshold": "10",
            "stage2_required": "yes",
            "may_elections": "yes",
            "reason": "x",
        },
    )
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "nhsuk-error-summary" in body
    assert selectors.rules().consultation_min_weeks != 14
    saved = client.post(
        url,
        {
            "consultation_min_weeks": "14",
            "small_number_threshold": "10",
            "stage2_required": "yes",
            "may_elections": "yes",
            "reason": "Board decision of 1 December on consultation length",
        },
    )
    assert saved.status_code == 302
    assert selectors.rules().consultation_min_weeks == 14


def test_page_refused_to_other_roles(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    assert client.get(reverse("rules:page")).status_code == 403
