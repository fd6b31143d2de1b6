"""The Gunning checks (pure): every principle, each way it can pass, fail or warn."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heard.servicechange.consultations import gunning
from heard.servicechange.consultations.gunning import (
    GunningFacts,
    PreElectionPeriod,
    Result,
    SectionState,
)
from heard.servicechange.proposals.domain import ORDER, Status

ALL_PUBLISHED = {key: SectionState(published=True) for key in gunning.SECTIONS}
# 1 September 2027 to 1 December 2027: 13 weeks; England and Wales have no bank holiday
# between 31 August (late summer) and Christmas.
OPENS = datetime(2027, 9, 1, 9, 0, tzinfo=UTC)
CLOSES = datetime(2027, 12, 1, 17, 0, tzinfo=UTC)


def good(**changes) -> GunningFacts:
    facts = GunningFacts(
        proposal_status=Status.ASSURANCE,
        sections=ALL_PUBLISHED,
        document_published=True,
        opens_at=OPENS,
        closes_at=CLOSES,
        min_weeks=12,
        stage2_required=True,
        stage2_passed=True,
        councils=("Norfolk County Council",),
        first_letter_on=date(2027, 9, 1),
        osc_comments_due_on=date(2027, 11, 1),
        proposed_decision_on=date(2027, 12, 1),
        eqia_attached=True,
    )
    return replace(facts, **changes)


def by_key(facts: GunningFacts) -> dict[str, gunning.Check]:
    return {c.key: c for c in gunning.checks(facts)}


def test_all_good_passes_and_nothing_blocks():
    results = gunning.checks(good())
    assert [c.key for c in results] == [
        "formative",
        "sufficient_reasons",
        "adequate_time",
        "conscientious_consideration",
        "assurance",
        "scrutiny",
        "eqia",
    ]
    assert {c.key: c.result for c in results} == {
        "formative": Result.PASS,
        "sufficient_reasons": Result.PASS,
        "adequate_time": Result.PASS,
        "conscientious_consideration": Result.INFO,
        "assurance": Result.PASS,
        "scrutiny": Result.PASS,
        "eqia": Result.PASS,
    }
    assert gunning.blocking(results) == []
    assert all(c.reasons for c in results)


# --- formative ---------------------------------------------------------------------


@pytest.mark.parametrize("status", list(Status))
def test_formative_by_status(status):
    check = gunning.check_formative(good(proposal_status=status))
    decided = ORDER.index(status) >= ORDER.index(Status.DECIDED)
    assert check.result == (Result.FAIL if decided else Result.PASS)
    if decided:
        assert "formative" in check.reasons[0]
        assert gunning.blocking([check])


def test_a_decision_after_the_close_was_formative_not_a_fail():
    """Found in a demo click-through: a consultation that ran and was then decided showed
    a red "Fail" for its formative stage, alarming scrutiny readers."""
    for status in (Status.DECIDED, Status.IMPLEMENTATION):
        check = gunning.check_formative(good(proposal_status=status, closed=True))
        assert check.result == Result.PASS
        assert "Decided after the consultation closed" in check.reasons[0]
    # Decided while it was still open: that is a real failure.
    assert gunning.check_formative(good(proposal_status=Status.DECIDED)).result == Result.FAIL


def test_formative_fails_when_a_decision_is_recorded_even_before_decided():
    check = gunning.check_formative(
        good(proposal_status=Status.DECISION_PENDING, decision_recorded=True)
    )
    assert check.result == Result.FAIL
    assert "decision has been recorded" in check.reasons[0]


# --- sufficient reasons ---------------------------------------------------------------


@pytest.mark.parametrize("key", list(gunning.SECTIONS))
def test_each_missing_section_fails_and_is_named(key):
    sections = dict(ALL_PUBLISHED)
    sections[key] = SectionState(published=False)
    check = gunning.check_sufficient_reasons(good(sections=sections))
    assert check.result == Result.FAIL
    assert gunning.SECTIONS[key] in check.reasons[0]
    others = [label for k, label in gunning.SECTIONS.items() if k != key]
    assert not any(
        label in check.reasons[0] for label in others if label not in gunning.SECTIONS[key]
    )


@pytest.mark.parametrize("key", list(gunning.SECTIONS))
def test_absent_section_row_counts_as_missing(key):
    sections = {k: v for k, v in ALL_PUBLISHED.items() if k != key}
    assert gunning.check_sufficient_reasons(good(sections=sections)).result == Result.FAIL


def test_unpublished_document_fails_even_with_sections():
    check = gunning.check_sufficient_reasons(good(document_published=False))
    assert check.result == Result.FAIL
    assert check.reasons == ("The consultation document has not been published.",)


def test_no_sections_lists_all():
    check = gunning.check_sufficient_reasons(good(sections={}, document_published=False))
    assert check.result == Result.FAIL
    assert len(check.reasons) == 2
    for label in gunning.SECTIONS.values():
        assert label in check.reasons[1]


def test_unpublished_draft_changes_warn_but_do_not_block():
    sections = dict(ALL_PUBLISHED)
    sections["costs"] = SectionState(published=True, unpublished_changes=True)
    check = gunning.check_sufficient_reasons(good(sections=sections))
    assert check.result == Result.WARNING
    assert "Costs" in check.reasons[0]
    assert gunning.blocking([check]) == []


# --- adequate time ----------------------------------------------------------------------


def test_missing_dates_fail():
    for changes in ({"opens_at": None}, {"closes_at": None}, {"opens_at": None, "closes_at": None}):
        check = gunning.check_adequate_time(good(**changes))
        assert check.result == Result.FAIL
        assert "opening and closing" in check.reasons[0]


def test_close_before_open_fails():
    check = gunning.check_adequate_time(good(closes_at=OPENS))
    assert check.result == Result.FAIL
    assert "after the opening" in check.reasons[0]


def test_exactly_the_minimum_passes_and_a_second_less_fails():
    exact = good(closes_at=OPENS + timedelta(weeks=12))
    assert gunning.check_adequate_time(exact).result == Result.PASS
    short = good(closes_at=OPENS + timedelta(weeks=12) - timedelta(seconds=1))
    check = gunning.check_adequate_time(short)
    assert check.result == Result.FAIL
    assert "11 weeks and 6 days" in check.reasons[0]
    assert "shorter than 12 weeks" in check.reasons[0]


def test_short_period_with_justification_is_shortened_never_pass_and_says_by_whom():
    facts = good(
        closes_at=OPENS + timedelta(weeks=6),
        justification="Urgent: winter pressures.",
        justified_by="Dana Lead",
        justified_on=date(2027, 8, 2),
    )
    check = gunning.check_adequate_time(facts)
    assert check.result == Result.SHORTENED
    assert check.label == "Shortened"
    assert not check.blocks
    assert check.reasons[0] == (
        "Shortened \u2013 justified by \u201cUrgent: winter pressures.\u201d "
        "(approved by Dana Lead on 2 August 2027)."
    )
    assert "shorter than 12 weeks" in check.reasons[1]


@pytest.mark.parametrize("placeholder", ["x", "n/a", "tbc", "-", "...", "Reason.", "ok", "urgent"])
def test_placeholder_justification_fails(placeholder):
    facts = good(closes_at=OPENS + timedelta(weeks=6), justification=placeholder)
    check = gunning.check_adequate_time(facts)
    assert check.result == Result.FAIL
    assert "no substantive justification" in check.reasons[0]


def test_a_35_minute_consultation_justified_by_x_does_not_pass():
    facts = good(closes_at=OPENS + timedelta(minutes=35), justification="x")
    results = by_key(facts)
    assert results["adequate_time"].result == Result.FAIL
    assert any("Adequate time" in p for p in gunning.blocking(list(results.values())))


def test_shortened_and_spanning_a_pre_election_period_stays_shortened():
    period = PreElectionPeriod("Local elections", date(2027, 9, 10), date(2027, 9, 20))
    facts = good(
        closes_at=OPENS + timedelta(weeks=6),
        justification="Urgent: winter pressures on beds.",
        pre_election_periods=[period],
    )
    check = gunning.check_adequate_time(facts)
    assert check.result == Result.SHORTENED
    assert any("Local elections" in r for r in check.reasons)


def test_no_council_fails_and_blocks_opening():
    """Reg. 23: a consultation opened with no council was the finding; now it cannot."""
    results = gunning.checks(good(councils=(), first_letter_on=None))
    check = {c.key: c for c in results}["scrutiny"]
    assert check.result == Result.FAIL and check.blocks
    assert "No council is recorded" in check.reasons[0]
    assert any("No council is recorded" in r for r in gunning.blocking(results))


def test_a_council_without_the_first_letter_fails_and_blocks():
    check = by_key(good(first_letter_on=None))["scrutiny"]
    assert check.result == Result.FAIL and check.blocks
    assert "first letter" in " ".join(check.reasons)


def test_a_council_without_its_committee_or_several_without_a_joint_committee_fail():
    check = by_key(good(council_problems=("Name the overview and scrutiny committee of X.",)))
    assert check["scrutiny"].result == Result.FAIL


def test_a_council_recorded_after_the_first_letter_fails_until_it_is_sent():
    check = by_key(good(unwritten_councils=("Suffolk County Council",)))["scrutiny"]
    assert check.result == Result.FAIL
    assert "Suffolk County Council" in " ".join(check.reasons)


def test_council_written_to_with_both_dates_passes():
    check = by_key(good())["scrutiny"]
    assert check.result == Result.PASS
    assert "First letter sent on 1 September 2027" in check.reasons[0]
    assert "1 November 2027" in check.reasons[0] and "1 December 2027" in check.reasons[0]


def test_no_eqia_fails_and_blocks():
    results = gunning.checks(good(eqia_attached=False))
    check = {c.key: c for c in results}["eqia"]
    assert check.result == Result.FAIL
    assert any("Equality impact assessment" in p for p in gunning.blocking(results))


def test_blank_justification_is_not_a_justification():
    facts = good(closes_at=OPENS + timedelta(weeks=6), justification="   \n")
    assert gunning.check_adequate_time(facts).result == Result.FAIL


def test_configured_minimum_is_used():
    facts = good(closes_at=OPENS + timedelta(weeks=8), min_weeks=8)
    assert gunning.check_adequate_time(facts).result == Result.PASS
    assert gunning.check_adequate_time(replace(facts, min_weeks=9)).result == Result.FAIL


def test_bank_holidays_warn_with_their_names_and_dates():
    # 1 March to 1 June 2027: Good Friday 26 March, Easter Monday 29 March, Early May 3 May,
    # Spring 31 May.
    facts = good(
        opens_at=datetime(2027, 3, 1, 9, tzinfo=UTC), closes_at=datetime(2027, 6, 1, 17, tzinfo=UTC)
    )
    check = gunning.check_adequate_time(facts)
    assert check.result == Result.WARNING
    text = " ".join(check.reasons)
    for expected in ("Good Friday (26 March 2027)", "Easter Monday (29 March 2027)", "31 May 2027"):
        assert expected in text
    assert "4 bank holidays" in text
    assert gunning.blocking([check]) == []


def test_bank_holidays_count_working_days_lost_not_weekend_ones_twice():
    # Christmas 2026: 25 December a Friday, Boxing Day a Saturday, its substitute Monday 28th.
    facts = good(
        opens_at=datetime(2026, 10, 5, 9, tzinfo=UTC),
        closes_at=datetime(2026, 12, 31, 17, tzinfo=UTC),
    )
    assert gunning.bank_holidays_between(date(2026, 12, 24), date(2026, 12, 29)) == [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 28), "Boxing Day (observed)"),
    ]
    text = " ".join(gunning.check_adequate_time(facts).reasons)
    assert "spans 2 bank holidays" in text, text
    assert "Christmas Day (25 December 2026)" in text
    assert "Boxing Day (observed) (28 December 2026)" in text
    assert "Boxing Day (26 December 2026)" not in text


def test_bank_holiday_on_the_closing_day_in_london_time_counts():
    # Closes at 00:30 BST on 31 May 2027 = 23:30 UTC on 30 May: the London date is the 31st.
    facts = good(
        opens_at=datetime(2027, 4, 1, 9, tzinfo=UTC),
        closes_at=datetime(2027, 5, 30, 23, 30, tzinfo=UTC),
        min_weeks=4,
    )
    text = " ".join(gunning.check_adequate_time(facts).reasons)
    assert "31 May 2027" in text


def test_short_and_spanning_a_holiday_still_fails_without_justification():
    facts = good(
        opens_at=datetime(2027, 12, 20, 9, tzinfo=UTC),
        closes_at=datetime(2028, 1, 10, 17, tzinfo=UTC),
    )
    assert gunning.check_adequate_time(facts).result == Result.FAIL


def test_pre_election_period_overlap_warns_with_dates():
    period = PreElectionPeriod("County council elections", date(2027, 10, 1), date(2027, 11, 4))
    check = gunning.check_adequate_time(good(pre_election_periods=[period]))
    assert check.result == Result.WARNING
    text = " ".join(check.reasons)
    assert "County council elections" in text
    assert "1 October 2027 to 4 November 2027" in text


@pytest.mark.parametrize(
    ("start", "end", "overlaps"),
    [
        (date(2027, 8, 1), date(2027, 8, 31), False),  # ends the day before it opens
        (date(2027, 8, 1), date(2027, 9, 1), True),  # ends on the opening day
        (date(2027, 12, 1), date(2027, 12, 20), True),  # starts on the closing day
        (date(2027, 12, 2), date(2027, 12, 20), False),  # starts the day after
        (date(2027, 1, 1), date(2028, 1, 1), True),  # covers the whole period
    ],
)
def test_pre_election_period_edges(start, end, overlaps):
    check = gunning.check_adequate_time(
        good(pre_election_periods=[PreElectionPeriod("Election", start, end)])
    )
    assert (check.result == Result.WARNING) is overlaps


@given(
    opens=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 1, 1)),  # noqa: DTZ001
    length=st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(weeks=30)),
    weeks=st.integers(min_value=1, max_value=20),
    justified=st.booleans(),
)
def test_adequate_time_fails_exactly_when_short_and_unjustified(opens, length, weeks, justified):
    opens = opens.replace(tzinfo=UTC)
    facts = good(
        opens_at=opens,
        closes_at=opens + length,
        min_weeks=weeks,
        justification="Urgent because of winter pressures." if justified else "",
    )
    check = gunning.check_adequate_time(facts)
    short = length < timedelta(weeks=weeks)
    should_fail = short and not justified
    assert (check.result == Result.FAIL) is should_fail
    assert (check.result == Result.SHORTENED) is (short and justified)
    if not short:
        spans_holiday = bool(
            gunning.bank_holidays_between(
                gunning.local_date(opens), gunning.local_date(opens + length)
            )
        )
        assert (check.result == Result.WARNING) is spans_holiday


# --- conscientious consideration and assurance ------------------------------------------


def test_conscientious_consideration_is_informational_before_and_after_close():
    before = gunning.check_conscientious_consideration(good())
    after = gunning.check_conscientious_consideration(good(closed=True))
    assert before.result == after.result == Result.INFO
    assert before.label == "After close"
    assert "after the consultation closes" in before.reasons[0]
    assert "has closed" in after.reasons[0]
    assert gunning.blocking([before, after]) == []


def test_conscientious_consideration_after_the_decision_points_to_the_outcome_report():
    """Found in the demo: a decided consultation still said "After close – respond to
    every theme", as if the work were still to do."""
    check = gunning.check_conscientious_consideration(good(closed=True, decision_recorded=True))
    assert check.result == Result.INFO and check.label == "See the outcome report"
    assert "A decision has been recorded" in check.reasons[0]
    assert gunning.blocking([check]) == []


def test_stage2_required_and_not_passed_fails():
    check = gunning.check_assurance(good(stage2_passed=False))
    assert check.result == Result.FAIL
    assert gunning.blocking([check]) == [
        "Assurance stage 2: NHS England assurance stage 2 has not been recorded as passed."
    ]


def test_stage2_not_required_passes():
    check = gunning.check_assurance(good(stage2_required=False, stage2_passed=False))
    assert check.result == Result.PASS
    assert "not required" in check.reasons[0]


def test_blocking_lists_every_failure_with_its_principle():
    facts = good(
        proposal_status=Status.DECIDED,
        document_published=False,
        closes_at=OPENS + timedelta(weeks=2),
        stage2_passed=False,
    )
    problems = gunning.blocking(gunning.checks(facts))
    prefixes = [p.split(":")[0] for p in problems]
    assert prefixes == [
        "Formative stage",
        "Sufficient reasons",
        "Adequate time",
        "Assurance stage 2",
    ]


# --- helpers ---------------------------------------------------------------------------


def test_bank_holidays_between_covers_england_and_wales_and_is_inclusive():
    days = gunning.bank_holidays_between(date(2027, 12, 25), date(2027, 12, 28))
    # Christmas and Boxing Day fall at a weekend in 2027: only the two substitute days,
    # the working days lost, are listed.
    assert [d.day for d, _ in days] == [27, 28]
    assert [
        d.day for d, _ in gunning.bank_holidays_between(date(2027, 12, 27), date(2027, 12, 28))
    ] == [27, 28]
    assert gunning.bank_holidays_between(date(2027, 12, 28), date(2027, 12, 27)) == []
    assert gunning.bank_holidays_between(date(2027, 9, 1), date(2027, 12, 1)) == []


def test_local_date_uses_london_time():
    assert gunning.local_date(datetime(2027, 6, 30, 23, 30, tzinfo=UTC)) == date(2027, 7, 1)
    assert gunning.local_date(datetime(2027, 12, 31, 23, 30, tzinfo=UTC)) == date(2027, 12, 31)
    naive = datetime(2027, 6, 30, 23, 30)  # noqa: DTZ001 (naive is read as UTC)
    assert gunning.local_date(naive) == date(2027, 7, 1)


def test_parse_pre_election_periods():
    periods = gunning.parse_pre_election_periods(
        ["2027-03-29..2027-05-06 Local elections", "  ", "2028-01-01..2028-01-02"]
    )
    assert periods == [
        PreElectionPeriod("Local elections", date(2027, 3, 29), date(2027, 5, 6)),
        PreElectionPeriod("Pre-election period", date(2028, 1, 1), date(2028, 1, 2)),
    ]
    with pytest.raises(ValueError):
        gunning.parse_pre_election_periods(["2027-03-29 Local"])
    with pytest.raises(ValueError):
        gunning.parse_pre_election_periods(["2027-05-06..2027-03-29 Backwards"])
