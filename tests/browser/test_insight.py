"""The insight bank in a real browser: import a CSV, find an insight by search, save the
search, and read what we already know and the coverage dashboard – axe clean throughout."""

from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from heard.core.roles import Role
from heard.insight.models import SavedSearch
from heard.insight.tests.helpers import add_insights
from heard.people.models import Topic
from tests.browser.test_pages import _sign_in

CSV = (
    "Comment,Date,Locality,Service,Topics\n"
    "The discharge lounge was chaotic and nobody explained the medication,12/03/2025,"
    "Norwich,NNUH,Hospital services\n"
    "Lovely midwives who listened to us,2025-04-01,Great Yarmouth,JPUH,Maternity\n"
    "No date on this one,,Norwich,,\n"
)


@pytest.fixture(autouse=True)
def _empty_search_index(transactional_db):
    """Flushing between browser tests empties the tables but not the FTS5 index."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM insight_fts")


def test_staff_import_then_find_an_insight_by_search(visitor, make_staff, tmp_path: Path):
    Topic.objects.get_or_create(slug="hospital-services", defaults={"name": "Hospital services"})
    analyst = make_staff(Role.ANALYST)
    _sign_in(visitor, analyst)
    page = visitor.page

    visitor.visit(reverse("insight:imports"))
    page.get_by_role("button", name="Import").click()
    visitor.check()  # error summary and inline errors
    assert "Choose a CSV file to import." in page.locator(".nhsuk-error-summary").inner_text()
    upload = tmp_path / "pals-march.csv"
    upload.write_bytes(CSV.encode("cp1252"))
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_label("PALS").check()
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("text=Import finished")
    visitor.check()
    main = page.locator("main").inner_text()
    assert "2 insights added from 3 rows" in main
    assert "Download the 1 rejected row" in main

    page.get_by_role("link", name="Search insight").click()
    visitor.check()
    page.get_by_label("Search for").fill("discharge medication")
    page.get_by_role("button", name="Search").click()
    visitor.check()
    assert "1 insight found" in page.locator("main").inner_text()
    assert page.locator("mark", has_text="discharge").count() == 1
    page.get_by_label("Name this search").fill("Discharge at NNUH")
    page.get_by_role("button", name="Save this search").click()
    visitor.check()
    assert SavedSearch.objects.filter(owner=analyst, name="Discharge at NNUH").exists()
    page.get_by_role("link", name="PALS, 12 Mar 2025").click()
    visitor.check()
    assert page.locator("h1").inner_text().startswith("Insight ")
    assert "NNUH" in page.locator("main").inner_text()
    page.get_by_role("link", name="Delete this insight").click()
    visitor.check()
    page.get_by_role("link", name="Keep it").click()
    visitor.check()
    page.get_by_role("link", name="Norwich").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "What we know about Norwich"


def test_what_we_know_and_coverage_pages(visitor, make_staff):
    topic, _ = Topic.objects.get_or_create(slug="maternity", defaults={"name": "Maternity"})
    add_insights(
        [
            "The midwives at the birth centre were calm and kind to us both.",
            "The birth centre needs more midwives at night, we waited hours.",
        ],
        topic_ids=(topic.pk,),
        locality="Waveney",
        source="fft",
    )
    _sign_in(visitor, make_staff(Role.PROGRAMME_LEAD))
    page = visitor.page
    visitor.visit(reverse("insight:know_index"))
    page.get_by_role("link", name="Maternity").first.click()
    visitor.check()
    assert "Top keywords" in page.locator("main").inner_text()
    page.get_by_text("Figures for the chart").click()
    visitor.check()
    visitor.visit(reverse("insight:coverage"))
    visitor.visit(reverse("insight:coverage") + "?months=soon", expect_status=400)
    assert "Enter a number of months" in page.locator("main").inner_text()


def test_scrutiny_reader_sees_coverage_only(visitor, make_staff):
    _sign_in(visitor, make_staff(Role.SCRUTINY_READER))
    page = visitor.page
    visitor.visit(reverse("staff:dashboard"))
    page.get_by_role("link", name="Coverage").first.click()
    visitor.check()
    assert page.locator("h1").inner_text() == "Coverage of engagement"
    visitor.visit(reverse("insight:search"), expect_status=403)
