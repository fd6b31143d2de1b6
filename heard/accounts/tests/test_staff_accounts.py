"""Administrators manage staff accounts; every change is audited."""

import re

import pytest
from django.urls import reverse

from heard.accounts.models import User
from heard.accounts.selectors import user_has_totp
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role

pytestmark = pytest.mark.django_db


def test_invite_creates_staff_account_and_emails_a_set_password_link(
    staff_client, smtp_server, django_capture_on_commit_callbacks
):
    client, admin = staff_client(Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("users:invite"),
            {"full_name": "Nadia Brown", "email": "Nadia.Brown@example.nhs.uk", "role": "analyst"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="nadia.brown@example.nhs.uk")
    assert user.role == Role.ANALYST and not user.has_usable_password()
    assert len(smtp_server.messages) == 1
    body = smtp_server.messages[0].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+)", body).group(1)
    client.logout()
    page = client.get(link, follow=True)
    set_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    done = client.post(
        set_url, {"password1": "first-password-for-nadia", "password2": "first-password-for-nadia"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("first-password-for-nadia")
    event = AuditEvent.objects.get(action=Action.USER_CREATED, subject_id=str(user.pk))
    assert event.actor_id == admin.pk and event.after == {"role": "analyst"}


def test_invite_with_a_taken_email_says_so_and_creates_nothing(staff_client, make_staff):
    client, _ = staff_client(Role.ADMINISTRATOR)
    existing = make_staff()
    response = client.post(
        reverse("users:invite"), {"full_name": "X", "email": existing.email, "role": "analyst"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email=existing.email).count() == 1


def test_role_change_is_audited_with_before_and_after(staff_client, make_staff):
    client, _admin = staff_client(Role.ADMINISTRATOR)
    analyst = make_staff(Role.ANALYST)
    client.post(reverse("users:detail", args=[analyst.pk]), {"role": "decision_maker"})
    analyst.refresh_from_db()
    assert analyst.role == Role.DECISION_MAKER
    event = AuditEvent.objects.get(action=Action.USER_ROLE_CHANGED)
    assert (event.before, event.after) == ({"role": "analyst"}, {"role": "decision_maker"})


def test_the_last_administrator_cannot_be_demoted_or_switched_off(staff_client):
    client, admin = staff_client(Role.ADMINISTRATOR)
    response = client.post(reverse("users:detail", args=[admin.pk]), {"role": "analyst"})
    assert "only administrator" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR
    response = client.post(reverse("users:toggle_active", args=[admin.pk]), follow=True)
    assert "cannot switch off your own account" in response.content.decode()


def test_switched_off_staff_cannot_use_the_staff_area(staff_client, make_staff, client):
    admin_client, _ = staff_client(Role.ADMINISTRATOR)
    officer = make_staff()
    admin_client.post(reverse("users:toggle_active", args=[officer.pk]))
    officer.refresh_from_db()
    assert not officer.is_active
    assert AuditEvent.objects.filter(
        action=Action.USER_DEACTIVATED, subject_id=str(officer.pk)
    ).exists()


def test_reset_two_factor_removes_the_app(staff_client, make_staff):
    client, _ = staff_client(Role.ADMINISTRATOR)
    officer = make_staff()
    assert user_has_totp(officer)
    client.post(reverse("users:reset_two_factor", args=[officer.pk]))
    assert not user_has_totp(officer)
