"""Password reset by email, delivered through a real SMTP exchange."""

import re

import pytest
from django.urls import reverse

from heard.accounts.tests.factories import PASSWORD
from heard.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def test_password_reset_by_email_link(client, make_staff, smtp_server):
    user = make_staff()
    response = client.post(reverse("account_reset_password"), {"email": user.email.upper()})
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == user.email
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+)", body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    new_password = "a-brand-new-passphrase-2026"
    done = client.post(set_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    assert AuditEvent.objects.filter(action=Action.USER_PASSWORD_RESET, actor_id=user.pk).exists()

    user.refresh_from_db()
    assert user.check_password(new_password) and not user.check_password(PASSWORD)
    # The link cannot be used twice.
    again = client.get(link, follow=True)
    assert "invalid" in again.content.decode().lower()


def test_password_reset_for_unknown_address_reveals_nothing(client, smtp_server):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.nhs.uk"})
    assert response.status_code == 302  # same answer as for a real account
    # allauth (with enumeration prevention) may tell the unknown address no account exists,
    # but nothing is sent that would help reset anything.
    assert all("/password/reset/key/" not in m.as_string() for m in smtp_server.messages)
