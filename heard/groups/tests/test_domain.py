from datetime import UTC, date, datetime, timedelta

import pytest

from heard.groups import domain


@pytest.mark.parametrize("text", ["", "  ", "x", "X", "-", ".", "n/a", "N/A", "tbc", "...", "none"])
def test_placeholders_are_refused(text):
    assert domain.text_problem(text, "The decision")


def test_real_text_passes_and_short_text_is_refused():
    assert domain.text_problem("We agreed to meet quarterly", "The decision") == ""
    assert "too short" in domain.text_problem("Agreed", "The decision", min_chars=10)
    assert "must say something real" in domain.text_problem("ok", "The decision")


def test_dates():
    today = date(2026, 6, 1)
    assert domain.terms_of_reference_dates_problem(date(2026, 5, 1), date(2027, 5, 1), today) == ""
    assert "future" in domain.terms_of_reference_dates_problem(
        today + timedelta(1), date(2028, 1, 1), today
    )
    assert "after" in domain.terms_of_reference_dates_problem(
        date(2026, 5, 1), date(2026, 5, 1), today
    )
    assert domain.membership_dates_problem(date(2026, 5, 1), date(2026, 4, 30))
    assert domain.membership_dates_problem(date(2026, 5, 1), None) == ""
    assert domain.action_due_problem(date(2026, 4, 30), date(2026, 5, 1))
    assert domain.action_due_problem(date(2026, 5, 1), date(2026, 5, 1)) == ""
    start = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)
    assert domain.approval_problem(start - timedelta(minutes=1), start)
    assert domain.approval_problem(start + timedelta(hours=2), start) == ""
    assert domain.meeting_times_problem(start, start)


def test_action_state():
    today = date(2026, 6, 1)
    assert domain.action_state(date(2026, 5, 1), None, today).key == "overdue"
    assert domain.action_state(date(2026, 6, 1), None, today).key == "open"
    assert domain.action_state(date(2026, 5, 1), date(2026, 5, 2), today).key == "done"


def test_papers_checked_by_type_size_and_first_bytes():
    assert domain.paper_problem("agenda.pdf", 1000, b"%PDF-1.7") == ""
    assert domain.paper_problem("budget.xlsx", 1000, b"PK\x03\x04xx") == ""
    assert domain.paper_problem("notes.odt", 1000, b"PK\x03\x04xx") == ""
    assert "empty" in domain.paper_problem("agenda.pdf", 0, b"")
    assert "20 MB" in domain.paper_problem("agenda.pdf", 200 * 1024 * 1024, b"%PDF-")
    assert "must be a PDF" in domain.paper_problem("run.exe", 1000, b"MZ")
    assert "not a real PDF" in domain.paper_problem("fake.pdf", 1000, b"<html>")
    assert "not a real DOCX" in domain.paper_problem("fake.docx", 1000, b"%PDF-")
    assert domain.content_type_for("A.PDF") == "application/pdf"
