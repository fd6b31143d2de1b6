"""Writing outcomes: the report's own words, a response to each theme, issuing the report
to the decision makers, and recording the decision (which moves the proposal to decided).
Every change is audited; the rules are in ``domain.py``."""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record, audits_refusals, erasable
from heard.outcomes import domain, selectors
from heard.outcomes.models import Decision, Outcome, ReportIssue, ThemeResponse
from heard.proposals import domain as proposal_domain
from heard.proposals.models import Proposal
from heard.proposals.services import TransitionRefused, proposal_transition


class OutcomeRefused(ValueError):
    """The change breaks a rule; ``problems`` says what to do."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def _words_kept_apart(values: dict[str, str], about: Any) -> dict[str, str]:
    """Free-text answers as erasable references for the audit chain (``changed`` is a
    choice and stays as it is)."""
    return {k: v if k == "changed" else erasable(v, about=about) for k, v in values.items()}


def _outcome(proposal: Proposal) -> Outcome:
    outcome, _ = Outcome.objects.get_or_create(proposal=proposal)
    return outcome


def outcome_update(
    *, proposal: Proposal, actor: Any, summary: str, why: str, next_steps: str
) -> Outcome:
    with transaction.atomic():
        outcome = _outcome(proposal)
        before = {"summary": outcome.summary, "why": outcome.why, "next_steps": outcome.next_steps}
        after = {"summary": summary, "why": why, "next_steps": next_steps}
        if before == after:
            return outcome
        outcome.summary, outcome.why, outcome.next_steps = summary, why, next_steps
        outcome.updated_at = timezone.now()
        outcome.save()
        audit_record(
            action=Action.OUTCOME_UPDATED,
            actor=actor,
            subject=outcome,
            before={k: erasable(v, about=outcome) for k, v in before.items()},
            after={k: erasable(v, about=outcome) for k, v in after.items()},
        )
    return outcome


def theme_response_save(
    *,
    proposal: Proposal,
    theme_id: int,
    actor: Any,
    response: str,
    changed: str,
    how: str = "",
    heard: str = "",
) -> ThemeResponse:
    """Write (or rewrite) our response to one theme of the proposal's consultation."""
    problems = domain.response_problems(domain.ThemeResponseFacts(response, changed, how))
    if problems:
        raise OutcomeRefused(problems)
    item = selectors.theme_item(proposal, theme_id)
    if item is None:
        raise OutcomeRefused(["That theme is not one found in this consultation's answers."])
    if selectors.decision_of(proposal) is not None:
        raise OutcomeRefused(["The decision has been recorded: the responses are final."])
    with transaction.atomic():
        outcome = _outcome(proposal)
        existing = ThemeResponse.objects.filter(outcome=outcome, theme_id=theme_id).first()
        values = {"heard": heard, "response": response, "changed": changed, "how": how}
        if existing is not None:
            before = {k: getattr(existing, k) for k in values}
            if before == values:
                return existing
            for key, value in values.items():
                setattr(existing, key, value)
            existing.theme_name = item.name
            existing.updated_by = actor if getattr(actor, "pk", None) else None
            existing.updated_at = timezone.now()
            existing.save()
            saved = existing
        else:
            before = None
            saved = ThemeResponse.objects.create(
                outcome=outcome,
                theme_id=theme_id,
                theme_name=item.name,
                updated_by=actor if getattr(actor, "pk", None) else None,
                **values,
            )
        # The words may hold personal data: the chain keeps erasable references to them.
        audit_record(
            action=Action.THEME_RESPONSE_SAVED,
            actor=actor,
            subject=saved,
            before=_words_kept_apart(before, saved) if before else None,
            after={"theme": item.name, **_words_kept_apart(values, saved)},
        )
    return saved


@audits_refusals("outcome.issue", subject="proposal")
def report_issue(*, proposal: Proposal, actor: Any, issued_to: str, note: str = "") -> ReportIssue:
    """Record that the outcome report went to the decision makers (when, to whom)."""
    consultation = selectors.consultation_of(proposal)
    if consultation is None:
        raise OutcomeRefused(["There is no formal consultation to report on."])
    themes = selectors.themes_for(proposal, consultation)
    problems = domain.issue_problems(
        consultation_closed=consultation.is_closed,
        unanalysed_questions=themes.unanalysed,
        themes_without_response=themes.missing,
        issued_to=issued_to,
    )
    if problems:
        raise OutcomeRefused(problems)
    with transaction.atomic():
        outcome = _outcome(proposal)
        issue = ReportIssue.objects.create(
            outcome=outcome,
            issued_to=issued_to.strip(),
            note=note,
            issued_by=actor if getattr(actor, "pk", None) else None,
            issued_at=timezone.now(),
        )
        audit_record(
            action=Action.OUTCOME_REPORT_ISSUED,
            actor=actor,
            subject=outcome,
            after={
                "issued_to": issue.issued_to,
                "themes": len(themes.items),
                "at": issue.issued_at.isoformat(),
            },
        )
    return issue


def report_downloaded(*, proposal: Proposal, actor: Any) -> None:
    with transaction.atomic():
        audit_record(
            action=Action.OUTCOME_REPORT_DOWNLOADED,
            actor=actor,
            subject=proposal,
            after={"format": "pdf"},
        )


@audits_refusals("outcome.decide", subject="proposal")
def decision_record(
    *,
    proposal: Proposal,
    actor: Any,
    decided_on: date | None,
    decided_by: str,
    decision: str,
    board_paper_url: str = "",
    board_paper_file: UploadedFile | None = None,
) -> Decision:
    """Record the decision and move the proposal to decided, or refuse with the reasons."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        facts = selectors.decision_facts(
            locked,
            decided_on=decided_on,
            decided_by=decided_by,
            decision=decision,
            board_paper=bool(board_paper_url.strip() or board_paper_file),
        )
        problems = domain.decision_problems(facts)
        if problems:
            raise OutcomeRefused(problems)
        assert decided_on is not None
        record = Decision(
            proposal=locked,
            decided_on=decided_on,
            decided_by=decided_by.strip(),
            decision=decision.strip(),
            board_paper_url=board_paper_url.strip(),
            recorded_by=actor if getattr(actor, "pk", None) else None,
            recorded_at=timezone.now(),
        )
        if board_paper_file:
            # Stored without saving the row; removed again below if anything after this
            # refuses or fails (the transaction rolls the row back, not the file).
            record.board_paper_file.save(
                board_paper_file.name or "board-paper", board_paper_file, save=False
            )
        try:
            record.save()
            audit_record(
                action=Action.DECISION_RECORDED,
                actor=actor,
                subject=record,
                after={
                    "proposal": locked.pk,
                    "decided_on": decided_on.isoformat(),
                    "decided_by": record.decided_by,
                    "decision": record.decision,
                    "board_paper_url": record.board_paper_url,
                    "board_paper_file": record.board_paper_file.name or "",
                },
            )
            try:
                proposal_transition(
                    proposal=locked,
                    target=proposal_domain.Status.DECIDED,
                    actor=actor,
                    note=f"Decided by {record.decided_by} on {decided_on:%-d %B %Y}.",
                )
            except TransitionRefused as refused:
                raise OutcomeRefused(refused.problems) from refused
        except BaseException:
            if record.board_paper_file:
                record.board_paper_file.delete(save=False)
            raise
    return record
