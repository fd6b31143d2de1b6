"""Signing in without a password: an emailed link that lasts 30 minutes and works once."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from heard.audit.models import Action, AuditEvent
from heard.people import tokens
from heard.people.models import Member
from heard.people.tests.membership_helpers import default_topics, join_and_verify, link_to


@pytest.fixture
def topics(db):
    return default_topics()


pytestmark = pytest.mark.usefixtures("transactional_db", "topics")


@pytest.fixture
def member(client):
    from heard.core.models import RateCounter

    member = join_and_verify(client)
    client.logout()
    mail.outbox.clear()
    RateCounter.objects.all().delete()  # they joined more than an hour ago
    return member


def _request_link(client, email="alex@example.org"):
    response = client.post(reverse("members:sign_in"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:sign_in_check_email")
    return link_to(mail.outbox[-1].body, "/sign-in/link/")


def test_member_pages_send_anonymous_visitors_to_the_member_sign_in(client):
    response = client.get(reverse("members:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("members:sign_in"))


def test_staff_are_not_members(client, make_staff):
    client.force_login(make_staff())
    response = client.get(reverse("members:account"))
    assert response["Location"].startswith(reverse("members:sign_in"))


def test_sign_in_link_signs_in_once(client, member):
    path = _request_link(client)
    assert client.get(path).status_code == 200  # a page with a button: scanners cannot use it
    assert client.get(reverse("members:account")).status_code == 302
    response = client.post(path)
    assert response["Location"] == reverse("members:account")
    assert client.get(reverse("members:account")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.MEMBER_SIGNED_IN).count() == 1
    client.logout()
    again = client.post(path)
    assert again.status_code == 400
    assert "This link has expired or is not valid" in again.content.decode()
    assert "Get a new sign-in link" in again.content.decode()
    assert client.get(reverse("members:account")).status_code == 302


def test_sign_in_link_expires_after_30_minutes(client, member):
    path = _request_link(client)
    later = time.time() + tokens.SIGN_IN_MAX_AGE.total_seconds() + 5
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(path)
    assert response.status_code == 400
    assert client.get(reverse("members:account")).status_code == 302


def test_tampered_sign_in_link_is_refused(client, member):
    path = _request_link(client)
    token = path.rstrip("/").rsplit("/", 1)[1]
    response = client.post(reverse("members:sign_in_link", kwargs={"token": token + "x"}))
    assert response.status_code == 400
    with override_settings(SECRET_KEY="someone-else's-key-" * 3):
        forged = tokens.sign_in_token_make(member_id=member.pk, email=member.email, counter=0)
    response = client.post(reverse("members:sign_in_link", kwargs={"token": forged}))
    assert response.status_code == 400
    assert client.get(reverse("members:account")).status_code == 302


def test_unknown_email_gets_the_same_page_and_no_email(client, member):
    response = client.post(reverse("members:sign_in"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("members:sign_in_check_email")
    assert not mail.outbox


def test_pending_member_asking_to_sign_in_gets_a_new_confirmation_link(client):
    client.post(
        reverse("members:join"),
        {
            "full_name": "Pat Pending",
            "email": "pat@example.org",
            "postcode": "NR2 1AA",
            "contact_methods": ["email"],
            "consent": "on",
        },
    )
    mail.outbox.clear()
    client.post(reverse("members:sign_in"), {"email": "pat@example.org"})
    path = link_to(mail.outbox[-1].body, "/join/confirm/")
    client.post(path)
    assert Member.objects.get(email="pat@example.org").status == Member.Status.ACTIVE


def test_invalid_email_on_sign_in_gets_a_clear_message(client):
    response = client.post(reverse("members:sign_in"), {"email": "not-an-email"})
    html = response.content.decode()
    assert "Enter an email address in the correct format" in html
    assert 'value="not-an-email"' in html


def test_sign_out(client, member):
    client.post(_request_link(client))
    response = client.post(reverse("members:sign_out"))
    assert response["Location"] == reverse("public:home")
    assert client.get(reverse("members:account")).status_code == 302


def test_sign_in_link_returns_to_the_page_asked_for(client, member):
    response = client.get(reverse("members:equality"))
    assert response["Location"] == f"{reverse('members:sign_in')}?next=%2Fmy-account%2Fequality%2F"
    client.post(
        reverse("members:sign_in"),
        {"email": "alex@example.org", "next": reverse("members:equality")},
    )
    path = link_to(mail.outbox[-1].body, "/sign-in/link/")
    assert client.post(path)["Location"] == reverse("members:equality")


def test_sign_in_refuses_to_send_people_to_other_sites(client, member):
    client.post(
        reverse("members:sign_in"), {"email": "alex@example.org", "next": "https://evil.example/"}
    )
    path = link_to(mail.outbox[-1].body, "/sign-in/link/")
    assert client.post(path)["Location"] == reverse("members:account")


def test_links_to_one_address_are_limited_per_hour(client, member, settings):
    settings.HEARD_TRUSTED_PROXY_COUNT = 1
    codes = []
    for n in range(5):  # from five different machines: the limit is the inbox's
        response = client.post(
            reverse("members:sign_in"),
            {"email": "alex@example.org"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
        codes.append(response.status_code)
    assert codes == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    assert "already sent several emails to this address" in response.content.decode()
    # The same answer for an address that is not a member's: nothing is revealed.
    for _ in range(3):
        client.post(reverse("members:sign_in"), {"email": "nobody@example.org"})
    stranger = client.post(reverse("members:sign_in"), {"email": "nobody@example.org"})
    assert stranger.status_code == 429
    assert "already sent several emails to this address" in stranger.content.decode()


def test_one_client_cannot_mail_many_addresses(client, settings):
    settings.HEARD_TRUSTED_PROXY_COUNT = 1

    def ask(email, ip):
        return client.post(
            reverse("members:sign_in"),
            {"email": email},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=ip,
        )

    codes = [ask(f"p{n}@example.org", "198.51.100.5").status_code for n in range(12)]
    assert codes == [302] * 10 + [429, 429]
    assert "from this connection" in ask("q@example.org", "198.51.100.5").content.decode()
    assert ask("q@example.org", "198.51.100.6").status_code == 302  # someone else


def test_new_codes_do_not_buy_more_guesses(client, member):
    wrong_answers = 0
    for _ in range(3):  # three emails an hour, five tries each: ten tries in all
        _request_link(client)
        code = _code(mail.outbox[-1].body)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        for _ in range(5):
            body = client.post(
                reverse("members:sign_in_check_email"), {"code": wrong}
            ).content.decode()
            wrong_answers += "The code is not right" in body
    assert wrong_answers == 10
    response = client.post(reverse("members:sign_in_check_email"), {"code": code})
    assert "too many times" in response.content.decode()


def test_signed_in_member_is_taken_to_their_account_from_join_and_sign_in(client, member):
    client.post(_request_link(client))
    assert client.get(reverse("members:join"))["Location"] == reverse("members:account")
    assert client.get(reverse("members:sign_in"))["Location"] == reverse("members:account")


# --- the 6-digit code -------------------------------------------------------------------


def _code(body):
    match = re.search(r"enter this code: (\d{6})", body)
    assert match, body
    return match.group(1)


def test_code_from_the_email_signs_in_once_and_voids_the_link(client, member):
    path = _request_link(client)
    code = _code(mail.outbox[-1].body)
    page = client.get(reverse("members:sign_in_check_email")).content.decode()
    assert "Code from the email" in page
    response = client.post(
        reverse("members:sign_in_check_email"), {"code": f"{code[:3]} {code[3:]}"}
    )
    assert response["Location"] == reverse("members:account")
    assert client.get(reverse("members:account")).status_code == 200
    event = AuditEvent.objects.filter(action=Action.MEMBER_SIGNED_IN).get()
    assert event.after == {"method": "code"}
    client.logout()
    assert client.post(path).status_code == 400  # the link went with the code


def test_wrong_codes_are_limited_and_the_message_is_the_same_for_strangers(client, member):
    _request_link(client)
    code = _code(mail.outbox[-1].body)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    messages = set()
    for _ in range(5):
        response = client.post(reverse("members:sign_in_check_email"), {"code": wrong})
        assert response.status_code == 200
        messages.add("The code is not right or has expired" in response.content.decode())
    assert messages == {True}
    response = client.post(reverse("members:sign_in_check_email"), {"code": code})
    assert "too many times" in response.content.decode()
    assert client.get(reverse("members:account")).status_code == 302

    # Someone trying codes for an address that is not a member's sees the same answers.
    stranger = Client()
    stranger.post(reverse("members:sign_in"), {"email": "nobody@example.org"})
    for _ in range(5):
        html = stranger.post(reverse("members:sign_in_check_email"), {"code": wrong}).content
        assert "The code is not right or has expired" in html.decode()
    html = stranger.post(reverse("members:sign_in_check_email"), {"code": wrong}).content
    assert "too many times" in html.decode()


def test_code_must_be_six_digits(client, member):
    _request_link(client)
    response = client.post(reverse("members:sign_in_check_email"), {"code": "12ab"})
    assert "Enter the 6-digit code from the email, like 123456" in response.content.decode()
