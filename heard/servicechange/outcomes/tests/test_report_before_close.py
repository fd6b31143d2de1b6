"""The outcome report's draft says where the consultation is, not that it "ran"."""

from datetime import timedelta

import pytest
from django.urls import reverse

from heard.core.roles import Role
from heard.servicechange.consultations.tests.helpers import make_consultation, set_period

pytestmark = pytest.mark.django_db


def test_a_draft_report_does_not_say_a_consultation_ran_before_it_opened(client, make_staff):
    """Found in the demo: a proposal at assurance, its consultation still a draft, had a
    report saying "The formal consultation ran from 21 December 2026 to 15 February
    2027 … We received 0 responses"."""
    consultation = make_consultation()
    set_period(consultation, starts_in=timedelta(days=14))
    client.force_login(make_staff(Role.PROGRAMME_LEAD))
    page = client.get(reverse("outcomes:report", args=[consultation.proposal_id]))
    text = page.content.decode()
    assert "The formal consultation has not opened yet: it is planned to run from" in text
    assert "consultation ran from" not in text
    assert "We have received no responses yet." in text
