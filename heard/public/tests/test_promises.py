"""Public pages keep their promises: every way to contact us where one is offered, one
time style, "you said, we did" linked, the accessibility statement on the model, no
request to another host for fonts, no 404 for the NHS icons."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from heard.engagement.models import Activity
from heard.engagement.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 12, 7, 17, 0, tzinfo=UTC), "5pm"),
        (datetime(2026, 12, 7, 10, 30, tzinfo=UTC), "10:30am"),
        (datetime(2026, 12, 7, 12, 0, tzinfo=UTC), "midday"),
        (datetime(2026, 12, 7, 0, 0, tzinfo=UTC), "midnight"),
        # British Summer Time: 16:00 UTC is 5pm in London.
        (datetime(2026, 7, 1, 16, 0, tzinfo=UTC), "5pm"),
    ],
)
def test_nhs_time(moment, expected):
    assert _render("{{ m|nhs_time }}", m=moment) == expected


def test_nhs_dates_and_ranges():
    start = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    assert _render("{{ m|nhs_date }}", m=start) == "7 December 2026"
    assert _render('{{ m|nhs_date:"weekday" }}', m=start) == "Monday 7 December 2026"
    assert _render('{{ m|nhs_datetime:"short" }}', m=start) == "7 Dec 2026, 10am"
    assert _render("{{ a|nhs_time_range:b }}", a=start, b=start + timedelta(hours=4)) == (
        "10am to 2pm"
    )
    assert _render("{{ d|nhs_date }}", d=date(2030, 1, 15)) == "15 January 2030"
    assert _render("{{ m|nhs_time }}", m=None) == ""


def test_no_page_template_writes_times_the_old_ways():
    """One time style: no template formats a time with Django's a.m./p.m. or 24-hour
    clock any more (the audit trail's seconds excepted)."""
    root = Path(settings.BASE_DIR) / "heard"
    offenders = []
    for path in root.rglob("*"):
        if path.suffix not in (".html", ".txt") or "audit/event_list" in str(path):
            continue
        text = path.read_text(encoding="utf-8")
        for bad in ('H:i"', "g:ia", "g:i a", '|time"', "|time}}", "|time }}"):
            if bad in text:
                offenders.append(f"{path.relative_to(root)}: {bad}")
    assert offenders == []


def test_activity_page_uses_the_nhs_time_style_and_offers_every_way_to_contact_us(client):
    opens = datetime(2030, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    activity = ActivityFactory(
        status=Activity.Status.SCHEDULED, opens_at=opens, closes_at=opens + timedelta(days=30)
    )
    html = client.get(reverse("engagement_public:activity", args=[activity.slug])).content
    page = html.decode()
    assert "Friday 1 March 2030, 9am" in page
    assert "a.m." not in page and "09:00" not in page
    assert settings.HEARD_CONTACT_PHONE in page
    assert settings.HEARD_CONTACT_TEXT_RELAY in page
    for line in settings.HEARD_CONTACT_ADDRESS:
        assert line in page


def test_contact_details_come_from_settings(client, settings):
    settings.HEARD_CONTACT_PHONE = "01632 960123"
    settings.HEARD_CONTACT_TEXT_RELAY = "18001 01632 960123"
    settings.HEARD_CONTACT_ADDRESS = ["Freepost RTXX-1234", "Norwich", "NR1 2AB"]
    page = client.get(reverse("public:home")).content.decode()
    assert 'href="tel:01632960123"' in page
    assert "18001 01632 960123" in page
    assert "Freepost RTXX-1234<br>Norwich<br>NR1 2AB" in page
    settings.HEARD_CONTACT_PHONE = ""
    settings.HEARD_CONTACT_TEXT_RELAY = ""
    page = client.get(reverse("public:accessibility")).content.decode()
    assert "Phone:" not in page and "Text relay" not in page


def test_stored_open_with_dates_past_shows_closed_everywhere(client):
    past = timezone.now() - timedelta(days=3)
    activity = ActivityFactory(
        title="Lapsed survey",
        status=Activity.Status.OPEN,
        opens_at=past - timedelta(days=30),
        closes_at=past,
    )
    page = client.get(reverse("engagement_public:activity", args=[activity.slug])).content
    assert b">Closed</strong>" in page and b">Open</strong>" not in page
    hub_open = client.get(reverse("engagement_public:hub")).content
    assert b"Lapsed survey" not in hub_open
    hub_closed = client.get(reverse("engagement_public:hub") + "?when=closed").content
    assert b"Lapsed survey" in hub_closed


def test_you_said_we_did_is_linked_from_the_home_page_and_the_hub(client):
    url = reverse("outcomes_public:index")
    assert f'href="{url}"'.encode() in client.get(reverse("public:home")).content
    assert f'href="{url}"'.encode() in client.get(reverse("engagement_public:hub")).content


def test_accessibility_statement_follows_the_model_statement(client, settings):
    settings.HEARD_ACCESSIBILITY_PREPARED_ON = "2026-12-07"
    settings.HEARD_ACCESSIBILITY_TESTED_ON = "2026-12-01"
    page = client.get(reverse("public:accessibility")).content.decode()
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website",
        "Compliance status",
        "Non-accessible content",
        "Non-compliance with the accessibility regulations",
        "Disproportionate burden",
        "Content that is not within the scope of the accessibility regulations",
        "Preparation of this accessibility statement",
    ):
        assert heading in page, heading
    assert "This website is partially compliant with the" in page
    assert "This statement was prepared on 7 December 2026" in page
    assert "This website was last tested on 1 December 2026" in page


def test_no_request_to_another_host_for_fonts_by_default(client):
    response = client.get(reverse("public:home"))
    assert "assets.nhs.uk" not in response["Content-Security-Policy"]
    page = response.content.decode()
    assert f'href="{reverse("nhsuk_css")}"' in page
    assert "nhsuk-frontend.min.css" not in page
    css = client.get(reverse("nhsuk_css"))
    assert css["Content-Type"].startswith("text/css")
    body = css.content.decode()
    assert "@font-face" not in body and "assets.nhs.uk" not in body
    assert ".nhsuk-button" in body  # the rest of the stylesheet is all there
    # Its icons point at files this app serves, not /assets/images/ (a 404).
    assert "url(/assets/images/" not in body
    assert "url(/static/nhsuk/assets/images/nhsuk-icon-cross.svg)" in body
    again = client.get(reverse("nhsuk_css"), HTTP_IF_NONE_MATCH=css["ETag"])
    assert again.status_code == 304


def test_fonts_from_the_nhs_host_where_a_deployment_allows_it(client, settings):
    settings.HEARD_FONT_ORIGINS = ["https://assets.nhs.uk"]
    response = client.get(reverse("public:home"))
    assert "nhsuk/nhsuk-frontend.min.css" in response.content.decode()


def test_nhs_icons_point_at_files_that_exist():
    """The frontend's CSS asks for /assets/images/… (a 404 here): ours points at the
    files under /static/nhsuk/ instead."""
    css_dir = Path(settings.BASE_DIR) / "heard/core/static/heard"
    css = (css_dir / "heard.css").read_text()
    assert "search-cancel-button" in css
    for name in ("nhsuk-icon-cross.svg", "nhsuk-icon-arrow-up.svg"):
        assert f"../nhsuk/assets/images/{name}" in css
        target = Path(settings.BASE_DIR) / "node_modules/nhsuk-frontend/dist/nhsuk/assets/images"
        assert (target / name).exists()


def test_nhs_when_on_one_day_and_across_days():
    start = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    same = _render("{{ a|nhs_when:b }}", a=start, b=start + timedelta(hours=4))
    assert same == "Monday 7 December 2026, 10am to 2pm"
    across = _render("{{ a|nhs_when:b }}", a=start, b=start + timedelta(days=1))
    assert across == "Monday 7 December 2026, 10am to Tuesday 8 December 2026, 10am"
    assert _render("{{ a|nhs_when:b }}", a=start, b=None) == "Monday 7 December 2026, 10am"
