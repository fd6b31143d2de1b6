"""Joining the membership scheme: the form, consent, duplicates, bad postcodes, confirmation."""

import importlib
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from heard.audit.models import Action, AuditEvent
from heard.people import tokens
from heard.people.models import Consent, Member, Topic
from heard.people.tests.membership_helpers import default_topics, join_data, link_to

# Mail goes out on commit, so these tests commit for real.


@pytest.fixture
def topics(db):
    return default_topics()


pytestmark = pytest.mark.usefixtures("transactional_db", "topics")


def test_default_topics_migration_is_idempotent():
    from django.apps import apps

    migration = importlib.import_module("heard.people.migrations.0002_membership_default_topics")
    Topic.objects.all().delete()
    migration.add_topics(apps, None)
    migration.add_topics(apps, None)
    names = set(Topic.objects.values_list("name", flat=True))
    assert {"Mental health", "GP and primary care", "Maternity"} <= names
    assert Topic.objects.filter(active=True).count() >= 12


def test_join_page_shows_consent_wording_and_privacy_link(client):
    response = client.get(reverse("members:join"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "membership scheme. I agree that you keep the details" in html
    assert reverse("public:privacy") in html
    assert html.count("<h1") == 1
    assert "Mental health" in html
    # Several interests and ways of contact can be chosen: checkboxes, not radios.
    assert 'name="interests" type="checkbox"' in html
    assert 'name="contact_methods" type="checkbox"' in html


def test_join_creates_pending_member_with_consents_and_sends_confirmation(client):
    response = client.post(reverse("members:join"), join_data(contact_methods=["email"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:join_check_email")
    member = Member.objects.get(email="alex@example.org")
    assert member.status == Member.Status.PENDING
    assert member.postcode == "NR1 3SR"
    assert member.locality == "Norwich"
    assert member.contact_by_email and not member.contact_by_phone
    assert member.interests.count() == 1
    membership = member.consents.get(purpose=Consent.Purpose.MEMBERSHIP)
    assert "I agree that you keep the details I have given" in membership.wording
    assert membership.given_at is not None
    contact = member.consents.get(purpose=Consent.Purpose.CONTACT)
    assert contact.wording.endswith("get involved? Email")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alex@example.org"]
    assert "Confirm your email address" in message.subject
    assert "/join/confirm/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    page = client.get(response["Location"]).content.decode()
    assert "alex@example.org" in page


def test_invalid_postcode_gives_clear_message_and_keeps_what_was_typed(client):
    response = client.post(
        reverse("members:join"), join_data(postcode="NOT A CODE", full_name="Sam Keep")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a real UK postcode, like NR1 3SR" in html
    assert 'value="Sam Keep"' in html
    assert 'value="alex@example.org"' in html
    assert not Member.objects.exists()
    assert not mail.outbox


def test_consent_is_required(client):
    data = join_data()
    del data["consent"]
    response = client.post(reverse("members:join"), data)
    assert "Tick the box to agree to join the membership scheme" in response.content.decode()
    assert not Member.objects.exists()


def test_phone_contact_needs_a_phone_number(client):
    response = client.post(reverse("members:join"), join_data(contact_methods=["phone"]))
    assert "Enter a phone number if you would like us to phone you" in response.content.decode()
    assert not Member.objects.exists()


def test_a_wrong_phone_number_gets_one_error_not_two(client):
    """Found in a click-through: an invalid number with "Phone" ticked also said "Enter a
    phone number if you would like us to phone you"."""
    response = client.post(
        reverse("members:join"), join_data(contact_methods=["phone"], phone="call me")
    )
    page = response.content.decode()
    assert "Enter a phone number, like 01603 123456" in page
    assert "Enter a phone number if you would like us to phone you" not in page
    assert not Member.objects.exists()


def test_duplicate_email_gets_the_same_page_and_the_owner_gets_an_already_member_email(client):
    first = client.post(reverse("members:join"), join_data())
    path = link_to(mail.outbox[0].body, "/join/confirm/")
    client.post(path)
    client.logout()
    mail.outbox.clear()
    second = client.post(
        reverse("members:join"), join_data(full_name="Someone Else", email="ALEX@example.org")
    )
    assert second.status_code == first.status_code == 302
    assert second["Location"] == first["Location"]
    assert Member.objects.filter(email__iexact="alex@example.org").count() == 1
    assert Member.objects.get(email="alex@example.org").full_name == "Alex Example"
    assert len(mail.outbox) == 1
    assert "already a member" in mail.outbox[0].subject
    assert "/sign-in/link/" in mail.outbox[0].body


def test_double_submit_creates_one_member(client):
    client.post(reverse("members:join"), join_data())
    client.post(reverse("members:join"), join_data())
    assert Member.objects.filter(email="alex@example.org").count() == 1
    # The pending member is sent the confirmation link again, not a second account.
    assert len(mail.outbox) == 2
    assert all("/join/confirm/" in m.body for m in mail.outbox)


def test_race_between_two_submissions_is_caught_by_the_database(client):
    """Both requests pass the "already held?" check; the unique constraint stops the second."""
    client.post(reverse("members:join"), join_data())
    with (
        mock.patch("heard.people.services.membership._existing_member", side_effect=[None, None]),
        mock.patch("heard.people.services.members.Member.objects.filter") as filt,
    ):
        filt.return_value.exists.return_value = False
        response = client.post(reverse("members:join"), join_data(email="ALEX@example.org"))
    assert response.status_code == 302
    assert Member.objects.filter(email__iexact="alex@example.org").count() == 1


def test_confirmation_link_activates_member_creates_account_and_signs_in(client):
    client.post(reverse("members:join"), join_data())
    path = link_to(mail.outbox[0].body, "/join/confirm/")
    # Opening the link (as an email scanner does) shows a button and changes nothing.
    page = client.get(path)
    assert page.status_code == 200 and "Confirm and join" in page.content.decode()
    assert Member.objects.get(email="alex@example.org").status == Member.Status.PENDING
    assert "_auth_user_id" not in client.session
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:account")
    member = Member.objects.get(email="alex@example.org")
    assert member.status == Member.Status.ACTIVE
    assert member.email_verified_at is not None
    assert member.user is not None and member.user.role == ""
    assert not member.user.has_usable_password()
    assert AuditEvent.objects.filter(action=Action.MEMBER_VERIFIED).count() == 1
    account = client.get(reverse("members:account"))
    assert account.status_code == 200
    assert "Alex Example" in account.content.decode()


def test_confirmation_link_twice_does_not_sign_in_again(client):
    client.post(reverse("members:join"), join_data())
    path = link_to(mail.outbox[0].body, "/join/confirm/")
    client.post(path)
    client.logout()
    response = client.post(path)
    assert response["Location"] == reverse("members:sign_in")
    assert client.get(reverse("members:account")).status_code == 302


def test_expired_confirmation_link_gives_a_clear_page_and_a_way_forward(client):
    client.post(reverse("members:join"), join_data())
    path = link_to(mail.outbox[0].body, "/join/confirm/")
    later = tokens.VERIFY_MAX_AGE.total_seconds() + 60
    import time

    with mock.patch("django.core.signing.time.time", return_value=time.time() + later):
        response = client.post(path)
    html = response.content.decode()
    assert response.status_code == 400
    assert "This link has expired or is not valid" in html
    assert reverse("members:sign_in") in html
    member = Member.objects.get(email="alex@example.org")
    assert member.status == Member.Status.PENDING  # nothing lost: a new link still works


def test_tampered_confirmation_link_is_refused(client):
    client.post(reverse("members:join"), join_data())
    path = link_to(mail.outbox[0].body, "/join/confirm/")
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-3] + ("abc" if token[-3:] != "abc" else "xyz")
    response = client.get(reverse("members:verify", kwargs={"token": tampered}))
    assert response.status_code == 400
    assert "This link has expired or is not valid" in response.content.decode()
    assert Member.objects.get(email="alex@example.org").status == Member.Status.PENDING


def test_a_sign_in_link_cannot_be_used_as_a_confirmation_link(client):
    client.post(reverse("members:join"), join_data())
    member = Member.objects.get()
    other = tokens.sign_in_token_make(member_id=member.pk, email=member.email, counter=0)
    response = client.get(reverse("members:verify", kwargs={"token": other}))
    assert response.status_code == 400


def test_join_audit_events_hold_no_personal_data(client):
    client.post(reverse("members:join"), join_data(phone="01603 123456"))
    path = link_to(mail.outbox[0].body, "/join/confirm/")
    client.post(path)
    for event in AuditEvent.objects.all():
        text = f"{event.before} {event.after}"
        for personal in ("Alex", "alex@example.org", "NR1", "01603"):
            assert personal not in text


def test_empty_join_form_lists_every_problem(client):
    response = client.post(reverse("members:join"), {})
    html = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Enter your full name",
        "Enter your email address",
        "Enter your postcode, like NR1 3SR",
        "Tick the box to agree to join the membership scheme",
    ):
        assert message in html
    assert 'href="#id_full_name"' in html  # the error summary links to the field


def test_imported_contact_who_joins_confirms_and_gets_an_account(client):
    """Someone already on a group's list (no sign-in account) joins: they confirm, not duplicate."""
    contact = Member.objects.create(
        full_name="Imported Person",
        email="imported@example.org",
        source=Member.Source.IMPORT,
        status=Member.Status.ACTIVE,
    )
    response = client.post(
        reverse("members:join"), join_data(email="imported@example.org", full_name="Imp")
    )
    assert response["Location"] == reverse("members:join_check_email")
    assert Member.objects.filter(email="imported@example.org").count() == 1
    client.post(link_to(mail.outbox[-1].body, "/join/confirm/"))
    contact.refresh_from_db()
    assert contact.user is not None and contact.user.role == ""
    assert contact.email_verified_at is not None
    assert client.get(reverse("members:account")).status_code == 200


def test_staff_address_is_never_turned_into_a_member_sign_in(client, make_staff):
    staff = make_staff(email="officer@example.nhs.uk")
    client.post(reverse("members:join"), join_data(email="officer@example.nhs.uk"))
    client.post(link_to(mail.outbox[-1].body, "/join/confirm/"))
    member = Member.objects.get(email="officer@example.nhs.uk")
    assert member.user is None
    staff.refresh_from_db()
    assert staff.role  # unchanged
    assert client.get(reverse("members:account")).status_code == 302


def test_join_emails_are_limited_per_address_and_per_client(client, settings):
    settings.HEARD_TRUSTED_PROXY_COUNT = 1

    def join(email, ip):
        return client.post(
            reverse("members:join"),
            join_data(email=email),
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=ip,
        )

    codes = [join("victim@example.org", f"203.0.113.{n}").status_code for n in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    codes = [join(f"p{n}@example.org", "198.51.100.5").status_code for n in range(11)]
    assert codes == [302] * 10 + [429]
    assert "from this connection" in join("q@example.org", "198.51.100.5").content.decode()


def test_control_characters_in_a_join_are_refused_naming_the_field(client):
    response = client.post(reverse("members:join"), join_data(full_name="Alex\x00 Example"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your answer to ‘Full name’ contains a hidden control character" in html
    assert "Null characters are not allowed" not in html  # one clear message, not two
    response = client.post(reverse("members:join"), join_data(phone="01603\x1b123456"))
    assert "‘Phone number’ contains a hidden control character" in response.content.decode()
    assert not Member.objects.exists() and not mail.outbox
    # Tabs and line ends are not control characters we refuse (trimmed as usual).
    ok = client.post(reverse("members:join"), join_data(full_name="Alex\tExample"))
    assert ok.status_code == 302


def test_mail_to_an_unconfirmed_address_holds_none_of_the_joiners_words(client):
    client.post(
        reverse("members:join"),
        join_data(full_name="Mallory Your NHS refund is waiting", email="victim@example.org"),
    )
    message = mail.outbox[-1]
    assert "Mallory" not in message.body and "refund" not in message.body
    assert "Mallory" not in message.subject
    # The same when someone joins again with the address (the already-a-member email).
    client.post(
        reverse("members:join"), join_data(full_name="Eve Click here", email="victim@example.org")
    )
    assert "Eve" not in mail.outbox[-1].body and "Click here" not in mail.outbox[-1].body


def test_a_look_alike_letter_cannot_make_a_second_identical_looking_member(client):
    client.post(reverse("members:join"), join_data(email="alex@example.org"))
    # Full-width letters are the same address (NFKC): the owner is told, nobody is added.
    again = client.post(reverse("members:join"), join_data(email="ＡＬＥＸ＠example.org"))
    assert again.status_code == 302
    assert Member.objects.count() == 1
    # A Cyrillic 'а' among Latin letters is refused with a clear message.
    mixed = client.post(reverse("members:join"), join_data(email="alex@exаmple.org"))
    assert "mixes letters from different alphabets" in mixed.content.decode()
    assert Member.objects.count() == 1
