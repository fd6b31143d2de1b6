"""Theme responses, issuing the report and the decision through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.lifecycle.facts import facts as lifecycle_facts
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.models import Decision
from heard.servicechange.outcomes.services import OutcomeRefused
from heard.servicechange.outcomes.tests.helpers import (
    have_due_regard,
    make_consulted_proposal,
    respond_to_all,
)

pytestmark = pytest.mark.django_db


def _decide(proposal, actor, **changes):
    values = {
        "decided_on": timezone.localdate(),
        "decided_by": "NHS Example ICB board",
        "decision": "Move the unit, with a shuttle bus.",
        "board_paper_url": "https://example.nhs.uk/board/2026-07.pdf",
    }
    values.update(changes)
    have_due_regard(proposal, actor)
    return lifecycle_services.decision_record(proposal=proposal, actor=actor, **values)


def test_themes_come_from_the_consultations_analysis(make_staff) -> None:
    made = make_consulted_proposal()
    themes = selectors.themes_for(made["proposal"])
    assert [t.name for t in themes.items] == ["Travel to the new site", "Parking"]
    assert [t.answers for t in themes.items] == [3, 2]
    assert themes.items[1].positive == 1 and themes.items[1].negative == 1
    assert themes.missing == ["Travel to the new site", "Parking"]
    assert themes.unanalysed == []


def test_an_unanalysed_question_is_reported() -> None:
    made = make_consulted_proposal(unanalysed=True)
    themes = selectors.themes_for(made["proposal"])
    assert themes.items == []
    assert themes.unanalysed == ["What do you think of the proposal?"]


def test_a_theme_response_is_saved_audited_and_rewritten(make_staff) -> None:
    actor = make_staff(Role.PROGRAMME_LEAD)
    made = make_consulted_proposal()
    theme = made["themes"]["Parking"]
    services.theme_response_save(
        proposal=made["proposal"],
        theme_id=theme.pk,
        actor=actor,
        response="More spaces. We weighed this against the travel survey and the clinical advice.",
        changed="no",
    )
    services.theme_response_save(
        proposal=made["proposal"],
        theme_id=theme.pk,
        actor=actor,
        response="More spaces. We weighed this against the travel survey and the clinical advice.",
        changed="yes",
        how="A second car park.",
    )
    item = selectors.theme_item(made["proposal"], theme.pk)
    assert item is not None and item.response is not None
    assert item.complete and item.response.changed == "yes"
    events = AuditEvent.objects.filter(action=Action.THEME_RESPONSE_SAVED)
    assert events.count() == 2
    last = events.order_by("sequence").last()
    assert last is not None and (last.before or {})["changed"] == "no"


def test_an_incomplete_or_foreign_response_is_refused(make_staff) -> None:
    actor = make_staff()
    made = make_consulted_proposal()
    other = make_consulted_proposal()
    theme = made["themes"]["Parking"]
    with pytest.raises(OutcomeRefused, match="Say how"):
        services.theme_response_save(
            proposal=made["proposal"],
            theme_id=theme.pk,
            actor=actor,
            response="x",
            changed="partly",
        )
    with pytest.raises(OutcomeRefused, match="not one found"):
        services.theme_response_save(
            proposal=other["proposal"],
            theme_id=theme.pk,
            actor=actor,
            response="We will add spaces: the survey showed the car park full by nine each day.",
            changed="no",
        )


def test_the_report_cannot_be_issued_before_every_theme_has_a_response(make_staff) -> None:
    actor = make_staff()
    made = make_consulted_proposal()
    with pytest.raises(OutcomeRefused, match="Respond to every theme"):
        services.report_issue(proposal=made["proposal"], actor=actor, issued_to="Board")
    respond_to_all(made["proposal"], made["themes"], actor)
    services.report_issue(proposal=made["proposal"], actor=actor, issued_to="Board")
    assert AuditEvent.objects.filter(action=Action.OUTCOME_REPORT_ISSUED).count() == 1


def test_the_report_cannot_be_issued_while_the_consultation_is_open(make_staff) -> None:
    made = make_consulted_proposal(closed=False, themes={})
    with pytest.raises(OutcomeRefused, match="not closed"):
        services.report_issue(proposal=made["proposal"], actor=make_staff(), issued_to="Board")


def test_the_decision_is_refused_until_complete_then_moves_the_proposal(make_staff) -> None:
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    board = make_staff(Role.DECISION_MAKER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    with pytest.raises(OutcomeRefused) as refused:
        _decide(proposal, board)
    assert any("2 themes have no complete response" in p for p in refused.value.problems)
    assert any("Issue the outcome report" in p for p in refused.value.problems)
    respond_to_all(proposal, made["themes"], officer)
    with pytest.raises(OutcomeRefused, match="Issue the outcome report"):
        _decide(proposal, board)
    services.report_issue(proposal=proposal, actor=officer, issued_to="Board members")
    close_day = timezone.localdate(made["consultation"].closes_at)
    with pytest.raises(OutcomeRefused, match="after the day the consultation closed"):
        _decide(proposal, board, decided_on=close_day)
    with pytest.raises(OutcomeRefused, match="Link the board paper"):
        _decide(proposal, board, board_paper_url="")
    assert Decision.objects.count() == 0
    decision = _decide(proposal, board)
    proposal.refresh_from_db()
    assert proposal.status == "decided"
    assert decision.decided_by == "NHS Example ICB board"
    assert AuditEvent.objects.filter(action=Action.DECISION_RECORDED).count() == 1
    assert lifecycle_facts(proposal).decision_recorded
    with pytest.raises(OutcomeRefused, match="decision has been recorded"):
        _decide(proposal, board)


def test_a_response_cannot_change_after_issue_until_reopened_and_reissued(make_staff) -> None:
    """Was: a response changed after issue needed a new issue. Now the change itself is
    refused until the report is reopened with a reason, and the decision waits for the
    new version."""
    actor = make_staff()
    board = make_staff(Role.DECISION_MAKER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    respond_to_all(proposal, made["themes"], actor)
    services.report_issue(proposal=proposal, actor=actor, issued_to="Board")

    def change():
        services.theme_response_save(
            proposal=proposal,
            theme_id=made["themes"]["Parking"].pk,
            actor=actor,
            response="Changed our mind. We weighed this against the travel survey and the clinical advice.",
            changed="no",
        )

    with pytest.raises(OutcomeRefused, match="reopen it with a reason"):
        change()
    services.report_reopen(
        proposal=proposal, actor=actor, reason="The parking survey came in late."
    )
    change()
    with pytest.raises(OutcomeRefused, match="reopened for changes"):
        _decide(proposal, board)
    services.report_issue(proposal=proposal, actor=actor, issued_to="Board")
    decision = _decide(proposal, board)
    assert decision.publication is not None and decision.publication.version == 2


def test_a_decision_in_the_future_is_refused(make_staff) -> None:
    actor = make_staff()
    made = make_consulted_proposal()
    respond_to_all(made["proposal"], made["themes"], actor)
    services.report_issue(proposal=made["proposal"], actor=actor, issued_to="Board")
    with pytest.raises(OutcomeRefused, match="future"):
        _decide(
            made["proposal"],
            make_staff(Role.DECISION_MAKER),
            decided_on=timezone.localdate() + timedelta(days=1),
        )


def test_responses_are_final_once_decided(make_staff) -> None:
    actor = make_staff()
    made = make_consulted_proposal()
    respond_to_all(made["proposal"], made["themes"], actor)
    services.report_issue(proposal=made["proposal"], actor=actor, issued_to="Board")
    _decide(made["proposal"], make_staff(Role.DECISION_MAKER))
    with pytest.raises(OutcomeRefused, match="decision has been recorded"):
        respond_to_all(made["proposal"], made["themes"], actor)


def test_published_only_after_approval_and_never_private(make_staff) -> None:
    """Was: published on issue. Now issuing sends it for approval; a second person with
    the permission to publish approves it."""
    actor = make_staff()
    approver = make_staff(Role.ADMINISTRATOR)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    assert not selectors.is_published(proposal)
    respond_to_all(proposal, made["themes"], actor)
    services.report_issue(proposal=proposal, actor=actor, issued_to="Board")
    assert not selectors.is_published(proposal)
    pending = selectors.pending_publications().get()
    services.publication_approve(publication=pending, actor=approver)
    assert selectors.is_published(proposal)
    assert list(selectors.published()) == [proposal]
    proposal.is_private = True
    proposal.save()
    assert not selectors.is_published(proposal)
    assert selectors.published_by_slug(proposal.slug) is None


def test_a_refused_decision_leaves_no_board_paper_file_behind(
    make_staff, settings, tmp_path, monkeypatch
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from heard.servicechange.proposals.services import TransitionRefused

    settings.MEDIA_ROOT = tmp_path
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    board = make_staff(Role.DECISION_MAKER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    respond_to_all(proposal, made["themes"], officer)
    services.report_issue(proposal=proposal, actor=officer, issued_to="Board members")

    def paper():
        return SimpleUploadedFile("paper.pdf", b"%PDF-1.4 board paper")

    # Refused by the rules before anything is stored.
    with pytest.raises(OutcomeRefused, match="after the day"):
        _decide(
            proposal,
            board,
            decided_on=timezone.localdate(made["consultation"].closes_at),
            board_paper_url="",
            board_paper_file=paper(),
        )
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []

    # Refused later, by the proposal's own transition rules, after the file was stored.
    def refuse(**kwargs):
        raise TransitionRefused(["The proposal cannot move to Decided now."])

    monkeypatch.setattr(lifecycle_services, "proposal_transition", refuse)
    with pytest.raises(OutcomeRefused, match="cannot move to Decided"):
        _decide(proposal, board, board_paper_url="", board_paper_file=paper())
    assert Decision.objects.count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []

    monkeypatch.undo()
    decision = _decide(proposal, board, board_paper_url="", board_paper_file=paper())
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(stored) == 1 and decision.board_paper_file.name.startswith("board-papers/")


def test_the_decision_waits_for_the_eqia_to_be_reviewed_after_the_close(make_staff) -> None:
    from heard.servicechange.assessment import services as assessment_services

    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    board = make_staff(Role.DECISION_MAKER)
    made = make_consulted_proposal(eqia_reviewed=False)
    proposal = made["proposal"]
    respond_to_all(proposal, made["themes"], officer)
    services.report_issue(proposal=proposal, actor=officer, issued_to="Board members")
    with pytest.raises(OutcomeRefused, match="record its review after the consultation closed"):
        _decide(proposal, board)
    assert any("EqIA" in p for p in selectors.readiness(proposal))
    assessment_services.eqia_review(  # by those deciding (Brown principles)
        actor=board, proposal=proposal, notes="Travel matters most to older people."
    )
    _decide(proposal, board)
    proposal.refresh_from_db()
    assert proposal.status == "decided"
