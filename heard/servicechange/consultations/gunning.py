"""The Gunning principles as checks a consultation must pass before it opens. No Django.

R v Brent LBC ex p Gunning (1985), approved in R (Moseley) v Haringey LBC [2014] UKSC 56
(domain.md §6): a consultation is lawful only if it is held

1. while proposals are still at a formative stage (``formative``);
2. with sufficient reasons for any proposal to permit intelligent consideration
   (``sufficient_reasons``: every section of the consultation document written and
   published);
3. with adequate time for consideration and response (``adequate_time``: at least the
   minimum number of weeks an administrator set, or "Shortened" – never "Pass" – with a
   substantive justification and who recorded it; a placeholder such as "x" is no
   justification and fails; a warning, with the dates, when the period spans bank
   holidays in England and Wales or a pre-election period);
4. and the product of consultation is conscientiously taken into account
   (``conscientious_consideration``: informational until the consultation closes, then
   it is the outcomes app's work).

Plus the NHS England assurance stage 2 checkpoint (``assurance``), when required; the
overview and scrutiny committee (``scrutiny``: reg. 23 of the Local Authority (Public
Health, Health and Wellbeing Boards and Health Scrutiny) Regulations 2013 – the councils
recorded with their committee and contact, a joint committee where several, and the
first letter sent with both dates; fails, and blocks opening, until then); and the
equality impact assessment (``eqia``: each characteristic considered with evidence and
each negative impact mitigated, Equality Act 2010 s.149; fails otherwise).

A check is ``PASS``, ``SHORTENED`` (a period under the minimum with a justification:
allowed, never shown as a pass), ``FAIL``, ``WARNING`` (shown, does not block) or
``INFO``; any ``FAIL`` blocks opening or scheduling the consultation (see ``blocking``).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from heard.core import substance
from heard.servicechange.proposals import domain as proposal_domain

LONDON = ZoneInfo("Europe/London")


class Result(StrEnum):
    PASS = "pass"  # noqa: S105 (a check result, not a password)
    FAIL = "fail"
    SHORTENED = "shortened"
    WARNING = "warning"
    INFO = "info"


RESULT_LABELS = {
    Result.PASS: "Pass",
    Result.FAIL: "Fail",
    Result.SHORTENED: "Shortened",
    Result.WARNING: "Warning",
    Result.INFO: "After close",
}

# The consultation document, in the order it is read (keys of DocumentSection.Key).
SECTIONS: dict[str, str] = {
    "proposal": "The proposal",
    "options": "The options",
    "reasons": "Our reasons",
    "alternatives": "Alternatives set aside and why",
    "costs": "Costs",
    "impacts": "Impacts",
    "eqia": "Equality impact assessment",
}


@dataclass(frozen=True)
class SectionState:
    published: bool  # published text is not empty
    unpublished_changes: bool = False  # the draft differs from what was published


@dataclass(frozen=True)
class PreElectionPeriod:
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class GunningFacts:
    proposal_status: proposal_domain.Status
    decision_recorded: bool = False
    sections: Mapping[str, SectionState] = field(default_factory=dict)
    document_published: bool = False
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    min_weeks: int = 12
    justification: str = ""
    justified_by: str = ""  # who recorded the justification (approved the shorter period)
    justified_on: date | None = None
    pre_election_periods: Sequence[PreElectionPeriod] = ()
    stage2_required: bool = True
    stage2_passed: bool = False
    closed: bool = False
    councils: Sequence[str] = ()  # overview and scrutiny: the councils recorded
    council_problems: Sequence[str] = ()  # a committee, a contact, the joint committee
    first_letter_on: date | None = None  # the reg. 23 first letter, when sent
    unwritten_councils: Sequence[str] = ()  # councils recorded after the first letter
    osc_comments_due_on: date | None = None
    proposed_decision_on: date | None = None
    eqia_attached: bool = False
    # what the structured EqIA is missing (heard.servicechange.assessment.eqia): empty when every
    # characteristic was considered with evidence and each negative impact mitigated
    eqia_problems: Sequence[str] = ()
    # why the options appraisal cannot be worked out yet (assessment.appraisal.problems):
    # the document may be written, but the reasons for the options are not yet shown
    appraisal_problems: Sequence[str] = ()


@dataclass(frozen=True)
class Check:
    key: str
    principle: str
    result: Result
    reasons: tuple[str, ...]
    # a plainer tag than the result's own for an informational check (never for a pass)
    tag: str = ""

    @property
    def label(self) -> str:
        return self.tag if self.tag and self.result == Result.INFO else RESULT_LABELS[self.result]

    @property
    def blocks(self) -> bool:
        return self.result == Result.FAIL


def local_date(moment: datetime) -> date:
    """The date in England of an aware datetime (naive ones are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(LONDON).date()


def format_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@cache
def _bank_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """England's and Wales's bank holidays in ``year`` that fall on a weekday: the working
    days lost (the calendar is built once). A holiday on a Saturday or Sunday is left out,
    its substitute day ("Boxing Day (observed)") stands for it, so no day counts twice."""
    found: dict[date, str] = {}
    for subdiv in ("ENG", "WLS"):
        for day, name in holidays.country_holidays("GB", subdiv=subdiv, years=year).items():
            if day.weekday() < 5:  # Monday to Friday
                found.setdefault(day, name)
    return tuple(sorted(found.items()))


def bank_holidays_between(first: date, last: date) -> list[tuple[date, str]]:
    """Bank holidays in England and Wales from ``first`` to ``last`` inclusive, weekdays
    only (a weekend holiday is counted once, by its substitute day)."""
    return [
        (day, name)
        for year in range(first.year, last.year + 1)
        for day, name in _bank_holidays(year)
        if first <= day <= last
    ]


def check_formative(facts: GunningFacts) -> Check:
    order = proposal_domain.ORDER
    decided = facts.decision_recorded or order.index(facts.proposal_status) >= order.index(
        proposal_domain.Status.DECIDED
    )
    principle = "Formative stage"
    if decided and facts.closed:
        # The decision came after the consultation closed: what it was asked about was
        # still open to change while people responded.
        return Check(
            "formative",
            principle,
            Result.PASS,
            (
                "Decided after the consultation closed: people were consulted while the "
                "proposal could still change.",
            ),
        )
    if decided:
        label = proposal_domain.STATUS_LABELS[facts.proposal_status]
        why = (
            "A decision has been recorded"
            if facts.decision_recorded
            else f"The proposal is at \u201c{label}\u201d"
        )
        return Check(
            "formative",
            principle,
            Result.FAIL,
            (f"{why}: consulting now would not be at a formative stage.",),
        )
    return Check(
        "formative",
        principle,
        Result.PASS,
        ("The proposal has not been decided: views can still change it.",),
    )


def check_sufficient_reasons(facts: GunningFacts) -> Check:
    principle = "Sufficient reasons"
    missing = [
        label
        for key, label in SECTIONS.items()
        if not (facts.sections.get(key) or SectionState(False)).published
    ]
    changed = [
        label
        for key, label in SECTIONS.items()
        if (state := facts.sections.get(key)) is not None
        and state.published
        and state.unpublished_changes
    ]
    reasons: list[str] = []
    if not facts.document_published:
        reasons.append("The consultation document has not been published.")
    if missing:
        reasons.append("Sections missing from the published document: " + ", ".join(missing) + ".")
    if reasons:
        return Check("sufficient_reasons", principle, Result.FAIL, tuple(reasons))
    cautions: list[str] = []
    if changed:
        cautions.append(
            "Every section is published, but these have draft changes not yet published: "
            + ", ".join(changed)
            + "."
        )
    if facts.appraisal_problems:
        cautions.append(
            "The options appraisal is not finished, so the document cannot yet show how the "
            "options were compared: " + " ".join(facts.appraisal_problems)
        )
    if cautions:
        return Check("sufficient_reasons", principle, Result.WARNING, tuple(cautions))
    return Check(
        "sufficient_reasons",
        principle,
        Result.PASS,
        ("Every section of the consultation document is written and published.",),
    )


def _weeks_and_days(delta: timedelta) -> str:
    days = delta.days
    weeks, rest = divmod(days, 7)
    parts = []
    if weeks:
        parts.append(f"{weeks} week{'s' if weeks != 1 else ''}")
    if rest or not weeks:
        parts.append(f"{rest} day{'s' if rest != 1 else ''}")
    return " and ".join(parts)


def check_adequate_time(facts: GunningFacts) -> Check:
    principle = "Adequate time"
    if facts.opens_at is None or facts.closes_at is None:
        return Check(
            "adequate_time",
            principle,
            Result.FAIL,
            ("Set the opening and closing dates and times.",),
        )
    if facts.closes_at <= facts.opens_at:
        return Check(
            "adequate_time",
            principle,
            Result.FAIL,
            ("The closing time must be after the opening time.",),
        )
    length = facts.closes_at - facts.opens_at
    minimum = timedelta(weeks=facts.min_weeks)
    reasons: list[str] = []
    result = Result.PASS
    shortened = length < minimum
    if shortened:
        runs = (
            f"The consultation runs for {_weeks_and_days(length)}, shorter than "
            f"{facts.min_weeks} weeks (the minimum)"
        )
        justification = substance.squeeze(facts.justification)
        if not justification:
            return Check(
                "adequate_time",
                principle,
                Result.FAIL,
                (f"{runs}: lengthen it or record why a shorter period is adequate.",),
            )
        problems = justification_problems(justification)
        if problems:
            return Check(
                "adequate_time",
                principle,
                Result.FAIL,
                (
                    f"{runs}, and there is no substantive justification: "
                    f"\u201c{justification}\u201d does not say why a shorter period is "
                    "adequate. Lengthen it or record the reason in a sentence.",
                ),
            )
        result = Result.SHORTENED
        approved = (
            f"approved by {facts.justified_by}" if facts.justified_by else "approver not recorded"
        )
        if facts.justified_on is not None:
            approved += f" on {format_date(facts.justified_on)}"
        reasons.append(f"Shortened \u2013 justified by \u201c{justification}\u201d ({approved}).")
        reasons.append(f"{runs}.")
    else:
        reasons.append(
            f"The consultation runs for {_weeks_and_days(length)} "
            f"(at least {facts.min_weeks} weeks)."
        )
    first, last = local_date(facts.opens_at), local_date(facts.closes_at)
    bank = bank_holidays_between(first, last)
    if bank:
        result = Result.SHORTENED if shortened else Result.WARNING
        named = "; ".join(f"{name} ({format_date(day)})" for day, name in bank)
        reasons.append(
            f"It spans {len(bank)} bank holiday{'s' if len(bank) != 1 else ''} in England "
            f"and Wales: {named}. Consider allowing extra time."
        )
    for period in facts.pre_election_periods:
        if period.starts_on <= last and period.ends_on >= first:
            result = Result.SHORTENED if shortened else Result.WARNING
            reasons.append(
                f"It overlaps the pre-election period \u201c{period.name}\u201d "
                f"({format_date(period.starts_on)} to {format_date(period.ends_on)}): "
                "publicity is restricted then."
            )
    return Check("adequate_time", principle, result, tuple(reasons))


def justification_problems(text: str) -> list[str]:
    """Why ``text`` is no justification for a shorter period (empty: it is one)."""
    return substance.reason_problems(text, what="a shorter period is adequate", min_words=3)


def check_scrutiny(facts: GunningFacts) -> Check:
    """Reg. 23: the councils recorded (each committee and contact, a joint committee where
    several) and the first letter sent with both dates – before opening, so it blocks."""
    principle = "Overview and scrutiny"
    problems: list[str] = []
    if not facts.councils:
        problems.append(
            "No council is recorded: a substantial development or variation must be "
            "consulted on with the local authority's overview and scrutiny committee "
            "(reg. 23). Record the council consulted."
        )
    if facts.councils:
        problems.extend(facts.council_problems)
    if facts.councils and facts.first_letter_on is None:
        problems.append(
            "The first letter to the committee has not been sent: send it from the overview "
            "and scrutiny page, with the date comments are due and the proposed decision date."
        )
    if facts.unwritten_councils:
        problems.append(
            "Recorded after the first letter and not yet sent it: "
            + ", ".join(facts.unwritten_councils)
            + ". Send them the first letter."
        )
    if problems:
        # Say only what is missing: never a pass for something not done.
        return Check("scrutiny", principle, Result.FAIL, tuple(dict.fromkeys(problems)))
    assert facts.first_letter_on is not None
    dates = ""
    if facts.osc_comments_due_on and facts.proposed_decision_on:
        dates = (
            f" Comments are due on {format_date(facts.osc_comments_due_on)}; the proposed "
            f"decision date is {format_date(facts.proposed_decision_on)}."
        )
    return Check(
        "scrutiny",
        principle,
        Result.PASS,
        (
            f"Consulted: {', '.join(facts.councils)}. First letter sent on "
            f"{format_date(facts.first_letter_on)}.{dates}",
        ),
    )


def check_eqia(facts: GunningFacts) -> Check:
    principle = "Equality impact assessment"
    if not facts.eqia_attached:
        return Check(
            "eqia",
            principle,
            Result.FAIL,
            (
                "No equality impact assessment is attached: attach it before the "
                "consultation opens (public sector equality duty).",
            ),
        )
    if facts.eqia_problems:
        return Check(
            "eqia",
            principle,
            Result.FAIL,
            (
                "The equality impact assessment is not complete: every protected "
                "characteristic (and the ICB's additions) needs evidence and an impact, "
                "and every negative impact a mitigation, before the consultation opens.",
                *facts.eqia_problems,
            ),
        )
    return Check(
        "eqia",
        principle,
        Result.PASS,
        (
            "Every protected characteristic and the ICB's additions are considered, with "
            "evidence, and every negative impact has a mitigation.",
        ),
    )


def check_conscientious_consideration(facts: GunningFacts) -> Check:
    principle = "Conscientious consideration"
    if facts.closed and facts.decision_recorded:
        # Not re-checked here (so not a "Pass"): the decision could only be recorded once
        # the outcome report answered every theme (heard.servicechange.outcomes); the panel
        # says where that record is.
        text = (
            "A decision has been recorded: the outcome report shows how each theme of "
            "what was heard was responded to and taken into account."
        )
        return Check(
            principle=principle,
            key="conscientious_consideration",
            result=Result.INFO,
            reasons=(text,),
            tag="See the outcome report",
        )
    if facts.closed:
        text = (
            "The consultation has closed: respond to every theme of what was heard before "
            "a decision is recorded."
        )
    else:
        text = (
            "Shown after the consultation closes: every theme of what was heard will need "
            "a response before a decision."
        )
    return Check("conscientious_consideration", principle, Result.INFO, (text,))


def check_assurance(facts: GunningFacts) -> Check:
    principle = "Assurance stage 2"
    if not facts.stage2_required:
        return Check(
            "assurance",
            principle,
            Result.PASS,
            ("Stage 2 assurance is not required in this deployment.",),
        )
    if facts.stage2_passed:
        return Check(
            "assurance", principle, Result.PASS, ("NHS England assurance stage 2 is passed.",)
        )
    return Check(
        "assurance",
        principle,
        Result.FAIL,
        ("NHS England assurance stage 2 has not been recorded as passed.",),
    )


def checks(facts: GunningFacts) -> list[Check]:
    """Every check, in the order shown on the panel."""
    return [
        check_formative(facts),
        check_sufficient_reasons(facts),
        check_adequate_time(facts),
        check_conscientious_consideration(facts),
        check_assurance(facts),
        check_scrutiny(facts),
        check_eqia(facts),
    ]


def blocking(results: Sequence[Check]) -> list[str]:
    """The reasons the consultation may not open or be scheduled (empty: it may)."""
    return [
        f"{check.principle}: {reason}"
        for check in results
        if check.blocks
        for reason in check.reasons
    ]


def parse_pre_election_periods(entries: Sequence[str]) -> list[PreElectionPeriod]:
    """``"2027-03-29..2027-05-06 Local elections"`` entries (the settings format)."""
    periods = []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        span, _, name = entry.partition(" ")
        start, sep, end = span.partition("..")
        if not sep:
            raise ValueError(f"Pre-election period {entry!r}: expected START..END NAME")
        starts_on, ends_on = date.fromisoformat(start), date.fromisoformat(end)
        if ends_on < starts_on:
            raise ValueError(f"Pre-election period {entry!r} ends before it starts")
        periods.append(PreElectionPeriod(name.strip() or "Pre-election period", starts_on, ends_on))
    return periods
