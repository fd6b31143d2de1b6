"""Activities: saving, the lifecycle service, the clock, and what the public sees."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.audit.selectors import audit_verify
from heard.core.roles import Role
from heard.engagement import selectors, services
from heard.engagement.models import Activity
from heard.engagement.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_staff_create_activity_is_saved_as_a_draft_and_audited(staff_client):
    client, officer = staff_client(Role.ENGAGEMENT_OFFICER)
    response = client.post(
        reverse("engagement:create"),
        {
            "title": "Stroke rehabilitation services",
            "summary": "Tell us about stroke care.",
            "body": "",
            "level": "consult",
            "kind": "survey",
            "localities": ["Norwich", "Waveney"],
            "limbs": ["proposals"],
            "principles": ["2", "4"],
            "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-04-04T17:00",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.DRAFT and activity.owner == officer
    assert activity.slug == "stroke-rehabilitation-services"
    assert {loc.name for loc in activity.localities.all()} == {"Norwich", "Waveney"}
    assert activity.principles == [2, 4]
    # Times typed in UK time are kept exactly (Europe/London, GMT in January).
    assert activity.opens_at.isoformat() == "2027-01-10T09:00:00+00:00"
    event = AuditEvent.objects.get(action=Action.ACTIVITY_CREATED)
    assert event.actor_id == officer.pk and "title" in event.after


def test_form_errors_are_clear(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    response = client.post(
        reverse("engagement:create"),
        {
            "title": "",
            "summary": "x",
            "level": "consult",
            "kind": "survey",
            "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-01-01T09:00",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "The closing date must be after the opening date" in body
    assert not Activity.objects.exists()


def test_transition_refused_with_reasons_and_nothing_changes(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    activity = ActivityFactory(status=Activity.Status.CLOSED)
    response = client.post(
        reverse("engagement:transition", args=[activity.pk]),
        {"target": "feedback_published"},
        follow=True,
    )
    assert "Write the feedback" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CLOSED


def test_feedback_then_publish(staff_client):
    """Was: the officer's "Publish the feedback" made it public. Now it goes public only
    when a second person with the permission to publish approves it (one publication
    step, in outcomes); the direct move is refused."""
    client, officer = staff_client(Role.ENGAGEMENT_OFFICER)
    from django.test import Client

    from heard.accounts.tests.factories import StaffFactory

    admin = StaffFactory(role=Role.ADMINISTRATOR)
    admin_client = Client()
    admin_client.force_login(admin)
    activity = ActivityFactory(status=Activity.Status.CLOSED)
    client.post(
        reverse("engagement:feedback", args=[activity.pk]),
        {"feedback": "You said parking was hard; we added spaces."},
    )
    refused = client.post(
        reverse("engagement:transition", args=[activity.pk]),
        {"target": "feedback_published"},
        follow=True,
    )
    assert "send it for approval" in refused.content.decode()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CLOSED
    public_url = reverse("engagement_public:activity", args=[activity.slug])
    assert "we added spaces" not in client.get(public_url).content.decode()
    client.post(reverse("outcomes:feedback_submit", args=[activity.pk]))
    queue = admin_client.get(reverse("outcomes:publications")).content.decode()
    assert activity.title in queue
    from django.apps import apps

    item = apps.get_model("outcomes", "Publication").objects.get(activity=activity)
    admin_client.post(reverse("outcomes:publication", args=[item.pk]), {"do": "approve"})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.FEEDBACK_PUBLISHED and activity.feedback_published_at
    public = client.get(public_url).content.decode()
    assert "You said, we did" in public and "we added spaces" in public
    moves = AuditEvent.objects.filter(
        action=Action.ACTIVITY_TRANSITIONED, subject_id=str(activity.pk)
    )
    assert [(e.before, e.after["status"], e.actor_id) for e in moves] == [
        ({"status": "closed"}, "feedback_published", admin.pk)
    ]
    assert officer.pk != admin.pk


def test_clock_opens_and_closes_on_time_and_audits_it():
    now = timezone.now()
    due_open = ActivityFactory(
        status=Activity.Status.SCHEDULED, opens_at=now - timedelta(seconds=1)
    )
    not_yet = ActivityFactory(status=Activity.Status.SCHEDULED, opens_at=now + timedelta(minutes=5))
    due_close = ActivityFactory(status=Activity.Status.OPEN, closes_at=now)
    missed = ActivityFactory(
        status=Activity.Status.SCHEDULED,
        opens_at=now - timedelta(days=3),
        closes_at=now - timedelta(days=1),
    )
    assert services.activities_advance_clock(now=now) == 4
    statuses = {
        a.pk: Activity.objects.get(pk=a.pk).status for a in (due_open, not_yet, due_close, missed)
    }
    assert statuses == {
        due_open.pk: "open",
        not_yet.pk: "scheduled",
        due_close.pk: "closed",
        missed.pk: "closed",
    }
    by_clock = AuditEvent.objects.filter(
        action=Action.ACTIVITY_TRANSITIONED, after__by="clock"
    ).count()
    assert by_clock == 4 and audit_verify().ok
    assert services.activities_advance_clock(now=now) == 0


def test_public_lists_use_the_time_not_a_late_clock():
    now = timezone.now()
    closed_by_time = ActivityFactory(
        status=Activity.Status.OPEN, closes_at=now - timedelta(seconds=5)
    )
    opened_by_time = ActivityFactory(
        status=Activity.Status.SCHEDULED, opens_at=now - timedelta(seconds=5)
    )
    forthcoming = ActivityFactory(
        status=Activity.Status.SCHEDULED, opens_at=now + timedelta(days=3)
    )
    ActivityFactory(status=Activity.Status.DRAFT)
    open_now = set(selectors.public_activities(when="open", now=now))
    assert opened_by_time in open_now and closed_by_time not in open_now
    assert closed_by_time in set(selectors.public_activities(when="closed", now=now))
    assert list(selectors.public_activities(when="forthcoming", now=now)) == [forthcoming]


def test_an_event_that_has_happened_is_not_open_now_but_listed_as_closed(client):
    now = timezone.now()
    K = Activity.Kind
    # open until the end of the month, but its one event was four days ago
    drop_in = ActivityFactory(
        title="Digital inclusion drop-in",
        kind=K.DROP_IN,
        event_starts_at=now - timedelta(days=4, hours=2),
        event_ends_at=now - timedelta(days=4),
    )
    # no end time: over once it has started
    workshop = ActivityFactory(
        title="Design workshop", kind=K.WORKSHOP, event_starts_at=now - timedelta(hours=1)
    )
    coming = ActivityFactory(
        title="Focus group next week",
        kind=K.FOCUS_GROUP,
        event_starts_at=now + timedelta(days=7),
        event_ends_at=now + timedelta(days=7, hours=2),
    )
    no_date = ActivityFactory(title="Drop-in, date to follow", kind=K.DROP_IN)
    # a group that meets again, and a survey with an event beside it: still open
    group = ActivityFactory(
        title="Stroke reference group",
        kind=K.REFERENCE_GROUP,
        event_starts_at=now - timedelta(days=60),
    )
    survey = ActivityFactory(
        title="Survey with a launch event", kind=K.SURVEY, event_starts_at=now - timedelta(days=2)
    )
    old = ActivityFactory(
        title="Survey closed yesterday",
        status=Activity.Status.CLOSED,
        closes_at=now - timedelta(days=1),
    )
    open_now = set(selectors.public_activities(when="open", now=now))
    assert open_now == {coming, no_date, group, survey}
    closed = list(selectors.public_activities(when="closed", now=now))
    # the most recently ended first: the workshop an hour ago, yesterday's survey, the drop-in
    assert closed == [workshop, old, drop_in]
    assert drop_in.title not in client.get(reverse("engagement_public:hub")).content.decode()
    hub = client.get(reverse("engagement_public:hub"), {"when": "closed"}).content.decode()
    assert "Digital inclusion drop-in" in hub
    ended = timezone.localtime(drop_in.event_ends_at)
    assert f"closed {ended.day} {ended:%B %Y}" in hub
    assert f"closed {timezone.localtime(drop_in.closes_at):%-d %B %Y}" not in hub
    drop_in.refresh_from_db()
    assert drop_in.status == Activity.Status.OPEN  # what is stored is not changed
    # and its own page agrees with the hub (found in the demo: "Status Open … Closes
    # Friday 1 January 2027" on a drop-in the hub listed as closed)
    page = client.get(reverse("engagement_public:activity", args=[drop_in.slug]))
    text = page.content.decode()
    assert ">Closed</strong>" in text and ">Open</strong>" not in text
    assert "The event took place on" in text and ">Closes</dt>" not in text
    page = client.get(reverse("engagement_public:activity", args=[group.slug])).content.decode()
    assert ">Open</strong>" in page  # a group that meets again stays open


def test_hub_filters_and_searches(client):
    from heard.people.models import Topic

    mh, _ = Topic.objects.get_or_create(
        slug="mental-health-test", defaults={"name": "Mental health (test)"}
    )
    a = ActivityFactory(title="Crisis care for adults")
    a.topics.add(mh)
    ActivityFactory(title="Maternity voices")
    html = client.get(reverse("engagement_public:hub")).content.decode()
    assert "Crisis care for adults" in html and "Maternity voices" in html
    html = client.get(
        reverse("engagement_public:hub"), {"topic": "mental-health-test"}
    ).content.decode()
    assert "Crisis care for adults" in html and "Maternity voices" not in html
    html = client.get(reverse("engagement_public:hub"), {"q": "maternity"}).content.decode()
    assert "Maternity voices" in html and "Crisis care" not in html
    html = client.get(reverse("engagement_public:hub"), {"q": "nothing-like-this"}).content.decode()
    assert "There are no open activities matching your search" in html


def test_drafts_are_never_public(client):
    draft = ActivityFactory(status=Activity.Status.DRAFT)
    assert client.get(reverse("engagement_public:activity", args=[draft.slug])).status_code == 404
    assert draft.title not in client.get(reverse("engagement_public:feed")).content.decode()


def test_atom_feed_lists_open_and_forthcoming(client):
    ActivityFactory(title="Open survey")
    ActivityFactory(
        title="Future workshop",
        status=Activity.Status.SCHEDULED,
        opens_at=timezone.now() + timedelta(days=9),
    )
    ActivityFactory(
        title="Old one", status=Activity.Status.CLOSED, closes_at=timezone.now() - timedelta(days=9)
    )
    response = client.get(reverse("engagement_public:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Open survey" in body and "Future workshop" in body and "Old one" not in body


def test_icalendar_feed_parses_and_holds_events(client):
    start = timezone.now() + timedelta(days=10)
    ActivityFactory(
        title="Drop-in at the Forum",
        kind=Activity.Kind.DROP_IN,
        event_starts_at=start,
        event_ends_at=start + timedelta(hours=2),
        venue="The Forum",
        address="Millennium Plain\nNorwich",
    )
    response = client.get(reverse("engagement_public:events_ical"))
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    assert str(events[0]["summary"]) == "Drop-in at the Forum"
    assert str(events[0]["location"]) == "The Forum, Millennium Plain, Norwich"
    assert events[0].decoded("dtstart") == start.replace(microsecond=0)


@pytest.mark.parametrize(
    ("kind", "level"),
    [
        (Activity.Kind.ONLINE_DISCUSSION, Activity.Level.INVOLVE),
        (Activity.Kind.CO_PRODUCTION, Activity.Level.EMPOWER),
    ],
)
def test_an_activity_heard_cannot_host_is_published_only_with_a_way_to_take_part(
    staff_client, kind, level
):
    client, officer = staff_client(Role.ENGAGEMENT_OFFICER)
    activity = ActivityFactory(
        status=Activity.Status.DRAFT,
        kind=kind,
        level=level,
        body="Share your ideas with us. Everyone is welcome.",
        opens_at=None,
    )
    url = reverse("engagement:transition", args=[activity.pk])
    r = client.post(url, {"target": "open"}, follow=True)
    assert "Say exactly how people take part before publishing" in r.content.decode()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DRAFT
    # A place without a date, or a bare word that is not an address, is not enough.
    Activity.objects.filter(pk=activity.pk).update(
        venue="Dereham Library", body="Join us at www or on the website."
    )
    with pytest.raises(services.TransitionRefused):
        services.activity_transition(activity=activity, target="open", actor=officer)
    # Where it happens, with a link people can follow: now it can open.
    Activity.objects.filter(pk=activity.pk).update(
        body="The discussion runs on https://discuss.example.nhs.uk/pharmacy until June."
    )
    services.activity_transition(activity=activity, target="open", actor=officer)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.OPEN


def test_an_empower_event_with_a_place_and_a_date_can_open(staff_client):
    _, officer = staff_client(Role.ENGAGEMENT_OFFICER)
    activity = ActivityFactory(
        status=Activity.Status.DRAFT,
        kind=Activity.Kind.WORKSHOP,
        level=Activity.Level.EMPOWER,
        venue="Thetford Guildhall",
        event_starts_at=timezone.now() + timedelta(days=20),
        opens_at=None,
    )
    services.activity_transition(activity=activity, target="open", actor=officer)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.OPEN


def test_public_pages_say_the_level_in_plain_words(client):
    activity = ActivityFactory(level=Activity.Level.INVOLVE, title="Stroke group")
    page = client.get(reverse("engagement_public:activity", args=[activity.slug])).content
    assert "Our promise to you (working with you)" in page.decode()
    hub = client.get(reverse("engagement_public:hub")).content.decode()
    assert "Survey · Working with you" in hub
    assert "· Involve" not in hub and "(involve)" not in page.decode()


def test_staff_pages_show_the_status_from_the_dates_before_the_clock_records_it(staff_client):
    """An activity recorded as open whose closing time has passed (the clock job not yet
    run) is 'Closed' on the staff list and page, filtered as closed, and owes feedback."""
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    now = timezone.now()
    past = ActivityFactory(
        title="Past its closing time",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(hours=2),
    )
    ActivityFactory(title="Still open")
    due = ActivityFactory(
        title="Due to open",
        status=Activity.Status.SCHEDULED,
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(days=20),
    )
    assert past.status == Activity.Status.OPEN  # as recorded
    url = reverse("engagement:list")
    rows = {a.title: a.shown_status for a in client.get(url).context["page"].object_list}
    assert rows == {"Past its closing time": "Closed", "Still open": "Open", "Due to open": "Open"}
    closed = [a.title for a in client.get(url, {"status": "closed"}).context["page"]]
    opened = {a.title for a in client.get(url, {"status": "open"}).context["page"]}
    scheduled = list(client.get(url, {"status": "scheduled"}).context["page"])
    assert closed == ["Past its closing time"]
    assert opened == {"Still open", "Due to open"}
    assert scheduled == []
    page = client.get(reverse("engagement:detail", args=[past.pk])).content.decode()
    assert "Feedback owed" in page
    assert "Closed<br><span" in page and "recorded now: open" in page
    page = client.get(reverse("engagement:detail", args=[due.pk])).content.decode()
    assert "recorded now: scheduled" in page
