"""The Gunning panel tells the truth (issue 13, item 2): a period under the minimum is
never "Pass"; a placeholder justification is none; the overview and scrutiny committee
and the EqIA are rows of their own."""

from datetime import timedelta

import pytest
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.core.roles import Role
from heard.servicechange.consultations import selectors, services
from heard.servicechange.consultations.gunning import Result
from heard.servicechange.consultations.tests.helpers import (
    make_consultation,
    passing_consultation,
    write_to_scrutiny,
)

pytestmark = pytest.mark.django_db


def _panel(consultation, **kwargs):
    return {c.key: c for c in selectors.gunning_panel(consultation, **kwargs)}


def test_a_35_minute_consultation_justified_by_x_does_not_pass():
    consultation = passing_consultation()
    opens = timezone.now() + timedelta(days=1)
    panel = _panel(consultation, period=(opens, opens + timedelta(minutes=35), "x"))
    assert panel["adequate_time"].result == Result.FAIL
    assert panel["adequate_time"].blocks


def test_the_service_refuses_a_placeholder_justification():
    consultation = make_consultation()
    opens = timezone.now() + timedelta(days=1)
    with pytest.raises(services.ConsultationProblem) as refused:
        services.dates_save(
            actor=staff_member(Role.ENGAGEMENT_OFFICER),
            consultation=consultation,
            opens_at=opens,
            closes_at=opens + timedelta(minutes=35),
            justification="x",
        )
    assert "not a reason" in str(refused.value)
    consultation.refresh_from_db()
    assert consultation.short_period_justification == ""


def test_a_justified_short_period_is_shortened_with_who_approved_it():
    officer = staff_member(Role.ENGAGEMENT_OFFICER)
    why = "Winter pressures: the ward must close before December for staffing."
    consultation = passing_consultation(actor=officer, weeks=8, justification=why)
    assert consultation.short_period_justified_by == officer
    check = _panel(consultation)["adequate_time"]
    assert check.result == Result.SHORTENED
    assert check.label == "Shortened"
    assert not check.blocks
    name = officer.full_name or officer.email
    assert check.reasons[0].startswith(f"Shortened \u2013 justified by \u201c{why}\u201d")
    assert f"approved by {name}" in check.reasons[0]


def test_no_council_fails_and_a_council_written_to_passes():
    officer = staff_member(Role.ENGAGEMENT_OFFICER)
    consultation = passing_consultation(actor=officer, scrutiny=False)
    assert _panel(consultation)["scrutiny"].result == Result.FAIL
    services.council_add(
        actor=officer,
        consultation=consultation,
        name="Norfolk County Council",
        committee="Health Overview and Scrutiny Committee",
        contact_email="hosc@norfolk.example.gov.uk",
    )
    # Recorded, but not yet written to: still failing, never a pass.
    check = _panel(consultation)["scrutiny"]
    assert check.result == Result.FAIL and "first letter" in " ".join(check.reasons)
    write_to_scrutiny(consultation, officer)
    consultation.refresh_from_db()
    check = _panel(consultation)["scrutiny"]
    assert check.result == Result.PASS
    assert "Norfolk County Council" in check.reasons[0]


def test_the_eqia_is_a_row_of_the_panel():
    consultation = passing_consultation()
    assert _panel(consultation)["eqia"].result == Result.PASS
    consultation.proposal.eqia.delete()
    consultation.proposal.refresh_from_db()
    assert _panel(consultation)["eqia"].result == Result.FAIL
