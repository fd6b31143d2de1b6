"""Members of the public are not staff: allauth's pages and the staff sign-in are closed
to them; staff pages are never stored by a browser or cache."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from heard.accounts.tests.factories import PASSWORD
from heard.core.roles import Role

pytestmark = pytest.mark.django_db

ALLAUTH_PAGES = [
    "account_set_password",
    "account_change_password",
    "account_email",
    "account_reauthenticate",
    "mfa_index",
    "mfa_activate_totp",
]


@pytest.mark.parametrize("name", ALLAUTH_PAGES)
def test_a_signed_in_member_is_taken_from_allauths_pages_to_their_member_area(
    client, make_member, name
):
    client.force_login(make_member())
    for method in (client.get, client.post):
        response = method(reverse(name), {"email": "someone-else@example.org"})
        assert response.status_code == 302
        assert response["Location"] == reverse("members:account")


def test_a_member_cannot_attach_another_persons_address(client, make_member):
    from allauth.account.models import EmailAddress

    user = make_member()
    client.force_login(user)
    client.post(reverse("account_email"), {"action_add": "", "email": "victim@example.org"})
    assert not EmailAddress.objects.filter(email="victim@example.org").exists()


def test_an_account_with_neither_role_nor_membership_gets_not_found(client):
    from heard.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(role=""))
    assert client.get(reverse("account_change_password")).status_code == 404
    # Signing out stays open to everyone.
    assert client.post(reverse("account_logout")).status_code == 302


def test_the_staff_sign_in_refuses_a_member_account_with_a_clear_message(client, make_member):
    member = make_member()  # (a member with a password, as the old pages allowed)
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This sign-in is for staff" in html
    assert f'href="{reverse("members:sign_in")}"' in html
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("members:account")).status_code == 302  # not signed in


def test_staff_still_sign_in(client, make_staff):
    user = make_staff(Role.ANALYST)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")


def test_a_password_reset_is_never_mailed_to_a_member(client, make_member, make_staff):
    member = make_member()
    client.post(reverse("account_reset_password"), {"email": member.email})
    assert not any("/password/reset/key/" in m.body for m in mail.outbox)
    staff = make_staff()
    client.post(reverse("account_reset_password"), {"email": staff.email})
    assert any("/password/reset/key/" in m.body for m in mail.outbox)


def test_staff_pages_and_sign_in_are_never_stored(client, make_staff):
    client.force_login(make_staff(Role.ADMINISTRATOR))
    for url in (reverse("staff:dashboard"), reverse("audit:events"), reverse("account_login")):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
    # The public site keeps its own caching rules.
    assert "no-store" not in client.get(reverse("public:home")).get("Cache-Control", "")


ROOT = Path(__file__).resolve().parents[3]


def test_manage_py_uses_production_settings_unless_told_otherwise():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "DJANGO_SECRET_KEY is missing" in result.stderr
    assert "DJANGO_SETTINGS_MODULE=heard.settings.dev" in result.stderr
    wsgi = (ROOT / "heard" / "wsgi.py").read_text()
    assert '"DJANGO_SETTINGS_MODULE", "heard.settings.production"' in wsgi
