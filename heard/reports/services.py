"""Writes for the annual involvement report: create a year's report, write its narrative,
record the board's approval, publish it (stored as issued), reopen it for a correction.

Each service checks the actor's permission itself (a view is not the only caller), and
refusals of the acts that matter (approve, publish, reopen, narrative) are audited
(``audits_refusals``) after the refused change has rolled back.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record, audits_refusals
from heard.core.substance import name_is_placeholder, reason_problems, squeeze
from heard.reports import document, domain, selectors
from heard.reports.models import AnnualReport, ReportVersion


class ReportRefused(ValueError):
    """A refused act, with a message per problem (``problems``: field name -> message;
    "" for the whole form)."""

    def __init__(self, problems: dict[str, str] | str) -> None:
        self.problems = {"": problems} if isinstance(problems, str) else problems
        super().__init__(" ".join(self.problems.values()))


def _require(actor: Any, perm: str, message: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied(message)


def annual_report_create(*, year: int, actor: Any) -> AnnualReport:
    _require(actor, "reports.edit_reports", "You cannot start an annual report.")
    period = domain.financial_year(year)
    with transaction.atomic():
        if AnnualReport.objects.select_for_update().filter(year=year).exists():
            raise ReportRefused(f"There is already a report for {period.label}.")
        report = AnnualReport.objects.create(year=year, created_by=actor, updated_by=actor)
        audit_record(
            action=Action.ANNUAL_REPORT_CREATED,
            actor=actor,
            subject=report,
            after={"year": year, "period": period.long_label},
        )
    return report


def _locked(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update(of=("self",)).get(pk=report.pk)


@audits_refusals("annual_report.narrative", subject="report")
def annual_report_narrative_update(
    *, report: AnnualReport, actor: Any, texts: dict[str, str]
) -> AnnualReport:
    """Change the narrative sections named in ``texts`` (refused once the board approved
    it: reopen it first)."""
    _require(actor, "reports.edit_reports", "You cannot change the annual report's narrative.")
    unknown = set(texts) - set(domain.SECTION_KEYS)
    if unknown:
        raise ReportRefused(f"No such section: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        current = _locked(report)
        if current.status != AnnualReport.Status.DRAFT:
            raise ReportRefused(
                f"The report for {current.period.label} is "
                f"{current.get_status_display().lower()}: its narrative is frozen. Reopen it "
                "for a correction, with the reason, to change it."
            )
        cleaned = {k: (v or "").strip() for k, v in texts.items()}
        problems = domain.narrative_problems(cleaned, required=False)
        if problems:
            raise ReportRefused(problems)
        before = current.narrative()
        changed = sorted(k for k, v in cleaned.items() if before[k] != v)
        if not changed:
            return current
        for key in changed:
            setattr(current, key, cleaned[key])
        current.updated_at = timezone.now()
        current.updated_by = actor
        current.save()
        audit_record(
            action=Action.ANNUAL_REPORT_NARRATIVE_CHANGED,
            actor=actor,
            subject=current,
            after={
                "sections": changed,
                "sha256": {k: document.sha256(cleaned[k]) for k in changed},
            },
        )
    report.refresh_from_db()
    return report


@audits_refusals("annual_report.approve", subject="report")
def annual_report_approve(
    *, report: AnnualReport, actor: Any, approved_on: date, meeting: str
) -> AnnualReport:
    """Record that the board approved the report at ``meeting`` on ``approved_on``. The
    figures are taken now and frozen with the narrative: that is what will be published."""
    _require(
        actor,
        "reports.approve_reports",
        "Only a decision maker may record the board's approval of the annual report.",
    )
    meeting = squeeze(meeting)
    problems: dict[str, str] = {}
    if not meeting or name_is_placeholder(meeting) or len(meeting.split()) < 2:
        problems["meeting"] = (
            "Name the board meeting that approved it, e.g. “ICB board, 12 June 2027”."
        )
    if approved_on > timezone.localdate():
        problems["approved_on"] = "The date of approval cannot be in the future."
    with transaction.atomic():
        current = _locked(report)
        if current.status != AnnualReport.Status.DRAFT:
            raise ReportRefused(
                f"The report for {current.period.label} is already "
                f"{current.get_status_display().lower()}: it cannot be approved again."
            )
        if approved_on < current.period.start:
            problems["approved_on"] = (
                f"The board cannot have approved the report for {current.period.label} "
                f"before the year began ({current.period.start:%-d %B %Y})."
            )
        problems |= domain.narrative_problems(current.narrative(), required=True)
        if problems:
            raise ReportRefused(problems)
        figures = selectors.figures(current.year)
        current.status = AnnualReport.Status.APPROVED
        current.approved_by = actor
        current.approved_at = timezone.now()
        current.approved_on = approved_on
        current.approved_at_meeting = meeting
        current.approved_figures = figures
        current.approved_content_sha256 = document.content_sha256(current.narrative(), figures)
        current.save()
        audit_record(
            action=Action.ANNUAL_REPORT_APPROVED,
            actor=actor,
            subject=current,
            after={
                "approved_on": approved_on.isoformat(),
                "meeting": meeting,
                "content_sha256": current.approved_content_sha256,
                "figures_as_at": figures["as_at"],
            },
        )
    report.refresh_from_db()
    return report


@audits_refusals("annual_report.publish", subject="report")
def annual_report_publish(*, report: AnnualReport, actor: Any) -> ReportVersion:
    """Publish the approved report: render the HTML page, the tagged PDF and the CSV
    annex from the approved narrative and figures, and store them as issued."""
    _require(actor, "reports.publish_reports", "You cannot publish the annual report.")
    with transaction.atomic():
        current = _locked(report)
        if current.status == AnnualReport.Status.PUBLISHED:
            raise ReportRefused(
                f"The report for {current.period.label} is already published. To change it, "
                "reopen it for a correction with the reason."
            )
        if current.status != AnnualReport.Status.APPROVED:
            raise ReportRefused(
                f"The board has not approved the report for {current.period.label} yet: "
                "a decision maker records the approval first."
            )
        narrative = current.narrative()
        figures = current.approved_figures
        if document.content_sha256(narrative, figures) != current.approved_content_sha256:
            raise ReportRefused(
                "The report no longer matches what the board approved: reopen it and have "
                "it approved again."
            )
        previous = selectors.latest_version(current)
        number = (previous.version + 1) if previous else 1
        now = timezone.now()
        approver = current.approved_by
        approver_name = str(getattr(approver, "full_name", "") or approver or "")
        reason = current.correction_reason if previous else ""
        meta: dict[str, Any] = {
            "version": number,
            "published_at": now,
            "approved_on": current.approved_on,
            "approved_at_meeting": current.approved_at_meeting,
            "approved_by": approver_name,
            "supersedes": previous.version if previous else None,
            "reason": reason,
            "draft": False,
        }
        ctx = document.context(narrative=narrative, figures=figures, meta=meta)
        body = document.body_html(ctx)
        html = document.document_html(ctx)
        pdf = document.pdf(html)
        annex = document.annex_csv(figures)
        version = ReportVersion.objects.create(
            report=current,
            version=number,
            html=html,
            body_html=body,
            pdf=pdf,
            csv=annex,
            narrative=narrative,
            figures=figures,
            html_sha256=document.sha256(html),
            pdf_sha256=document.sha256(pdf),
            csv_sha256=document.sha256(annex),
            published_at=now,
            published_by=actor,
            approved_by_name=approver_name,
            approved_on=current.approved_on or now.date(),
            approved_at_meeting=current.approved_at_meeting,
            supersedes=previous,
            reason=reason,
        )
        current.status = AnnualReport.Status.PUBLISHED
        current.save(update_fields=["status"])
        audit_record(
            action=Action.ANNUAL_REPORT_PUBLISHED,
            actor=actor,
            subject=current,
            after={
                "version": number,
                "html_sha256": version.html_sha256,
                "pdf_sha256": version.pdf_sha256,
                "csv_sha256": version.csv_sha256,
                "content_sha256": current.approved_content_sha256,
                "supersedes": previous.version if previous else None,
            },
        )
    return version


@audits_refusals("annual_report.reopen", subject="report")
def annual_report_reopen(*, report: AnnualReport, actor: Any, reason: str) -> AnnualReport:
    """Open an approved or published report again to change it. The board's approval is
    withdrawn; published versions stay as issued, and the next one says why it supersedes
    them."""
    _require(actor, "reports.edit_reports", "You cannot reopen the annual report.")
    problems = reason_problems(reason, what="for reopening the report", min_words=3)
    if problems:
        raise ReportRefused({"reason": problems[0]})
    with transaction.atomic():
        current = _locked(report)
        if current.status == AnnualReport.Status.DRAFT:
            raise ReportRefused(
                f"The report for {current.period.label} is a draft already: change it directly."
            )
        was = current.status
        current.status = AnnualReport.Status.DRAFT
        current.correction_reason = squeeze(reason)
        current.approved_by = None
        current.approved_at = None
        current.approved_on = None
        current.approved_at_meeting = ""
        current.approved_figures = {}
        current.approved_content_sha256 = ""
        current.save()
        audit_record(
            action=Action.ANNUAL_REPORT_REOPENED,
            actor=actor,
            subject=current,
            before={"status": was},
            # the reason itself is kept on the report (and the next version); the trail
            # keeps its fingerprint, as for every free text that might name someone
            after={
                "status": current.status,
                "reason_sha256": document.sha256(current.correction_reason),
            },
        )
    report.refresh_from_db()
    return report
