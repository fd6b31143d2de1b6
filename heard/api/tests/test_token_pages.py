"""Making and revoking a token in the staff area: shown once, stored hashed, audited."""

import re

import pytest
from django.urls import reverse

from heard.api.models import ApiToken
from heard.audit.models import AuditEvent
from heard.core.roles import Role

pytestmark = pytest.mark.django_db


def test_make_show_once_use_and_revoke(client, make_staff):
    user = make_staff(Role.ANALYST)
    client.force_login(user)
    page = client.get(reverse("api_tokens:list"))
    assert page.status_code == 200
    assert "You have no API tokens" in page.content.decode()

    made = client.post(reverse("api_tokens:create"), {"name": "Power BI report", "days": "30"})
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    secret = re.search(
        r'<code id="api-token">(heard_[A-Za-z0-9_-]{43})</code>', made.content.decode()
    )
    assert secret
    secret = secret.group(1)
    token = ApiToken.objects.get(user=user)
    assert token.role == Role.ANALYST
    assert AuditEvent.objects.filter(action="api.token_created", actor_id=user.pk).count() == 1

    # Never shown again.
    listing = client.get(reverse("api_tokens:list")).content.decode()
    assert secret not in listing
    assert token.prefix in listing

    client.logout()
    assert client.get("/api/staff/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200

    client.force_login(user)
    revoked = client.post(reverse("api_tokens:revoke"), {"token": str(token.pk)})
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == user
    assert AuditEvent.objects.filter(action="api.token_revoked", subject_id=str(token.pk)).exists()
    client.logout()
    assert client.get("/api/staff/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401

    client.force_login(user)
    again = client.post(reverse("api_tokens:revoke"), {"token": str(token.pk)}, follow=True)
    assert "already revoked" in again.content.decode()


def test_cannot_revoke_someone_elses_token(client, make_staff):
    from heard.api import services

    owner = make_staff(Role.ADMINISTRATOR)
    token, _secret = services.api_token_create(user=owner, name="Owner's token", days=7)
    client.force_login(make_staff(Role.ADMINISTRATOR))
    response = client.post(reverse("api_tokens:revoke"), {"token": str(token.pk)}, follow=True)
    assert "That is not one of your tokens" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    # Nor see it in their list.
    assert "Owner&#x27;s token" not in client.get(reverse("api_tokens:list")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "days": "30"}, "Enter what the token is for"),
        ({"name": "-", "days": "30"}, "Enter what the token is for"),
        ({"name": "Report", "days": "3650"}, "from the options given"),
        ({"name": "Report"}, "Choose how long the token lasts"),
    ],
)
def test_refuses_placeholders_and_odd_lifetimes(client, make_staff, data, message):
    client.force_login(make_staff(Role.ANALYST))
    response = client.post(reverse("api_tokens:create"), data)
    assert response.status_code == 400
    assert ApiToken.objects.count() == 0
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body


def test_a_member_of_the_public_cannot_have_a_token(make_member):
    from django.core.exceptions import ValidationError

    from heard.api import services

    member_user = make_member()
    with pytest.raises(ValidationError):
        services.api_token_create(user=member_user, name="Sneaky", days=7)
