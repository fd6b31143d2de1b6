"""The annual involvement report in a real browser, axe clean: the list, the draft with
its figures and sources, the narrative form (a placeholder refused at its field), and the
published report on the public site."""

from datetime import date

from django.urls import reverse

from heard.core.roles import Role
from heard.reports import services
from heard.reports.tests.helpers import YEAR, build_year
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_pages import _sign_in

TEXTS = {
    "introduction": "We involved people in planning, in proposals and in our decisions this year.",
    "proposals": "People worked with us on stroke rehabilitation before any options existed.",
    "decisions": "The board considered every theme people raised before it decided anything.",
}


def _fits_a_phone(visitor, name: str) -> None:
    """At 375 px wide nothing pushes the page sideways (a wide table scrolls in its own
    focusable region), axe clean at that width too."""
    page = visitor.page
    page.set_viewport_size({"width": 375, "height": 800})
    visitor.check()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-375.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width} px wide at 375 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_annual_report_pages(visitor, make_staff):
    build_year()
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    report = services.annual_report_create(year=YEAR, actor=officer)
    services.annual_report_narrative_update(report=report, actor=officer, texts=TEXTS)
    _sign_in(visitor, officer)
    page = visitor.page

    visitor.visit(reverse("reports:index"))
    page.get_by_role("link", name="2024/25").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "GP access survey" in main and "Source:" in main
    page.get_by_role("link", name="Write or change the narrative").click()
    visitor.check()
    page.get_by_label("Planning our commissioning arrangements").fill("n/a")
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert "There is a problem" in page.locator("main").inner_text()
    page.get_by_label("Planning our commissioning arrangements").fill(
        "We asked people about GP access before we planned next year's services."
    )
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert "The narrative is saved." in page.locator("main").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "annual-report-staff-draft.png"), full_page=True)
    _fits_a_phone(visitor, "annual-report-staff-draft")

    services.annual_report_approve(
        report=report,
        actor=make_staff(Role.DECISION_MAKER),
        approved_on=date(2025, 6, 12),
        meeting="ICB board, item 9",
    )
    services.annual_report_publish(report=report, actor=officer)
    visitor.visit(reverse("reports:version", args=[YEAR, 1]))
    _fits_a_phone(visitor, "annual-report-staff-version")
    visitor.visit(reverse("reports_public:index"))
    page.get_by_role("link", name="Annual involvement report 2024/25").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "We asked people about GP access" in main and "fewer than 10" in main
    page.screenshot(path=str(ARTIFACTS / "annual-report-public.png"), full_page=True)
    _fits_a_phone(visitor, "annual-report-public")
