"""My account: change details, equality monitoring, download my data, delete, unsubscribe."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from heard.accounts.models import User
from heard.audit.models import Action, AuditEvent
from heard.people.models import Consent, EqualityMonitoring, Group, GroupMembership, Member
from heard.people.tests.membership_helpers import default_topics, join_and_verify, link_to


@pytest.fixture
def topics(db):
    return default_topics()


pytestmark = pytest.mark.usefixtures("transactional_db", "topics")


@pytest.fixture
def member(client):
    """A member who joined online and is signed in on ``client``."""
    return join_and_verify(client, phone="01603 123456", contact_methods=["email", "phone"])


def _personal_data_in_audit(*values):
    found = []
    for event in AuditEvent.objects.all():
        text = json.dumps([event.before, event.after])
        found += [v for v in values if v in text]
    return found


# --- details ----------------------------------------------------------------------------


def test_change_details_saves_audits_field_names_and_replaces_contact_consent(
    client, member, topics
):
    response = client.post(
        reverse("members:account_details"),
        {
            "full_name": "Alex Changed",
            "postcode": "NR32 1AB",
            "phone": "",
            "interests": [topics[1].pk],
            "contact_methods": ["email"],
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.full_name == "Alex Changed"
    assert member.postcode == "NR32 1AB" and member.locality == "Waveney"
    assert member.phone == "" and not member.contact_by_phone
    assert list(member.interests.all()) == [topics[1]]
    event = AuditEvent.objects.filter(action=Action.MEMBER_UPDATED).get()
    assert event.after == {
        "changed": ["contact_by_phone", "full_name", "interests", "phone", "postcode"]
    }
    assert not _personal_data_in_audit("Alex", "NR32", "01603", "Waveney")
    contact = member.consents.filter(purpose=Consent.Purpose.CONTACT)
    assert contact.filter(withdrawn_at__isnull=True).get().wording.endswith("Email")
    assert contact.filter(withdrawn_at__isnull=False).get().wording.endswith("Email, Phone")
    page = client.get(reverse("members:account")).content.decode()
    assert "Your details have been saved." in page and "Alex Changed" in page


def test_bad_postcode_on_details_keeps_what_was_typed(client, member):
    response = client.post(
        reverse("members:account_details"),
        {"full_name": "Alex New Name", "postcode": "ZZ", "contact_methods": ["email"]},
    )
    html = response.content.decode()
    assert "Enter a real UK postcode" in html
    assert 'value="Alex New Name"' in html
    member.refresh_from_db()
    assert member.full_name == "Alex Example"


# --- equality ---------------------------------------------------------------------------


def test_equality_answers_are_stored_apart_and_audited_without_values(client, member):
    page = client.get(reverse("members:equality")).content.decode()
    assert page.count(">Prefer not to say</label>") == 10
    assert reverse("public:privacy") in page
    response = client.post(
        reverse("members:equality"),
        {"age_band": "35_44", "ethnic_group": "white_irish", "religion": "prefer_not_to_say"},
    )
    assert response.status_code == 302
    row = EqualityMonitoring.objects.get(member=member)
    assert (row.age_band, row.ethnic_group, row.religion) == (
        "35_44",
        "white_irish",
        "prefer_not_to_say",
    )
    assert row.sex == ""
    assert not hasattr(Member, "age_band")  # identity table holds none of it
    event = AuditEvent.objects.filter(action=Action.EQUALITY_UPDATED).get()
    assert event.after == {"answered": ["age_band", "ethnic_group", "religion"]}
    assert not _personal_data_in_audit("35_44", "white_irish")
    # Answers are shown back to the member, and all of them can be cleared.
    assert 'value="35_44" checked' in client.get(reverse("members:equality")).content.decode()
    client.post(reverse("members:equality"), {})
    row.refresh_from_db()
    assert row.age_band == "" and row.ethnic_group == ""


def test_equality_rejects_an_answer_not_offered(client, member):
    response = client.post(reverse("members:equality"), {"sex": "banana"})
    assert response.status_code == 200
    assert "Choose one of the answers" in response.content.decode()
    assert not EqualityMonitoring.objects.exists()


# --- download ---------------------------------------------------------------------------


def test_download_my_data_has_everything_and_is_audited(client, member, topics):
    group = Group.objects.create(name="Norwich PPG", kind=Group.Kind.PPG)
    GroupMembership.objects.create(group=group, member=member)
    client.post(reverse("members:equality"), {"age_band": "65_74"})
    assert client.get(reverse("members:download")).status_code == 200
    response = client.post(reverse("members:download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    assert data["member"]["email"] == "alex@example.org"
    assert data["member"]["postcode"] == "NR1 3SR"
    assert data["member"]["phone"] == "01603 123456"
    assert data["contact_preferences"] == {"email": True, "phone": True, "post": False}
    assert [i["name"] for i in data["interests"]] == [topics[2].name]
    purposes = {c["purpose"] for c in data["consents"]}
    assert purposes == {"Membership of the scheme", "Being contacted about opportunities"}
    assert all(c["wording"] and c["given_at"] for c in data["consents"])
    assert data["groups"] == [
        {
            "group": "Norwich PPG",
            "role": "Member",
            "since": data["groups"][0]["since"],
            "until": None,
        }
    ]
    assert data["equality_monitoring"]["age_band"]["answer"] == "65 to 74"
    assert isinstance(data["history"], list)
    event = AuditEvent.objects.filter(action=Action.MEMBER_DATA_DOWNLOADED).get()
    assert event.subject_id == str(member.pk)


# --- delete -----------------------------------------------------------------------------


def test_delete_account_erases_personal_data_keeps_anonymous_row_and_signs_out(client, member):
    client.post(reverse("members:equality"), {"age_band": "65_74"})
    client.post(reverse("members:email_change"), {"email": "alex.pending@example.org"})
    user_id = member.user_id
    page = client.get(reverse("members:delete")).content.decode()
    assert "This cannot be undone" in page and "anonymous totals" in page
    response = client.post(reverse("members:delete"))
    assert response["Location"] == reverse("members:deleted")
    assert "Your account has been deleted" in client.get(response["Location"]).content.decode()
    member.refresh_from_db()
    assert member.status == Member.Status.ERASED
    assert (member.email, member.pending_email, member.phone, member.postcode) == ("",) * 4
    assert "Alex" not in member.full_name
    assert member.postcode_district == "NR1" and member.locality == "Norwich"
    assert EqualityMonitoring.objects.get(member=member).age_band == "65_74"
    assert not User.objects.filter(pk=user_id).exists()
    assert not member.consents.filter(withdrawn_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action=Action.MEMBER_ERASED).count() == 1
    assert not _personal_data_in_audit("Alex", "alex@example.org", "NR1 3SR", "01603")
    assert client.get(reverse("members:account")).status_code == 302
    # The address is free again: the person can join afresh.
    client.post(
        reverse("members:join"),
        {
            "full_name": "Alex Again",
            "email": "alex@example.org",
            "postcode": "NR1 3SR",
            "consent": "on",
        },
    )
    assert Member.objects.filter(email="alex@example.org", status=Member.Status.PENDING).exists()


# --- unsubscribe ------------------------------------------------------------------------


def _unsubscribe_path():
    return link_to(mail.outbox[-1].body, "/unsubscribe/")


def test_unsubscribe_get_asks_then_post_unsubscribes_without_signing_in(member):
    path = _unsubscribe_path()
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Unsubscribe" in page.content.decode()
    member.refresh_from_db()
    assert member.contact_by_email  # a GET (e.g. a link scanner) changes nothing
    response = anonymous.post(path)
    assert response.status_code == 200
    assert "You have unsubscribed" in response.content.decode()
    member.refresh_from_db()
    assert not member.contact_by_email
    withdrawal = member.consents.get(purpose=Consent.Purpose.CONTACT, wording__startswith="Stop")
    assert withdrawal.withdrawn_at is not None
    assert AuditEvent.objects.filter(action=Action.MEMBER_UNSUBSCRIBED).count() == 1
    anonymous.post(path)  # twice: nothing more recorded
    assert AuditEvent.objects.filter(action=Action.MEMBER_UNSUBSCRIBED).count() == 1
    assert "already unsubscribed" in anonymous.get(path).content.decode()


def test_one_click_unsubscribe_post_from_a_mail_client(member):
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no cookies or token."""
    path = _unsubscribe_path()
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert not member.contact_by_email


def test_tampered_unsubscribe_link_gives_a_clear_page(member):
    path = _unsubscribe_path()
    response = Client().post(path.rstrip("/") + "x/")
    assert response.status_code == 400
    assert "This link has expired or is not valid" in response.content.decode()
    member.refresh_from_db()
    assert member.contact_by_email


def test_member_email_over_smtp_carries_one_click_unsubscribe_headers(client, smtp_server):
    client.post(
        reverse("members:join"),
        {
            "full_name": "Sam Smtp",
            "email": "sam@example.org",
            "postcode": "NR1 3SR",
            "contact_methods": ["email"],
            "consent": "on",
        },
    )
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "sam@example.org"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(message["List-Unsubscribe"]).strip()  # long headers are folded
    assert header.startswith("<http") and header.endswith(">") and "/unsubscribe/" in header
    body = message.get_content()
    assert "/join/confirm/" in body


def test_details_form_shows_current_interests_and_contact_choices(client, member, topics):
    html = client.get(reverse("members:account_details")).content.decode()
    assert f'value="{topics[2].pk}" checked' in html
    assert 'value="email" checked' in html and 'value="phone" checked' in html
    assert f'value="{topics[0].pk}" checked' not in html


def test_make_member_fixture_gives_a_member_who_can_open_their_account(client, make_member):
    user = make_member()
    assert user.role == "" and user.member.status == Member.Status.ACTIVE
    client.force_login(user)
    response = client.get(reverse("members:account"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # personal data is not cached


# --- email address ------------------------------------------------------------------


def test_change_email_address_after_confirming_the_new_one(client, member):
    # A sign-in link mailed to the old address before the change (not used).
    client.logout()
    client.post(reverse("members:sign_in"), {"email": "alex@example.org"})
    pending_link = link_to(mail.outbox[-1].body, "/sign-in/link/")
    client.force_login(member.user)

    response = client.post(reverse("members:email_change"), {"email": "Alex.New@example.org"})
    assert response["Location"] == reverse("members:account")
    assert (
        "We have sent a link to alex.new@example.org"
        in client.get(reverse("members:account")).content.decode()
    )
    member.refresh_from_db()
    assert member.email == "alex@example.org"  # not yet
    message = mail.outbox[-1]
    assert message.to == ["alex.new@example.org"]
    confirm = link_to(message.body, "/my-account/email/confirm/")

    # Opening the link (as a scanner at the new address does) changes nothing.
    page = client.get(confirm)
    assert page.status_code == 200 and "Use this email address" in page.content.decode()
    member.refresh_from_db()
    assert member.email == "alex@example.org"
    response = client.post(confirm)
    assert response["Location"] == reverse("members:account")
    member.refresh_from_db()
    assert member.email == "alex.new@example.org" and member.pending_email == ""
    assert member.user.email == "alex.new@example.org"
    assert mail.outbox[-1].to == ["alex@example.org"]
    assert "has been changed" in mail.outbox[-1].subject
    event = AuditEvent.objects.filter(action=Action.MEMBER_UPDATED).last()
    assert event.after == {"changed": ["email"]}
    assert not _personal_data_in_audit("alex.new@example.org", "alex@example.org")
    # A sign-in link sent to the old address no longer works; the new address signs in.
    client.post(reverse("members:sign_out"))
    assert client.post(pending_link).status_code == 400
    client.post(reverse("members:sign_in"), {"email": "alex.new@example.org"})
    assert mail.outbox[-1].to == ["alex.new@example.org"]
    assert client.get(confirm).status_code == 400  # used
    assert client.post(confirm).status_code == 400


def test_change_email_to_the_same_address_says_so(client, member):
    response = client.post(reverse("members:email_change"), {"email": "ALEX@example.org"})
    assert "This is already your email address" in response.content.decode()


def test_change_email_to_an_address_in_use_sends_nothing_and_reveals_nothing(
    client, member, make_member
):
    other = make_member(email="taken@example.org")
    mail.outbox.clear()
    response = client.post(reverse("members:email_change"), {"email": "taken@example.org"})
    assert response["Location"] == reverse("members:account")
    assert not mail.outbox
    member.refresh_from_db()
    assert member.email == "alex@example.org"
    assert other.member.email == "taken@example.org"
