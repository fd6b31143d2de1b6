"""Reg. 23 at the decision: never before the committee's comments are due, nor before the
proposed decision date it was last told (a re-notification may move it); the committee
written to at all. Found before: a decision recorded 12 days before the comments were due
and 5 weeks before the decision date given to the committee."""

from datetime import timedelta

import pytest
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.servicechange.consultations.models import OscNotice, ScrutinyLetter
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.models import Decision
from heard.servicechange.outcomes.services import OutcomeRefused
from heard.servicechange.outcomes.tests.helpers import (
    have_due_regard,
    make_consulted_proposal,
    respond_to_all,
)

pytestmark = pytest.mark.django_db


def _ready(make_staff, **kwargs):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    made = make_consulted_proposal(**kwargs)
    respond_to_all(made["proposal"], made["themes"], officer)
    services.report_issue(proposal=made["proposal"], actor=officer, issued_to="Board members")
    return made


def _decide(proposal, actor, decided_on=None):
    have_due_regard(proposal, actor)  # the decision maker's own regard to the EqIA first
    return lifecycle_services.decision_record(
        proposal=proposal,
        actor=actor,
        decided_on=decided_on or timezone.localdate(),
        decided_by="NHS Example ICB board",
        decision="Move the unit, with a shuttle bus.",
        board_paper_url="https://example.nhs.uk/board/2026-07.pdf",
    )


def _told(consultation, *, comments, decision):
    """What the committee was last told (as a letter sent had said it)."""
    ScrutinyLetter.objects.filter(consultation=consultation).update(
        comments_due_on=comments, proposed_decision_on=decision
    )


def _refused_decisions() -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(action=Action.ACT_REFUSED)
        if (e.after or {}).get("act") == "outcome.decide"
    ]


def test_no_decision_before_the_committees_comments_are_due(make_staff):
    made = _ready(make_staff)
    today = timezone.localdate()
    _told(made["consultation"], comments=today + timedelta(days=12), decision=today)
    with pytest.raises(OutcomeRefused) as refused:
        _decide(made["proposal"], make_staff(Role.DECISION_MAKER))
    assert any("comments are due on" in p for p in refused.value.problems)
    assert not Decision.objects.exists()
    [event] = _refused_decisions()
    assert "comments are due on" in event.after["reason"]
    # The checklist says so before anyone tries.
    assert any("comments are due on" in p for p in selectors.readiness(made["proposal"]))


def test_no_decision_before_the_decision_date_told_unless_a_re_notification_moved_it(
    make_staff,
):
    made = _ready(make_staff)
    today = timezone.localdate()
    consultation = made["consultation"]
    _told(consultation, comments=today - timedelta(days=3), decision=today + timedelta(weeks=5))
    board = make_staff(Role.DECISION_MAKER)
    with pytest.raises(OutcomeRefused) as refused:
        _decide(made["proposal"], board)
    assert any("told the decision would be taken on" in p for p in refused.value.problems)
    assert any(
        "told the decision would be taken on" in p for p in selectors.readiness(made["proposal"])
    )
    # A re-notification (sent a week ago) moved the date to today: now it may be decided.
    first = ScrutinyLetter.objects.get(consultation=consultation)
    letter = ScrutinyLetter.objects.create(
        consultation=consultation,
        kind=ScrutinyLetter.Kind.RENOTIFICATION,
        sent_at=timezone.now() - timedelta(weeks=1),
        comments_due_on=first.comments_due_on,
        proposed_decision_on=today,
        changes={
            "proposed_decision_on": [first.proposed_decision_on.isoformat(), today.isoformat()]
        },
        addressed_to=first.addressed_to,
        councils=first.councils,
        recipients=first.recipients,
        subject="Change to the scrutiny dates",
        body="…",
        body_sha256="0" * 64,
    )
    OscNotice.objects.create(consultation=consultation, summary="…", letter=letter)
    decision = _decide(made["proposal"], board)
    assert decision.decided_on == today


def test_no_decision_when_the_committee_was_never_written_to(make_staff):
    made = _ready(make_staff, scrutiny=False)
    with pytest.raises(OutcomeRefused) as refused:
        _decide(made["proposal"], make_staff(Role.DECISION_MAKER))
    assert any("never sent the first letter" in p for p in refused.value.problems)
    assert any("never sent the first letter" in p for p in selectors.readiness(made["proposal"]))


def test_a_decision_on_or_after_both_dates_is_recorded(make_staff):
    made = _ready(make_staff)
    decision = _decide(made["proposal"], make_staff(Role.DECISION_MAKER))
    assert decision.pk


def test_the_decision_checklist_shows_the_scrutiny_dates_and_response(make_staff, client):
    made = _ready(make_staff)
    board = make_staff(Role.DECISION_MAKER)
    client.force_login(board)
    from django.urls import reverse

    page = client.get(reverse("outcomes:decision", args=[made["proposal"].pk])).content.decode()
    assert "Overview and scrutiny (reg. 23)" in page
    assert "Committee&#x27;s response" in page or "Committee's response" in page
    assert "None recorded" in page
