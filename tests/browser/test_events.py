"""Events end to end: staff open booking with a capacity; the public book it to the last
place, the next person joins the waiting list, a double-click books once, someone cancels
from the link in their email and the person waiting is given the place and told; the
organiser takes attendance on a phone. axe on every page."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from heard.core.roles import Role
from heard.engagement.models import Activity
from heard.engagement.tests.factories import ActivityFactory
from heard.events.models import Booking
from tests.browser.conftest import ARTIFACTS, Visitor
from tests.browser.test_pages import _sign_in


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"events-{name}.png"), full_page=True)


def _book(person: Visitor, slug: str, name: str, email: str, **extra: str) -> None:
    page = person.page
    person.visit(reverse("engagement_public:activity", args=[slug]))
    page.get_by_role("button", name=re.compile("Book a place|Join the waiting list")).click()
    person.check()
    page.get_by_label("Your full name").fill(name)
    page.get_by_label("Your email address").fill(email)
    if "cared_for" in extra:
        page.get_by_label("Someone I care for").check()
        page.get_by_label(re.compile("Full name of the person you care for")).fill(
            extra["cared_for"]
        )
    if "needs" in extra:
        page.get_by_label(re.compile("anything we can do to help")).fill(extra["needs"])
    page.locator("form button[type=submit]").click()
    person.check()


def test_book_to_capacity_wait_cancel_and_the_place_goes_to_the_next(
    visitor, make_staff, smtp_server
):
    starts = timezone.now() + timedelta(hours=3)
    activity = ActivityFactory(
        title="Maternity services co-design workshop",
        slug="maternity-workshop",
        kind=Activity.Kind.CO_PRODUCTION,
        level=Activity.Level.COLLABORATE,
        event_starts_at=starts,
        event_ends_at=starts + timedelta(hours=2),
        venue="The Forum, Norwich",
        access_information="Step-free access, hearing loop.",
    )
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    _sign_in(visitor, officer)
    page = visitor.page

    # Staff: open booking with two places.
    visitor.visit(reverse("engagement:detail", args=[activity.pk]))
    page.get_by_role("link", name="Booking, waiting list and attendance").click()
    visitor.check()
    page.get_by_label("Number of places").fill("0")
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert (
        "Enter a number of places of 1 or more" in page.locator(".nhsuk-error-summary").inner_text()
    )
    page.get_by_label("Number of places").fill("2")
    page.get_by_label("Take bookings on the public page").check()
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert "0 of 2 booked (2 free)" in page.locator("#event-counts").inner_text()

    # The public: two places, then the waiting list.
    public = Visitor(page.context.browser.new_context(locale="en-GB").new_page(), visitor.base_url)
    _book(public, "maternity-workshop", "Ann Able", "ann@example.org", needs="A hearing loop")
    assert public.page.locator("h1").inner_text() == "Your place is booked"
    _shot(public.page, "booked")
    _book(
        public,
        "maternity-workshop",
        "Bob Baker",
        "bob@example.org",
        cared_for="Rose Baker",
    )
    assert "Rose Baker has a place" in public.page.locator("#booking-outcome").inner_text()

    # A second press of "Book" by Ann (a double-click, or the back button): booked once.
    _book(public, "maternity-workshop", "Ann Able", "ann@example.org")
    problem = public.page.locator(".nhsuk-error-summary").inner_text()
    assert "Ann Able already has a place at this event" in problem
    assert Booking.objects.filter(email="ann@example.org").count() == 1

    public.visit(reverse("engagement_public:activity", args=["maternity-workshop"]))
    assert "This event is full" in public.page.locator("main").inner_text()
    _book(public, "maternity-workshop", "Cat Cole", "cat@example.org")
    assert public.page.locator("h1").inner_text() == "You are on the waiting list"
    _shot(public.page, "waiting")

    # Ann cancels from the link in her email; Cat is given the place and told.
    ann_mail = next(m for m in smtp_server.messages if m["To"] == "ann@example.org")
    assert any(part.get_filename() == "event.ics" for part in ann_mail.iter_attachments())
    cancel = re.search(r"http\S+/events/cancel/\S+/", _body(ann_mail)).group(0)
    public.page.goto(cancel)
    public.check()
    _shot(public.page, "cancel")
    public.page.get_by_role("button", name="Yes, cancel it").click()
    public.check()
    assert "Your booking is cancelled" in public.page.locator("h1").inner_text()
    cat_mail = [m for m in smtp_server.messages if m["To"] == "cat@example.org"]
    assert [m["Subject"] for m in cat_mail] == [
        "You are on the waiting list: Maternity services co-design workshop",
        "A place is now yours: Maternity services co-design workshop",
    ]
    assert Booking.objects.get(email="cat@example.org").status == "confirmed"

    # Staff: the counts, the access needs, attendance on a phone.
    visitor.visit(reverse("events:event", args=[activity.pk]))
    counts = page.locator("#event-counts").inner_text()
    assert "2 of 2 booked (0 free)" in counts and "Waiting list\t0" in counts.replace("\n", "\t")
    _shot(page, "staff-event")
    page.get_by_role("link", name="Access needs people told us about").click()
    visitor.check()
    assert "Nobody booked has told us about access needs." in page.locator("main").inner_text()

    phone = page.context.browser.new_context(
        viewport={"width": 375, "height": 740},
        locale="en-GB",
        storage_state=page.context.storage_state(),
    ).new_page()
    on_phone = Visitor(phone, visitor.base_url)
    on_phone.visit(reverse("events:attendance", args=[activity.pk]))
    assert phone.locator("h1").inner_text() == "Attendance", phone.url
    phone.get_by_role("button", name=re.compile(r"^Came\W+Rose Baker$")).click()
    on_phone.check()
    phone.get_by_role("button", name=re.compile(r"^Did not come\W+Cat Cole$")).click()
    on_phone.check()
    assert (
        "1 came, 1 did not come, 0 not marked, of 2 booked"
        in phone.locator("#attendance-counts").inner_text()
    )
    _shot(phone, "attendance-phone")
    visitor.visit(reverse("events:list"))
    row = page.get_by_role("row", name=re.compile("Maternity services co-design workshop"))
    assert "2 of 2" in row.inner_text()


def test_follow_a_topic_confirm_from_the_email_and_unsubscribe(visitor, smtp_server):
    from heard.people.models import Topic

    Topic.objects.get_or_create(slug="maternity", defaults={"name": "Maternity"})
    page = visitor.page
    visitor.visit(reverse("follow:start"))
    page.get_by_role("button", name="Follow").click()
    visitor.check()
    assert (
        "Choose at least one thing to follow" in page.locator(".nhsuk-error-summary").inner_text()
    )
    page.get_by_label("Your email address").fill("pat@example.org")
    page.get_by_label("Maternity").check()
    page.get_by_label("Norwich").check()
    page.get_by_role("button", name="Follow").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "Check your email"
    (message,) = smtp_server.messages
    confirm = re.search(r"http\S+/follow/confirm/\S+/", _body(message)).group(0)
    page.goto(confirm)
    visitor.check()
    page.get_by_role("button", name="Yes, email me about these").click()
    visitor.check()
    assert "You are following" in page.locator("h1").inner_text()
    _shot(page, "follow-confirmed")
    from heard.servicechange.follow.models import Follower
    from heard.servicechange.follow.services import unsubscribe_token

    follower = Follower.objects.get(email="pat@example.org")
    visitor.visit(reverse("follow:unsubscribe", args=[unsubscribe_token(follower)]))
    page.get_by_role("button", name="Stop all these emails").click()
    visitor.check()
    assert page.locator("h1").inner_text() == "You will not get these emails again"
    assert not follower.follows.exists()


def test_booking_works_without_javascript(browser, live_server):
    from heard.events.tests.factories import make_event

    event = make_event(capacity=1)
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()  # no axe here: it needs JavaScript (the other tests run it)
    for name, email, heading in [
        ("Ann Able", "ann@example.org", "Your place is booked"),
        ("Bob Baker", "bob@example.org", "You are on the waiting list"),
    ]:
        page.goto(live_server.url + reverse("events_public:book", args=[event.activity.slug]))
        page.get_by_label("Your full name").fill(name)
        page.get_by_label("Your email address").fill(email)
        page.locator("form button[type=submit]").click()
        assert page.locator("h1").inner_text() == heading
    context.close()
