"""Writing outcomes: the report's own words, a response to each theme, issuing the report
to the decision makers, and recording the decision (which moves the proposal to decided).
Every change is audited; the rules are in ``domain.py``."""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from heard.accounts.actors import Actor
from heard.analysis import services as analysis_services
from heard.analysis.models import Codeframe, Coding
from heard.audit.models import Action
from heard.audit.services import audit_record, audits_refusals, erasable
from heard.core import substance
from heard.core.actors import NotPermitted, person, require
from heard.core.pdf import html_to_pdf
from heard.servicechange.outcomes import domain, selectors
from heard.servicechange.outcomes.models import (
    Decision,
    LateResponseDecision,
    Outcome,
    Publication,
    ReportIssue,
    ReportPublication,
    ReportReopening,
    ThemeResponse,
)
from heard.servicechange.proposals.guard import stage
from heard.servicechange.proposals.models import Proposal
from heard.servicechange.proposals.stages import Change


class OutcomeRefused(ValueError):
    """The change breaks a rule; ``problems`` says what to do."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


PERMISSION_WORDS = {
    "outcomes.view_outcomes": "read the outcome report",
    "outcomes.change_outcomes": "change the outcome report",
    "outcomes.record_decision": "record the decision",
    "outcomes.publish": "approve what is published",
    "engagement.change_activities": "send an activity's feedback for approval",
}


class OutcomeNotPermitted(OutcomeRefused, NotPermitted):
    """The actor may not do this (both an outcome refusal and a ``PermissionDenied``)."""

    def __init__(self, message: str, *, permission: str) -> None:
        NotPermitted.__init__(self, message, permission=permission)


def _require(actor: Actor, permission: str) -> None:
    """The service checks the actor's permission itself (not only the view)."""
    require(
        actor,
        permission,
        to=PERMISSION_WORDS.get(permission, permission),
        refusal=OutcomeNotPermitted,
    )


def _user(actor: object) -> Any:
    return person(actor)


def _refuse_if_locked(proposal: Proposal) -> None:
    issued = selectors.locked_report(proposal)
    if issued is not None:
        raise OutcomeRefused([domain.locked_problem(issued.version)])


def _words_kept_apart(values: dict[str, str], about: Any) -> dict[str, str]:
    """Free-text answers as erasable references for the audit chain (``changed`` is a
    choice and stays as it is)."""
    return {k: v if k == "changed" else erasable(v, about=about) for k, v in values.items()}


def _outcome(proposal: Proposal) -> Outcome:
    outcome, _ = Outcome.objects.get_or_create(proposal=proposal)
    return outcome


@stage(
    Change.CONSIDER_RESPONSES,
    proposal=lambda kw: kw["proposal"],
    refuse=lambda m: OutcomeRefused([m]),
    who=lambda a: _require(a, "outcomes.change_outcomes"),
)
def outcome_update(
    *, proposal: Proposal, actor: Actor, summary: str, why: str, next_steps: str
) -> Outcome:
    _require(actor, "outcomes.change_outcomes")
    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=proposal.pk)
        outcome = _outcome(proposal)
        before = {"summary": outcome.summary, "why": outcome.why, "next_steps": outcome.next_steps}
        after = {"summary": summary, "why": why, "next_steps": next_steps}
        if before == after:
            return outcome
        _refuse_if_locked(proposal)
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


@stage(
    Change.CONSIDER_RESPONSES,
    proposal=lambda kw: kw["proposal"],
    refuse=lambda m: OutcomeRefused([m]),
    who=lambda a: _require(a, "outcomes.change_outcomes"),
)
def theme_response_save(
    *,
    proposal: Proposal,
    theme_id: int,
    actor: Actor,
    response: str,
    changed: str,
    how: str = "",
    heard: str = "",
) -> ThemeResponse:
    """Write (or rewrite) our response to one theme of the proposal's consultation.
    Refused once the report is issued, until it is reopened with a reason."""
    _require(actor, "outcomes.change_outcomes")
    problems = domain.response_problems(domain.ThemeResponseFacts(response, changed, how))
    if problems:
        raise OutcomeRefused(problems)
    item = selectors.theme_item(proposal, theme_id)
    if item is None:
        raise OutcomeRefused(["That theme is not one found in this consultation's answers."])
    if not selectors.theme_still_in_analysis(theme_id):
        raise OutcomeRefused(
            [
                f"\u201c{item.name}\u201d has been merged or deleted in the analysis since its "
                "codeframe was signed off: sign off a new version of the codeframe, then "
                "respond to its themes."
            ]
        )
    if selectors.decision_of(proposal) is not None:
        raise OutcomeRefused(["The decision has been recorded: the responses are final."])
    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=proposal.pk)
        _refuse_if_locked(proposal)
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
            existing.updated_by = _user(actor)
            existing.updated_at = timezone.now()
            existing.save()
            saved = existing
        else:
            before = None
            saved = ThemeResponse.objects.create(
                outcome=outcome,
                theme_id=theme_id,
                theme_name=item.name,
                updated_by=_user(actor),
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


@audits_refusals("outcome.late_response_set_aside", subject="proposal")
@stage(
    Change.CONSIDER_RESPONSES,
    proposal=lambda kw: kw["proposal"],
    refuse=lambda m: OutcomeRefused([m]),
    who=lambda a: _require(a, "outcomes.change_outcomes"),
)
def late_response_set_aside(
    *, proposal: Proposal, actor: Actor, reference: str, reason: str
) -> LateResponseDecision:
    """Record that a response received after the consultation closed is not taken into
    account, and why (Gunning 4: every answer received is analysed, or a recorded
    decision says why not). Refused: a response that is not this consultation's, not
    late, or already analysed; a reason that says nothing ("x", "Noted.", "late"); the
    same response twice; once the report is issued (reopen it first) or decided."""
    _require(actor, "outcomes.change_outcomes")
    problems = substance.statement_problems(
        reason, what="why this late response is not taken into account", min_words=6
    )
    consultation = selectors.consultation_of(proposal)
    late = {r.reference: r for r in selectors.late_responses(consultation)} if consultation else {}
    response = late.get(reference.strip().upper()) or late.get(reference.strip())
    if response is None:
        problems.insert(
            0,
            f"\u201c{reference.strip()}\u201d is not a response to this consultation "
            "received after it closed, with written answers.",
        )
    if problems:
        raise OutcomeRefused(problems)
    assert response is not None
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if selectors.decision_of(locked) is not None:
            raise OutcomeRefused(["The decision has been recorded: the record is final."])
        _refuse_if_locked(locked)
        outcome = _outcome(locked)
        if (
            Coding.objects.filter(answer__response=response)
            .exclude(status=Coding.Status.REJECTED)
            .exists()
        ):
            raise OutcomeRefused(
                [
                    f"The answers in {response.reference} are already coded in the analysis: "
                    "they are taken into account, not set aside."
                ]
            )
        if LateResponseDecision.objects.filter(outcome=outcome, response=response).exists():
            raise OutcomeRefused(
                [f"A decision on the late response {response.reference} is already recorded."]
            )
        record = LateResponseDecision.objects.create(
            outcome=outcome,
            response=response,
            reason=" ".join(reason.split()),
            decided_by=_user(actor),
            decided_at=timezone.now(),
        )
        audit_record(
            action=Action.LATE_RESPONSE_SET_ASIDE,
            actor=actor,
            subject=record,
            after={
                "response": response.reference,
                "received_at": response.submitted_at.isoformat(),
                "reason": erasable(record.reason, about=record),
            },
        )
    return record


@audits_refusals("outcome.issue", subject="proposal")
@stage(
    Change.ISSUE_REPORT,
    proposal=lambda kw: kw["proposal"],
    refuse=lambda m: OutcomeRefused([m]),
    who=lambda a: _require(a, "outcomes.change_outcomes"),
)
def report_issue(
    *, proposal: Proposal, actor: Actor, issued_to: str, note: str = ""
) -> ReportIssue:
    """Issue the outcome report to the decision makers: store it as issued (HTML and PDF
    bytes, the considerations and themes, their SHA-256 also in the audit trail) as a new
    version, and send its "you said, we did" for approval (nothing goes public here).

    A second issue is refused unless the last version was reopened with a reason; the new
    version then supersedes it, with that reason."""
    _require(actor, "outcomes.change_outcomes")
    consultation = selectors.consultation_of(proposal)
    if consultation is None:
        raise OutcomeRefused(["There is no formal consultation to report on."])
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if selectors.decision_of(locked) is not None:
            raise OutcomeRefused(["The decision has been recorded: the report is final."])
        outcome = _outcome(locked)
        previous = selectors.latest_report(outcome)
        reopening = (
            ReportReopening.objects.filter(publication=previous).first() if previous else None
        )
        problems = []
        if previous is not None and reopening is None:
            problems.append(domain.reissue_problem(previous.version))
        themes = selectors.themes_for(locked, consultation)
        progress = selectors.analysis_progress(locked, consultation, themes)
        problems += domain.issue_problems(
            consultation_closed=consultation.is_closed,
            unanalysed_questions=themes.unanalysed,
            unsigned_codeframes=themes.unsigned,
            themes_without_response=themes.unanswered,
            issued_to=issued_to,
            analysis_problems=progress.problems(),
            midpoint_reviewed=selectors.midpoint_reviewed(consultation),
        )
        if problems:
            raise OutcomeRefused(problems)
        issue = ReportIssue.objects.create(
            outcome=outcome,
            issued_to=issued_to.strip(),
            note=note,
            issued_by=_user(actor),
            issued_at=timezone.now(),
        )
        issued = _store_report(locked, consultation, outcome, issue, themes, previous, reopening)
        audit_record(
            action=Action.OUTCOME_REPORT_ISSUED,
            actor=actor,
            subject=outcome,
            after={
                "issued_to": issue.issued_to,
                "themes": len(themes.items),
                "at": issue.issued_at.isoformat(),
                "version": issued.version,
                "publication": issued.pk,
                "supersedes": previous.version if previous else None,
                "html_sha256": issued.html_sha256,
                "pdf_sha256": issued.pdf_sha256,
                "content_sha256": issued.content_sha256,
            },
        )
        analysis_services.codeframes_lock(
            codeframe_ids=_codeframe_ids(consultation),
            actor=actor,
            reason=(
                f"Version {issued.version} of the outcome report was issued on this analysis "
                f"on {timezone.localtime(issue.issued_at):%-d %B %Y}."
            ),
        )
        _submit_outcome(locked, issued, actor)
    return issue


def _codeframe_ids(consultation: Any) -> list[int]:
    """The codeframes of every question of the consultation's questionnaire."""
    return list(
        Codeframe.objects.filter(
            question__version__questionnaire__activity_id=consultation.activity_id
        ).values_list("pk", flat=True)
    )


def _store_report(
    proposal: Proposal,
    consultation: Any,
    outcome: Outcome,
    issue: ReportIssue,
    themes: selectors.Themes,
    previous: ReportPublication | None,
    reopening: ReportReopening | None,
) -> ReportPublication:
    from django.template.loader import render_to_string

    from heard.servicechange.outcomes import pdf

    snapshot = selectors.live_snapshot(proposal, consultation, themes=themes)
    report = selectors.report_for(proposal)
    report.generated_at = issue.issued_at
    context = {"report": report, "proposal": proposal}
    body = render_to_string("outcomes/report/_body.html", context)
    html = pdf.report_html(context)
    data = html_to_pdf(html)
    return ReportPublication.objects.create(
        outcome=outcome,
        version=(previous.version + 1) if previous else 1,
        issue=issue,
        issued_at=issue.issued_at,
        issued_to=issue.issued_to,
        issued_by=issue.issued_by,
        html=html,
        body_html=body,
        pdf=data,
        text=snapshot.text,
        considerations=snapshot.considerations,
        themes=snapshot.themes,
        facts=snapshot.facts,
        html_sha256=selectors.sha256(html),
        pdf_sha256=selectors.sha256(data),
        content_sha256=snapshot.content_sha256(),
        supersedes=previous,
        reason=reopening.reason if reopening else "",
    )


@audits_refusals("outcome.reopen", subject="proposal")
@stage(
    Change.ISSUE_REPORT,
    proposal=lambda kw: kw["proposal"],
    refuse=lambda m: OutcomeRefused([m]),
    who=lambda a: _require(a, "outcomes.change_outcomes"),
)
def report_reopen(*, proposal: Proposal, actor: Actor, reason: str) -> ReportReopening:
    """Open the issued report again for changes, with a reason. What was issued stays
    stored; issuing again makes a new version that supersedes it."""
    _require(actor, "outcomes.change_outcomes")
    problems = domain.reason_problems(reason, what="for reopening the issued report")
    if problems:
        raise OutcomeRefused(problems)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        issued = selectors.latest_report(selectors.outcome_of(locked))
        if issued is None:
            raise OutcomeRefused(
                ["The outcome report has not been issued: there is nothing to reopen."]
            )
        if selectors.is_reopened(issued):
            raise OutcomeRefused(
                [f"Version {issued.version} is already reopened: change it and issue it again."]
            )
        if selectors.decision_of(locked) is not None:
            raise OutcomeRefused(
                ["The decision has been recorded on this report: it can no longer be reopened."]
            )
        reopening = ReportReopening.objects.create(
            publication=issued, reason=reason.strip(), reopened_by=_user(actor)
        )
        consultation = selectors.consultation_of(locked)
        if consultation is not None:
            analysis_services.codeframes_unlock(
                codeframe_ids=_codeframe_ids(consultation),
                actor=actor,
                reason=f"Version {issued.version} of the outcome report was reopened.",
            )
        for pending in Publication.objects.filter(
            kind=Publication.Kind.OUTCOME, proposal=locked, status=Publication.Status.PENDING
        ):
            _withdraw(pending, actor, why="the report was reopened")
        audit_record(
            action=Action.OUTCOME_REPORT_REOPENED,
            actor=actor,
            subject=issued.outcome,
            after={
                "version": issued.version,
                "publication": issued.pk,
                "reason_sha256": selectors.sha256(reopening.reason),
            },
        )
    return reopening


def report_downloaded(*, proposal: Proposal, actor: Actor) -> None:
    _require(actor, "outcomes.view_outcomes")
    with transaction.atomic():
        audit_record(
            action=Action.OUTCOME_REPORT_DOWNLOADED,
            actor=actor,
            subject=proposal,
            after={"format": "pdf"},
        )


@audits_refusals("outcome.decide", subject="proposal")
@stage(
    Change.RECORD_DECISION,
    proposal=lambda kw: kw["proposal"],
    refuse=lambda m: OutcomeRefused([m]),
    who=lambda a: _require(a, "outcomes.record_decision"),
)
def decision_record(
    *,
    proposal: Proposal,
    actor: Actor,
    decided_on: date | None,
    decided_by: str,
    decision: str,
    board_paper_url: str = "",
    board_paper_file: UploadedFile | None = None,
) -> Decision:
    """Record the decision, or refuse with the reasons. (The lifecycle's
    ``decision_record`` calls this and moves the proposal to "decided" in the same
    transaction: call that one.) The decision names the issued report version it was taken on, and is refused while
    that version was reopened or the record no longer matches it."""
    _require(actor, "outcomes.record_decision")
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        facts = selectors.decision_facts(
            locked,
            decided_on=decided_on,
            decided_by=decided_by,
            decision=decision,
            board_paper=bool(board_paper_url.strip() or board_paper_file),
            actor=actor,
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
            recorded_by=_user(actor),
            recorded_at=timezone.now(),
            publication=selectors.latest_report(selectors.outcome_of(locked)),
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
                    "report_version": record.publication.version if record.publication else None,
                    "report_pdf_sha256": (
                        record.publication.pdf_sha256 if record.publication else None
                    ),
                },
            )
        except BaseException:
            if record.board_paper_file:
                record.board_paper_file.delete(save=False)
            raise
    return record


# One publication step for everything public ("you said, we did") -------------------------------


def _outcome_content(proposal: Proposal, issued: ReportPublication) -> dict[str, Any]:
    """The public "you said, we did" of an issued report version, from what was issued."""
    responses = {r["theme_id"]: r for r in issued.considerations or []}
    themes = []
    for theme in issued.themes or []:
        response = responses.get(theme["theme_id"], {})
        changed = response.get("changed", "")
        themes.append(
            {
                "name": theme["name"],
                "question": theme["question"],
                "answers": theme["answers"],
                "heard": response.get("heard", ""),
                "response": response.get("response", ""),
                "changed_label": (
                    domain.SHORT_CHANGED_LABELS[domain.Changed(changed)] if changed else ""
                ),
                "how": response.get("how", ""),
                "quotes": list(theme.get("public_quotes", [])),  # as in the report
            }
        )
    facts = issued.facts or {}
    return {
        "summary": (issued.text or {}).get("summary", ""),
        "next_steps": (issued.text or {}).get("next_steps", ""),
        "themes": themes,
        "opens_at": facts.get("opens_at"),
        "closes_at": facts.get("closes_at"),
        "total_responses": facts.get("total_responses", 0),
        "version": issued.version,
    }


def _new_publication(actor: Actor, **fields: Any) -> Publication:
    from heard.servicechange.outcomes import publishing

    content = fields.pop("content")
    redacted, findings = publishing.redact_content(content)
    item = Publication.objects.create(
        content=content,
        redacted=redacted,
        findings=[f.as_dict() for f in findings],
        content_sha256=selectors.sha256(selectors.canonical_json(content)),
        submitted_by=_user(actor),
        submitted_at=timezone.now(),
        **fields,
    )
    kinds: dict[str, int] = {}
    for finding in findings:
        kinds[finding.type] = kinds.get(finding.type, 0) + 1
    audit_record(
        action=Action.PUBLICATION_SUBMITTED,
        actor=actor,
        subject=item,
        after={
            "kind": item.kind,
            "proposal": item.proposal_id,
            "report": item.report_id,
            "activity": item.activity_id,
            "content_sha256": item.content_sha256,
            "redactions": kinds,
        },
    )
    return item


def _withdraw(item: Publication, actor: Actor, *, why: str) -> None:
    item.status = Publication.Status.WITHDRAWN
    item.decided_at = timezone.now()
    item.reason = why
    item.save(update_fields=["status", "decided_at", "reason"])
    audit_record(
        action=Action.PUBLICATION_WITHDRAWN,
        actor=actor,
        subject=item,
        after={"kind": item.kind, "why": why},
    )


def _submit_outcome(proposal: Proposal, issued: ReportPublication, actor: Actor) -> Publication:
    for pending in Publication.objects.filter(
        kind=Publication.Kind.OUTCOME, proposal=proposal, status=Publication.Status.PENDING
    ):
        _withdraw(pending, actor, why=f"version {issued.version} of the report was issued")
    return _new_publication(
        actor,
        kind=Publication.Kind.OUTCOME,
        proposal=proposal,
        report=issued,
        title=proposal.title,
        content=_outcome_content(proposal, issued),
    )


@stage(
    Change.PUBLISH_OUTCOME,
    proposal=lambda kw: kw["proposal"],
    refuse=lambda m: OutcomeRefused([m]),
    who=lambda a: _require(a, "outcomes.change_outcomes"),
)
def outcome_publication_submit(*, proposal: Proposal, actor: Actor) -> Publication:
    """Send the issued report's "you said, we did" for approval again (after a
    rejection). Issuing the report sends it the first time."""
    _require(actor, "outcomes.change_outcomes")
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        issued = selectors.locked_report(locked)
        if issued is None:
            raise OutcomeRefused(
                ["Issue the outcome report first: \u201cyou said, we did\u201d is made from it."]
            )
        if locked.is_private:
            raise OutcomeRefused(["This proposal is private: nothing about it is published."])
        existing = Publication.objects.filter(
            kind=Publication.Kind.OUTCOME,
            report=issued,
            status__in=[Publication.Status.PENDING, Publication.Status.APPROVED],
        ).first()
        if existing is not None:
            raise OutcomeRefused(
                [
                    f"Version {issued.version} is already "
                    f"{'published' if existing.status == Publication.Status.APPROVED else 'waiting for approval'}."
                ]
            )
        return _submit_outcome(locked, issued, actor)


FEEDBACK_STATUSES = ("closed", "feedback_published", "archived")


def feedback_publication_submit(*, activity: Any, actor: Actor) -> Publication:
    """Send an activity's "you said, we did" (its feedback text as it stands) for approval."""
    from heard.engagement.models import Activity

    _require(actor, "engagement.change_activities")
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        text = locked.feedback.strip()
        problems = []
        if locked.status not in FEEDBACK_STATUSES:
            problems.append("Feedback is published once the activity has closed: close it first.")
        if domain.is_placeholder(text):
            problems.append("Write the feedback (\u201cyou said, we did\u201d) before sending it.")
        if problems:
            raise OutcomeRefused(problems)
        content = {"feedback": text}
        pending = list(
            Publication.objects.filter(
                kind=Publication.Kind.ACTIVITY, activity=locked, status=Publication.Status.PENDING
            )
        )
        if any(p.content == content for p in pending):
            raise OutcomeRefused(["This feedback is already waiting for approval."])
        latest = selectors.approved_feedback(locked)
        if latest is not None and latest.content == content:
            raise OutcomeRefused(["This feedback is already published."])
        for item in pending:
            _withdraw(item, actor, why="the feedback was changed and sent again")
        return _new_publication(
            actor,
            kind=Publication.Kind.ACTIVITY,
            activity=locked,
            title=locked.title,
            content=content,
        )


def _is_current(item: Publication) -> bool:
    """Is what the publication was made from still what it says?"""
    if item.kind == Publication.Kind.OUTCOME:
        assert item.proposal is not None
        return selectors.locked_report(item.proposal) == item.report
    assert item.activity is not None
    return item.content == {"feedback": item.activity.feedback.strip()}


def _render(item: Publication) -> str:
    from django.template.loader import render_to_string

    template = (
        "outcomes/public/_outcome.html"
        if item.kind == Publication.Kind.OUTCOME
        else "outcomes/public/_feedback.html"
    )
    from datetime import datetime

    content = item.redacted or {}
    dates = {
        key: datetime.fromisoformat(content[key]) if content.get(key) else None
        for key in ("opens_at", "closes_at")
    }
    return render_to_string(template, {"content": content, "publication": item, **dates})


@audits_refusals("outcome.publish", subject="publication")
@stage(
    Change.PUBLISH_OUTCOME,
    proposal=lambda kw: kw["publication"].proposal_id,
    refuse=lambda m: OutcomeRefused([m]),
    who=lambda a: _require(a, "outcomes.publish"),
)
def publication_approve(*, publication: Publication, actor: Actor) -> Publication:
    """Approve a "you said, we did": it goes public as the redacted text, rendered now
    and stored (public pages serve this, never the live records)."""
    _require(actor, "outcomes.publish")
    with transaction.atomic():
        item = (
            Publication.objects.select_for_update(of=("self",))
            .select_related("proposal", "activity", "report")
            .get(pk=publication.pk)
        )
        problems = domain.approval_problems(
            status=item.status,
            submitted_by=item.submitted_by_id,
            approver=getattr(actor, "pk", None),
            current=_is_current(item) if item.status == Publication.Status.PENDING else True,
        )
        if problems:
            raise OutcomeRefused(problems)
        previous = (
            selectors.approved_outcome(item.proposal)
            if item.kind == Publication.Kind.OUTCOME and item.proposal
            else selectors.approved_feedback(item.activity)
        )
        item.status = Publication.Status.APPROVED
        item.decided_by = _user(actor)
        item.decided_at = timezone.now()
        item.supersedes = previous
        item.html = _render(item)
        item.html_sha256 = selectors.sha256(item.html)
        item.save()
        audit_record(
            action=Action.PUBLICATION_APPROVED,
            actor=actor,
            subject=item,
            after={
                "kind": item.kind,
                "content_sha256": item.content_sha256,
                "html_sha256": item.html_sha256,
                "redactions": len(item.findings or []),
                "supersedes": previous.pk if previous else None,
            },
        )
        if item.kind == Publication.Kind.ACTIVITY and item.activity is not None:
            from heard.engagement import services as engagement_services

            if item.activity.status == "closed":
                engagement_services.activity_transition(
                    activity=item.activity, target="feedback_published", actor=actor
                )
        _tell_respondents(item)
    return item


def _tell_respondents(item: Publication) -> None:
    """Everyone who asked to hear the outcome is emailed the public link, by the task
    worker, once this approval commits (heard.engagement.services_outcome_mail)."""
    from django.urls import reverse

    from heard.engagement.tasks import outcome_mail
    from heard.people.services.retention import site_base_url
    from heard.servicechange.consultations import selectors as consultation_selectors

    if item.kind == Publication.Kind.ACTIVITY and item.activity is not None:
        activity = item.activity
        path = reverse("outcomes_public:activity", args=[activity.slug])
    elif item.proposal is not None:
        consultation = consultation_selectors.consultation_for(item.proposal)
        if consultation is None:
            return
        activity = consultation.activity
        path = reverse("outcomes_public:detail", args=[item.proposal.slug])
    else:
        return
    url = site_base_url() + path
    transaction.on_commit(lambda: outcome_mail.enqueue(activity_id=activity.pk, url=url))


@audits_refusals("outcome.reject_publication", subject="publication")
@stage(
    Change.PUBLISH_OUTCOME,
    proposal=lambda kw: kw["publication"].proposal_id,
    refuse=lambda m: OutcomeRefused([m]),
    who=lambda a: _require(a, "outcomes.publish"),
)
def publication_reject(*, publication: Publication, actor: Actor, reason: str) -> Publication:
    """Send a "you said, we did" back, with the reason; nothing goes public."""
    _require(actor, "outcomes.publish")
    problems = domain.reason_problems(reason, what="for rejecting it")
    if problems:
        raise OutcomeRefused(problems)
    with transaction.atomic():
        item = Publication.objects.select_for_update().get(pk=publication.pk)
        if item.status != Publication.Status.PENDING:
            raise OutcomeRefused(["Only a publication waiting for approval can be rejected."])
        item.status = Publication.Status.REJECTED
        item.decided_by = _user(actor)
        item.decided_at = timezone.now()
        item.reason = reason.strip()
        item.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        audit_record(
            action=Action.PUBLICATION_REJECTED,
            actor=actor,
            subject=item,
            after={"kind": item.kind, "reason_sha256": selectors.sha256(item.reason)},
        )
    return item
