"""Booking through the services and the public pages: capacity, waiting list, promotion,
double-clicks, past/full/cancelled events, cancel links, mail with calendar files."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import AuditEvent
from heard.events import links, services
from heard.events.models import AccessNeeds, Booking
from heard.events.tests.factories import make_event

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def _book(event, name, email, **kw):
    return services.booking_create(event=event, name=name, email=email, base_url=BASE, **kw)


def _ics(message) -> icalendar.Calendar:
    (attachment,) = [a for a in message.attachments if a[0] == "event.ics"]
    return icalendar.Calendar.from_ical(attachment[1])


def test_places_then_waiting_list_then_a_cancellation_promotes_the_longest_waiting(
    django_capture_on_commit_callbacks,
):
    event = make_event(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        a = _book(event, "Ann Able", "ann@example.org")
        b = _book(event, "Bob Baker", "bob@example.org")
        c = _book(event, "Cat Cole", "cat@example.org")
        d = _book(event, "Dev Dunn", "dev@example.org")
    assert [x.status for x in (a, b, c, d)] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Your place is booked",
        "Your place is booked",
        "You are on the waiting list",
        "You are on the waiting list",
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=a, base_url=BASE)
    c.refresh_from_db()
    d.refresh_from_db()
    assert (c.status, d.status) == ("confirmed", "waiting")
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["cat@example.org"].startswith("A place is now yours")
    assert subjects["ann@example.org"].startswith("Booking cancelled")
    promoted = next(m for m in mail.outbox if m.to == ["cat@example.org"])
    assert "/events/cancel/" in promoted.body
    vevent = _ics(promoted).walk("VEVENT")[0]
    assert str(vevent["summary"]) == event.activity.title
    assert vevent.decoded("dtstart") == event.activity.event_starts_at.replace(microsecond=0)
    assert Booking.objects.filter(event=event, status="confirmed").count() == 2
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("event.booked") == 4
    assert "event.booking_cancelled" in actions and "event.place_given" in actions


def test_cancelling_twice_gives_away_only_one_place():
    event = make_event(capacity=1)
    a = _book(event, "Ann Able", "ann@example.org")
    b = _book(event, "Bob Baker", "bob@example.org")
    c = _book(event, "Cat Cole", "cat@example.org")
    services.booking_cancel(booking=a, base_url=BASE)
    services.booking_cancel(booking=a, base_url=BASE)
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "cancelled", b.pk: "confirmed", c.pk: "waiting"}


def test_leaving_the_waiting_list_promotes_nobody():
    event = make_event(capacity=1)
    _book(event, "Ann Able", "ann@example.org")
    b = _book(event, "Bob Baker", "bob@example.org")
    c = _book(event, "Cat Cole", "cat@example.org")
    services.booking_cancel(booking=b, base_url=BASE)
    c.refresh_from_db()
    assert c.status == "waiting"


def test_the_same_person_books_once_but_may_book_for_someone_they_care_for():
    event = make_event(capacity=5)
    _book(event, "Ann Able", "ann@example.org")
    with pytest.raises(services.AlreadyBooked, match="already has a place"):
        _book(event, "Ann Able", " ANN@example.org ")
    cared = _book(
        event,
        "Ann Able",
        "ann@example.org",
        booking_for=Booking.For.CARED_FOR,
        attendee_name="Rose Able",
    )
    assert cared.attendee == "Rose Able"
    with pytest.raises(services.AlreadyBooked, match="Rose Able already has a place"):
        _book(
            event,
            "Ann Able",
            "ann@example.org",
            booking_for=Booking.For.CARED_FOR,
            attendee_name="rose  able",
        )
    assert Booking.objects.count() == 2


def test_after_cancelling_the_same_person_may_book_again():
    event = make_event(capacity=5)
    a = _book(event, "Ann Able", "ann@example.org")
    services.booking_cancel(booking=a, base_url=BASE)
    again = _book(event, "Ann Able", "ann@example.org")
    assert again.status == "confirmed" and again.pk != a.pk


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"starts_in": timedelta(hours=-1)}, "already taken place"),
        ({"booking_open": False}, "Booking for this event is closed"),
    ],
)
def test_booking_a_past_or_closed_event_is_refused(change, message):
    event = make_event(starts_in=change.pop("starts_in", timedelta(days=3)))
    for field, value in change.items():
        setattr(event, field, value)
    event.save()
    with pytest.raises(services.BookingRefused, match=message):
        _book(event, "Ann Able", "ann@example.org")
    assert not Booking.objects.exists()


@pytest.mark.parametrize("name", ["x", "-", ".", "n/a", ""])
def test_placeholder_names_are_refused(name):
    event = make_event()
    with pytest.raises(services.BookingRefused, match="full name"):
        _book(event, name, "ann@example.org")
    with pytest.raises(services.BookingRefused, match="person you are booking for"):
        _book(
            event,
            "Ann Able",
            "ann@example.org",
            booking_for=Booking.For.CARED_FOR,
            attendee_name=name,
        )


def test_raising_capacity_fills_places_from_the_waiting_list_and_lowering_below_booked_is_refused(
    make_staff,
):
    event = make_event(capacity=1)
    for n, who in enumerate(["Ann Able", "Bob Baker", "Cat Cole", "Dev Dunn"]):
        _book(event, who, f"p{n}@example.org")
    officer = make_staff()
    services.event_booking_save(
        actor=officer, activity=event.activity, capacity=3, booking_open=True, base_url=BASE
    )
    assert list(Booking.objects.values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "confirmed",
        "waiting",
    ]
    with pytest.raises(services.ChangeRefused, match="cannot be less than 3"):
        services.event_booking_save(
            actor=officer, activity=event.activity, capacity=2, booking_open=True, base_url=BASE
        )


def test_the_organiser_cancelling_the_event_tells_everyone_booked_or_waiting(
    make_staff, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    _book(event, "Ann Able", "ann@example.org", access_needs="Hearing loop")
    _book(event, "Bob Baker", "bob@example.org")
    mail.outbox.clear()
    with pytest.raises(services.ChangeRefused):
        services.event_cancel(actor=make_staff(), event=event, message="-", base_url=BASE)
    with django_capture_on_commit_callbacks(execute=True):
        told = services.event_cancel(
            actor=make_staff(), event=event, message="The venue has flooded.", base_url=BASE
        )
    assert told == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bob@example.org"]
    assert all("The venue has flooded." in m.body for m in mail.outbox)
    ann = next(m for m in mail.outbox if m.to == ["ann@example.org"])
    cal = _ics(ann)
    assert str(cal["method"]) == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["status"]) == "CANCELLED"
    assert set(Booking.objects.values_list("status", flat=True)) == {"event_cancelled"}
    assert not AccessNeeds.objects.exists()
    with pytest.raises(services.BookingRefused, match="cancelled"):
        _book(event, "Cat Cole", "cat@example.org")


def test_attendance_on_the_day_counts_no_shows(make_staff):
    event = make_event(capacity=3, starts_in=timedelta(days=5))
    a = _book(event, "Ann Able", "ann@example.org")
    b = _book(event, "Bob Baker", "bob@example.org")
    officer = make_staff()
    with pytest.raises(services.ChangeRefused, match="on the day"):
        services.attendance_record(actor=officer, booking=a, attendance="attended")
    on_the_day = event.activity.event_starts_at - timedelta(hours=1)
    services.attendance_record(actor=officer, booking=a, attendance="attended", now=on_the_day)
    services.attendance_record(actor=officer, booking=b, attendance="no_show", now=on_the_day)
    from heard.events.selectors import event_counts

    c = event_counts(event)
    assert (c.attended, c.no_show, c.not_marked) == (1, 1, 0)
    assert AuditEvent.objects.filter(action="event.attendance").count() == 2


def test_reminders_go_once_with_a_calendar_file(django_capture_on_commit_callbacks):
    soon = make_event(capacity=5, starts_in=timedelta(hours=30))
    later = make_event(capacity=5, starts_in=timedelta(days=10))
    _book(soon, "Ann Able", "ann@example.org")
    _book(later, "Bob Baker", "bob@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_reminders_send(base_url=BASE) == 1
        assert services.event_reminders_send(base_url=BASE) == 0
    (message,) = mail.outbox
    assert message.to == ["ann@example.org"] and message.subject.startswith("Reminder:")
    assert _ics(message).walk("VEVENT")


def test_access_needs_are_kept_apart_and_erased_after_the_event():
    event = make_event(capacity=5, starts_in=timedelta(days=1))
    a = _book(event, "Ann Able", "ann@example.org", access_needs="  BSL interpreter ")
    assert AccessNeeds.objects.get(booking=a).text == "BSL interpreter"
    assert "BSL" not in str(AuditEvent.objects.filter(action="event.booked").values("after")[0])
    assert services.access_needs_erase() == 0  # not over yet
    after = event.activity.event_ends_at + timedelta(minutes=1)
    assert services.access_needs_erase(now=after) == 1
    assert not AccessNeeds.objects.exists()
    event.refresh_from_db()
    assert event.access_needs_erased_at == after
    assert services.access_needs_erase(now=after + timedelta(days=1)) == 0


# --- The public pages ---------------------------------------------------------------


def _form(**kw):
    return {"name": "Ann Able", "email": "ann@example.org", "booking_for": "self", **kw}


def test_booking_through_the_page_and_a_double_click(client):
    event = make_event(capacity=1)
    slug = event.activity.slug
    page = client.get(reverse("engagement_public:activity", args=[slug]))
    assert "Book a place" in page.content.decode() and "1 place left" in page.content.decode()
    url = reverse("events_public:book", args=[slug])
    first = client.post(url, _form(access_needs="Wheelchair space"))
    assert first.status_code == 302
    done = client.get(first["Location"])
    assert "Your place is booked" in done.content.decode()
    second = client.post(url, _form())
    assert second.status_code == 409
    assert "already has a place at this event" in second.content.decode()
    assert Booking.objects.count() == 1
    full = client.get(url).content.decode()
    assert "This event is full" in full and "Join the waiting list" in full
    third = client.post(url, _form(name="Bob Baker", email="bob@example.org"))
    assert "You are on the waiting list" in client.get(third["Location"]).content.decode()


def test_the_page_refuses_bad_input_and_past_events(client):
    event = make_event()
    url = reverse("events_public:book", args=[event.activity.slug])
    r = client.post(url, _form(name="x", email="not-an-email", booking_for="cared_for"))
    body = r.content.decode()
    assert "Enter your full name" in body
    assert "Enter an email address in the correct format" in body
    assert "Enter the full name of the person you are booking for" in body
    assert not Booking.objects.exists()
    past = make_event(starts_in=timedelta(days=-1))
    r = client.post(reverse("events_public:book", args=[past.activity.slug]), _form())
    assert "This event has already taken place" in r.content.decode()
    assert not Booking.objects.exists()
    activity_page = client.get(reverse("engagement_public:activity", args=[past.activity.slug]))
    assert "Book a place" not in activity_page.content.decode()


def test_draft_events_cannot_be_booked(client):
    event = make_event(status="draft")
    assert client.get(reverse("events_public:book", args=[event.activity.slug])).status_code == 404


def test_cancel_link_works_until_the_event_starts_and_then_says_it_has_expired(client):
    event = make_event(capacity=1)
    a = _book(event, "Ann Able", "ann@example.org")
    b = _book(event, "Bob Baker", "bob@example.org")
    url = services.cancel_url(a, "")
    page = client.get(url)
    assert "Yes, cancel it" in page.content.decode()
    assert client.post(url).status_code == 200
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("cancelled", "confirmed")
    assert "Your booking is cancelled" in client.get(url).content.decode()
    expired = reverse(
        "events_public:cancel",
        args=[links.cancel_token(b.pk, timezone.now() - timedelta(seconds=1))],
    )
    r = client.get(expired)
    assert r.status_code == 410 and "This link has expired" in r.content.decode()
    r = client.post(expired)
    b.refresh_from_db()
    assert r.status_code == 410 and b.status == "confirmed"
    tampered = client.get(url[:-3] + "abc/")
    assert tampered.status_code == 404 and "This link is not valid" in tampered.content.decode()


# --- Staff pages ----------------------------------------------------------------------


def test_staff_set_capacity_see_bookings_and_take_attendance_on_a_phone(client, make_staff):
    from heard.engagement.tests.factories import ActivityFactory

    activity = ActivityFactory(kind="workshop", event_starts_at=timezone.now() + timedelta(hours=2))
    client.force_login(make_staff())
    detail = client.get(reverse("engagement:detail", args=[activity.pk])).content.decode()
    assert "Booking, waiting list and attendance" in detail
    url = reverse("events:event", args=[activity.pk])
    r = client.post(url, {"capacity": "0", "booking_open": "on"})
    assert "Enter a number of places of 1 or more" in r.content.decode()
    r = client.post(url, {"capacity": "2", "booking_open": "on"})
    assert r.status_code == 302
    event = activity.bookable_event
    a = _book(event, "Ann Able", "ann@example.org")
    page = client.get(url).content.decode()
    assert "1 of 2 booked" in page and "ann@example.org" in page
    att = reverse("events:attendance", args=[activity.pk])
    r = client.post(att, {"booking": a.pk, "attendance": "no_show"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.attendance == "no_show"
    assert "0 came, 1 did not come" in client.get(att).content.decode()
    assert 'name="viewport"' in client.get(att).content.decode()


def test_access_needs_are_read_only_by_those_organising_the_event(client, make_staff):
    event = make_event()
    _book(event, "Ann Able", "ann@example.org", access_needs="Hearing loop please")
    url = reverse("events:access_needs", args=[event.activity_id])
    admin = make_staff("administrator")
    client.force_login(admin)
    assert client.get(url).status_code == 403
    staff_page = client.get(reverse("events:event", args=[event.activity_id])).content.decode()
    assert "Hearing loop" not in staff_page and "Access needs people told us" not in staff_page
    lead = make_staff("programme_lead")
    event.activity.owner = lead
    event.activity.save()
    client.force_login(lead)
    r = client.get(url)
    assert r.status_code == 200 and "Hearing loop please" in r.content.decode()
    assert AuditEvent.objects.filter(action="event.access_needs_viewed").count() == 1
    client.force_login(make_staff("engagement_officer"))
    assert "Hearing loop please" in client.get(url).content.decode()


def test_one_address_cannot_take_every_place():
    event = make_event(capacity=20)
    for n in range(4):
        _book(
            event,
            "Ann Able",
            "ann@example.org",
            booking_for=Booking.For.CARED_FOR,
            attendee_name=f"Person {chr(65 + n)}lpha",
        )
    with pytest.raises(services.BookingRefused, match="already has 4 places"):
        _book(event, "Ann Able", "ann@example.org")
    assert Booking.objects.count() == 4


def test_a_members_history_shows_their_bookings(make_member):
    from heard.people.history import history_for
    from heard.people.models import Member

    user = make_member(email="ann@example.org")
    member = Member.objects.get(user=user)
    member.email = "Ann@Example.org"
    member.save()
    event = make_event(capacity=1)
    _book(event, "Ann Able", "ann@example.org")
    _book(event, "Bob Baker", "bob@example.org")
    texts = [i.text for i in history_for(member) if i.kind == "Event"]
    assert texts == [f"Booked: {event.activity.title} (place booked)"]


def test_bookers_details_are_erased_90_days_after_the_event_and_the_counts_stay(make_staff):
    from django.core.management import call_command

    from heard.events.selectors import event_counts

    event = make_event(capacity=1, starts_in=timedelta(days=1))
    a = _book(event, "Ann Able", "ann@example.org", access_needs="Hearing loop")
    _book(event, "Bob Baker", "bob@example.org")
    on_the_day = event.activity.event_starts_at
    services.attendance_record(actor=make_staff(), booking=a, attendance="no_show", now=on_the_day)
    assert services.bookings_erase(now=on_the_day + timedelta(days=89)) == 0
    assert services.bookings_erase(now=on_the_day + timedelta(days=91)) == 2
    assert set(Booking.objects.values_list("name", "email", "attendee_name")) == {("", "", "")}
    assert not AccessNeeds.objects.exists()
    c = event_counts(event)
    assert (c.confirmed, c.waiting, c.no_show) == (1, 1, 1)
    assert services.bookings_erase(now=on_the_day + timedelta(days=200)) == 0
    call_command("events_retention")  # the scheduled command runs both steps
