"""Who may reach each annual report staff URL (see tests/test_permissions.py)."""

from typing import Any

from heard.core.roles import Role
from heard.core.testing import ALL_STAFF, Access

EDIT = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD}
APPROVE = {Role.DECISION_MAKER}
PUBLISH = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER}


def _draft() -> dict[str, Any]:
    from heard.reports.models import AnnualReport

    report = AnnualReport.objects.get_or_create(year=2024)[0]
    return {"year": report.year}


def _approved() -> dict[str, Any]:
    from heard.reports.models import AnnualReport

    report = AnnualReport.objects.get_or_create(year=2024)[0]
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.APPROVED)
    return {"year": report.year}


def _version() -> dict[str, Any]:
    from datetime import date

    from django.utils import timezone

    from heard.reports.models import AnnualReport, ReportVersion

    report = AnnualReport.objects.get_or_create(year=2024, status=AnnualReport.Status.PUBLISHED)[0]
    ReportVersion.objects.create(
        report=report,
        version=1,
        html="<!DOCTYPE html><title>Report</title>",
        body_html="<p>Report</p>",
        pdf=b"%PDF-1.7\n%%EOF\n",
        csv="section,item,measure,figure,source\r\n",
        html_sha256="0" * 64,
        pdf_sha256="0" * 64,
        csv_sha256="0" * 64,
        published_at=timezone.now(),
        approved_by_name="Board member",
        approved_on=date(2025, 6, 1),
        approved_at_meeting="ICB board, item 9",
    )
    return {"year": report.year, "number": 1}


EXPECTED = {
    "reports:index": Access(ALL_STAFF),
    "reports:create": Access(EDIT, method="post"),
    "reports:detail": Access(ALL_STAFF, kwargs=_draft),
    "reports:draft_pdf": Access(ALL_STAFF, kwargs=_draft),
    "reports:draft_csv": Access(ALL_STAFF, kwargs=_draft),
    "reports:narrative": Access(EDIT, kwargs=_draft),
    "reports:approve": Access(APPROVE, kwargs=_draft),
    "reports:publish": Access(PUBLISH, kwargs=_approved),
    "reports:reopen": Access(EDIT, kwargs=_approved),
    "reports:version": Access(ALL_STAFF, kwargs=_version),
    "reports:version_pdf": Access(ALL_STAFF, kwargs=_version),
    "reports:version_csv": Access(ALL_STAFF, kwargs=_version),
}
