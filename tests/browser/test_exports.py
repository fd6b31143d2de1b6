"""Exports in a real browser: an engagement officer exports an activity's responses as
XLSX from the activity's page and opens the file; a large export is followed on its
progress page (htmx polling) to its download link; the analysis export page – axe clean."""

import io
from pathlib import Path

import openpyxl
from django.urls import reverse

from heard.core.roles import Role
from heard.exports import services
from heard.exports.models import Export
from heard.exports.tests.helpers import make_activity_with_versions
from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal
from tests.browser.test_pages import _sign_in

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _open(download) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    return [[c.value for c in row] for row in book["Responses"].iter_rows()]


def test_export_responses_as_xlsx_and_follow_a_large_export(
    visitor, make_staff, transactional_db, settings, monkeypatch
):
    made = make_activity_with_versions()
    activity = made["activity"]
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    _sign_in(visitor, officer)
    page = visitor.page
    SHOTS.mkdir(parents=True, exist_ok=True)

    visitor.visit(reverse("engagement:detail", args=[activity.pk]))
    page.get_by_role("link", name="Export responses and results").click()
    visitor.check()
    page.screenshot(path=str(SHOTS / "exports-activity.png"), full_page=True)
    assert "3 responses" in page.locator("main").inner_text()

    # small: the file comes straight back
    page.get_by_label("Excel (XLSX)").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Export responses").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    rows = _open(download)
    assert len(rows) == 4
    assert rows[0][:4] == ["Reference", "Submitted", "Channel", "Questionnaire version"]
    assert sorted(r[0] for r in rows[1:]) == sorted(r.reference for r in made["responses"])
    assert {r[2] for r in rows[1:]} == {"Online", "Paper"}
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    assert "John Smith" not in text  # redacted unless asked for

    # large: made by a task (played by this test); the page polls until it is ready
    settings.HEARD_EXPORTS_INLINE_ROWS = 1
    queued: list[int] = []
    monkeypatch.setattr(services, "_enqueue", queued.append)
    visitor.visit(reverse("exports:activity", args=[activity.pk]))
    page.get_by_label("CSV").check()
    page.get_by_label("Include personal data").check()
    page.get_by_role("button", name="Export responses").click()
    page.wait_for_selector("text=Waiting to start")
    visitor.check()
    assert page.locator("progress").count() == 1
    services.export_execute(export_id=queued[0])
    page.wait_for_selector("text=Ready: 3 rows", timeout=20_000)  # polled, no reload
    visitor.check()
    page.screenshot(path=str(SHOTS / "exports-detail.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download").first.click()
    data = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    assert "John Smith" in data  # an engagement officer asked for the words unredacted
    assert Export.objects.get(pk=queued[0]).redacted is False

    visitor.visit(reverse("exports:index"))
    page.screenshot(path=str(SHOTS / "exports-index.png"), full_page=True)


def test_analysis_export_page(visitor, make_staff, transactional_db):
    made = make_consulted_proposal()
    analyst = make_staff(Role.ANALYST)
    _sign_in(visitor, analyst)
    page = visitor.page
    visitor.visit(reverse("analysis:question", args=[made["question"].pk]))
    page.get_by_role("link", name="Export the themes and codings").click()
    visitor.check()
    page.screenshot(path=str(SHOTS / "exports-question.png"), full_page=True)
    assert "signed off" in page.locator("main").inner_text()
    page.get_by_role("button", name="Export the analysis").click()  # nothing chosen
    visitor.check()
    assert "Select the format of the export" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Excel (XLSX)").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Export the analysis").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book["Themes"].max_row == 3 and book["Codings"].max_row == 6
