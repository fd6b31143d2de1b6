"""Everything about a person: "download my data" and erasure reach bookings, invitations,
follows, outcome and format requests, standing-group terms (each app registers its part
with heard.people.personal_data); another person's data is untouched; the audit chain
still verifies after the erasure."""

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from heard.audit.models import AuditEvent
from heard.engagement.models import FormatRequest, OutcomeRequest
from heard.engagement.services_formats import format_request_create
from heard.engagement.services_outcome_mail import outcome_request_record
from heard.engagement.tests.factories import ActivityFactory
from heard.events.models import AccessNeeds, Booking
from heard.events.services import booking_create
from heard.events.tests.factories import make_event
from heard.involvement.models import Invitation
from heard.involvement.tests.factories import InvitationFactory, MemberFactory, OpportunityFactory
from heard.people import personal_data
from heard.people.models import Member
from heard.people.services.members import member_erase
from heard.people.tests.membership_helpers import default_topics, join_and_verify
from heard.servicechange.follow.models import Follow, Follower
from heard.servicechange.follow.services import Target, follow_request

pytestmark = pytest.mark.usefixtures("transactional_db")

BASE = "https://heard.example"
ALEX = "alex@example.org"
SAM = "sam@example.org"


@pytest.fixture
def member(client):
    default_topics()
    return join_and_verify(client)  # Alex Example, alex@example.org, signed in


def _give_everything(member: Member, email: str, name: str) -> dict:
    """Bookings (one with access needs, one for someone cared for, one past), an open and
    an answered invitation, a follow, an outcome request and an open format request."""
    soon, full = make_event(capacity=5), make_event(capacity=1)
    past = make_event(capacity=5, starts_in=timedelta(days=-5))
    booking_create(
        event=soon, name=name, email=email, access_needs="Step-free access", base_url=BASE
    )
    booking_create(
        event=soon,
        name=name,
        email=email.upper(),
        booking_for=Booking.For.CARED_FOR,
        attendee_name=f"{name} Senior",
        base_url=BASE,
    )
    Booking.objects.create(
        event=past, name=name, email=email, status=Booking.Status.CONFIRMED, attendance="attended"
    )
    invited = InvitationFactory(member=member, opportunity=OpportunityFactory())
    answered = InvitationFactory(
        member=member, opportunity=OpportunityFactory(), status=Invitation.Status.ACCEPTED
    )
    follow_request(email=email, targets=[Target("area", "Norwich", "Norwich")], base_url=BASE)
    activity: Any = ActivityFactory()
    outcome_request_record(activity=activity, email=email)
    format_request_create(
        activity=activity,
        format=FormatRequest.Format.LARGE_PRINT,
        details=f"Please post it to {name}",
        email=email,
        postal="1 Market Place, Norwich",
    )
    return {"soon": soon, "full": full, "invited": invited, "answered": answered}


def test_download_has_bookings_invitations_follows_requests_and_says_responses_are_unlinked(
    client, member
):
    _give_everything(member, ALEX, "Alex Example")
    sam = MemberFactory(full_name="Sam Other", email=SAM)
    _give_everything(sam, SAM, "Sam Other")
    data = json.loads(client.post(reverse("members:download")).content)

    bookings = data["event_bookings"]
    assert len(bookings) == 3  # found whatever the case of the address
    assert {b["email"] for b in bookings} == {ALEX}
    assert {b["access_needs"] for b in bookings} == {"Step-free access", ""}
    assert "Alex Example Senior" in {b["attendee_name"] for b in bookings}
    assert {b["status"] for b in data["invitations"]} == {"Invited, no answer yet", "Accepted"}
    assert data["follows"][0]["email"] == ALEX
    assert data["follows"][0]["following"][0]["what"] == "Norwich"
    assert [r["email"] for r in data["requests"]["outcome"]] == [ALEX]
    assert data["requests"]["formats"][0]["postal_address"] == "1 Market Place, Norwich"
    assert data["responses"]["linked_to_you"] == []
    assert "reference" in data["responses"]["note"]
    text = json.dumps(data)
    assert SAM not in text and "Sam Other" not in text


def test_erasure_reaches_every_section_keeps_counts_and_the_chain(client, member):
    mine = _give_everything(member, ALEX, "Alex Example")
    sam = MemberFactory(full_name="Sam Other", email=SAM)
    _give_everything(sam, SAM, "Sam Other")
    # Someone waiting for a place at the event Alex booked: Alex's place goes to them.
    booking_create(event=mine["full"], name="Alex Example", email=ALEX, base_url=BASE)
    waiting = booking_create(
        event=mine["full"], name="Pat Waiting", email="pat@example.org", base_url=BASE
    )
    assert waiting.status == Booking.Status.WAITING
    bookings_before = Booking.objects.count()
    mail.outbox.clear()

    assert client.post(reverse("members:delete")).status_code == 302

    member.refresh_from_db()
    assert member.status == Member.Status.ERASED
    # Names and addresses gone from every table that held them…
    for needle in (ALEX, "Alex Example"):
        assert not Booking.objects.filter(email__iexact=needle).exists()
        assert not Booking.objects.filter(name__icontains=needle).exists()
        assert not Booking.objects.filter(attendee_name__icontains=needle).exists()
    assert not Follower.objects.filter(email__iexact=ALEX).exists()
    assert not OutcomeRequest.objects.filter(email__iexact=ALEX).exists()
    assert not FormatRequest.objects.filter(contact_email__iexact=ALEX).exists()
    assert (
        not FormatRequest.objects.filter(contact_postal__icontains="Market Place")
        .exclude(contact_email=SAM)
        .exists()
    )
    assert not FormatRequest.objects.filter(details__icontains="Alex").exists()
    assert not AccessNeeds.objects.filter(booking__name="").exists()
    # …the counts stay: bookings are nameless, not gone; the freed place was given on.
    assert Booking.objects.count() == bookings_before
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CONFIRMED
    assert any(m.to == ["pat@example.org"] for m in mail.outbox)
    mine["invited"].refresh_from_db()
    mine["answered"].refresh_from_db()
    assert mine["invited"].status == Invitation.Status.WITHDRAWN
    assert mine["answered"].status == Invitation.Status.ACCEPTED  # participation counts
    closed = FormatRequest.objects.exclude(contact_email=SAM).get()
    assert closed.status == FormatRequest.Status.DECLINED and closed.format == "large_print"
    # Nobody else's data was touched.
    assert Booking.objects.filter(email=SAM).count() == 3
    assert AccessNeeds.objects.filter(booking__email=SAM).count() == 1
    assert Follow.objects.filter(follower__email=SAM).count() == 1
    assert OutcomeRequest.objects.filter(email=SAM).count() == 1
    assert FormatRequest.objects.get(contact_email=SAM).details == "Please post it to Sam Other"
    assert Invitation.objects.filter(member=sam, status=Invitation.Status.INVITED).count() == 1
    # No personal data went into the audit trail, and it still verifies.
    audit_text = json.dumps([[e.before, e.after] for e in AuditEvent.objects.all()])
    assert ALEX not in audit_text and "Alex Example" not in audit_text
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "Audit chain intact" in out.getvalue()  # a broken chain raises CommandError


def test_every_app_with_data_about_a_person_has_registered_a_section():
    assert {s.name for s in personal_data.sections()} >= {
        "event_bookings",
        "invitations",
        "follows",
        "requests",
        "responses",
        "standing_groups",
    }


def test_erasing_twice_or_a_member_without_email_touches_nobody_else(db):
    sam = MemberFactory(full_name="Sam Other", email=SAM)
    _give_everything(sam, SAM, "Sam Other")
    nobody = MemberFactory(full_name="No Email", email="")
    member_erase(member=nobody)
    member_erase(member=nobody)
    assert Booking.objects.filter(email=SAM).count() == 3
    assert Follower.objects.filter(email=SAM).exists()
    assert FormatRequest.objects.filter(contact_email=SAM).exists()
    assert Invitation.objects.filter(member=sam, status=Invitation.Status.INVITED).count() == 1
