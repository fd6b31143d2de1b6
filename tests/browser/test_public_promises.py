"""Public pages keep their promises, in a real browser: no request to another host and no
missing file (fonts, icons); contact details where contact is offered; the NHS time
style; the reach charts' text readable. Axe clean; screenshots at desktop and phone."""

from datetime import timedelta
from urllib.parse import urlparse

from django.urls import reverse
from django.utils import timezone

from heard.core.roles import Role
from heard.engagement.models import Activity
from heard.engagement.tests.factories import ActivityFactory
from heard.involvement.tests.factories import member_with
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_pages import _sign_in


def _watch(page, base_url):
    seen = {"hosts": set(), "missing": []}
    own = urlparse(base_url).netloc

    def on_request(request):
        host = urlparse(request.url).netloc
        if host and host != own:
            seen["hosts"].add(host)

    def on_response(response):
        if response.status == 404:
            seen["missing"].append(response.url)

    page.on("request", on_request)
    page.on("response", on_response)
    return seen


def _shots(visitor, name):
    page = visitor.page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()  # laid out afresh at phone width, as a phone shows it
    visitor.check()
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_public_pages_make_no_outside_request_and_offer_every_way_to_contact(visitor, db):
    now = timezone.now()
    activity = ActivityFactory(
        title="Drop-in about GP appointments",
        kind=Activity.Kind.DROP_IN,
        status=Activity.Status.OPEN,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=20),
        event_starts_at=(now + timedelta(days=5)).replace(hour=10, minute=0),
        event_ends_at=(now + timedelta(days=5)).replace(hour=14, minute=0),
        venue="The Forum, Norwich",
    )
    page = visitor.page
    seen = _watch(page, visitor.base_url)

    visitor.visit(reverse("public:home"))
    main = page.locator("main").inner_text()
    assert "You said, we did" in main and "Text relay" in main
    _shots(visitor, "public-home")

    visitor.visit(reverse("engagement_public:hub"))
    assert page.locator("main").get_by_role("link", name="you said, we did").count() == 1
    page.get_by_label("Search").fill("drop")
    # The search box's cross (WebKit's cancel button) is drawn from a file that exists.
    _shots(visitor, "public-hub")

    visitor.visit(reverse("engagement_public:activity", args=[activity.slug]))
    main = page.locator("main").inner_text()
    assert "to 2pm" in main and ":00" not in main and "a.m." not in main
    assert "Phone:" in main and "Post:" in main
    _shots(visitor, "public-activity")

    visitor.visit(reverse("public:accessibility"))
    assert "Preparation of this accessibility statement" in page.locator("main").inner_text()
    _shots(visitor, "public-accessibility")

    assert seen["hosts"] == set(), f"requests to other hosts: {seen['hosts']}"
    assert seen["missing"] == [], seen["missing"]


def test_reach_chart_text_is_readable(visitor, make_staff, db):
    for i in range(12):
        member_with(age_band=("18_24", "45_54", "75_plus")[i % 3], sex=("female", "male")[i % 2])
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    _sign_in(visitor, officer)
    page = visitor.page
    visitor.visit(reverse("involvement:reach"))
    measure = """() => [...document.querySelectorAll('svg.heard-chart text')]
                     .map(t => t.getBoundingClientRect().height)"""
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        sizes = page.evaluate(measure)
        assert sizes, "no chart text on the reach page"
        # A 14px label draws about 16px tall; shrunk into half a column it was about 9.
        assert min(sizes) >= 13, (width, sizes)
    visitor.check()
    page.set_viewport_size({"width": 1280, "height": 900})
    _shots(visitor, "staff-reach")
