"""The staff API by role: each endpoint asks the permission the staff pages ask, with the
token's holder; tokens that are revoked, expired, unknown or missing are refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from heard.api.models import ApiToken
from heard.api.tests.helpers import PERSONAL, bearer, token_for, world
from heard.audit.models import AuditEvent
from heard.core.roles import Role

pytestmark = pytest.mark.django_db

R = Role
READ_SAID = {R.ADMINISTRATOR, R.ENGAGEMENT_OFFICER, R.ANALYST, R.PROGRAMME_LEAD, R.DECISION_MAKER}
UNREDACTED = {R.ADMINISTRATOR, R.ENGAGEMENT_OFFICER}
REACH = {R.ADMINISTRATOR, R.ENGAGEMENT_OFFICER, R.ANALYST, R.PROGRAMME_LEAD}


def _endpoints(w):
    a = w["activity"].pk
    return {
        "/api/staff/me": set(Role),
        "/api/staff/activities": set(Role),
        f"/api/staff/activities/{a}/responses": READ_SAID,
        f"/api/staff/activities/{a}/responses?unredacted=true": UNREDACTED,
        "/api/staff/insights": READ_SAID,
        f"/api/staff/activities/{a}/codings": READ_SAID,
        "/api/staff/people/counts": REACH,
    }


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_endpoint_by_role(client, make_staff, role):
    w = world()
    _token, secret = token_for(make_staff, role)
    for url, allowed in _endpoints(w).items():
        response = client.get(url, **bearer(secret))
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (url, role, response.content[:200])
        assert "no-store" in response["Cache-Control"]


def test_no_token_is_401_on_every_staff_endpoint(client):
    w = world()
    for url in _endpoints(w):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_responses_redacted_by_default_and_unredacted_only_with_the_permission(client, make_staff):
    w = world()
    url = f"/api/staff/activities/{w['activity'].pk}/responses"
    _t, officer = token_for(make_staff, R.ENGAGEMENT_OFFICER)
    _t, analyst = token_for(make_staff, R.ANALYST)
    _t, scrutiny = token_for(make_staff, R.SCRUTINY_READER)

    redacted = client.get(url, **bearer(analyst)).json()
    assert redacted["redacted"] is True
    said = [a["answer"] for r in redacted["items"] for a in r["answers"]]
    assert any("[" in text for text in said)
    assert not any("07700 900123" in text or "Margaret Thompson" in text for text in said)

    full = client.get(url + "?unredacted=true", **bearer(officer)).json()
    assert full["redacted"] is False
    assert PERSONAL in [a["answer"] for r in full["items"] for a in r["answers"]]

    for secret in (analyst, scrutiny):
        refused = client.get(url + "?unredacted=true", **bearer(secret))
        assert refused.status_code == 403
        assert "07700" not in refused.content.decode()
    assert client.get(url, **bearer(scrutiny)).status_code == 403
    refusals = AuditEvent.objects.filter(action="api.token_refused")
    assert refusals.count() >= 3


def test_codings_and_counts_content(client, make_staff):
    w = world()
    _t, secret = token_for(make_staff, R.ANALYST)
    codings = client.get(
        f"/api/staff/activities/{w['activity'].pk}/codings?status=accepted", **bearer(secret)
    ).json()
    assert codings["count"] == 5
    assert {c["theme"] for c in codings["items"]} == {"Travel to the new site", "Parking"}
    counts = client.get("/api/staff/people/counts", **bearer(secret)).json()
    assert counts["members"] == 26  # 25 made here and the group's chair
    locality = next(c for c in counts["charts"] if c["key"] == "locality")
    by_place = {row["category"]: row for row in locality["rows"]}
    # 5 in Breckland: fewer than the threshold, so not shown.
    assert by_place["Breckland"]["count"] is None
    assert by_place["Breckland"]["label"] == "fewer than 10"
    assert "5" not in {row["label"] for row in locality["rows"]}
    body = client.get("/api/staff/people/counts", **bearer(secret)).content.decode()
    assert "Person 1" not in body and "example.org" not in body


def test_revoked_expired_and_unknown_tokens_are_refused(client, make_staff):
    world()
    token, secret = token_for(make_staff, R.ADMINISTRATOR)
    assert client.get("/api/staff/me", **bearer(secret)).status_code == 200

    from heard.api import services

    services.api_token_revoke(token=token, actor=token.user)
    assert client.get("/api/staff/me", **bearer(secret)).status_code == 401
    assert AuditEvent.objects.filter(action="api.token_refused", subject_id=str(token.pk)).exists()

    expired, old_secret = token_for(make_staff, R.ADMINISTRATOR)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/staff/me", **bearer(old_secret)).status_code == 401

    made, good = token_for(make_staff, R.ADMINISTRATOR)
    unknown = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    assert client.get("/api/staff/me", **bearer(unknown)).status_code == 401
    assert client.get("/api/staff/me", **bearer("not a token")).status_code == 401
    assert client.get("/api/staff/me", HTTP_AUTHORIZATION=f"Basic {good}").status_code == 401
    # A session is not a token: a signed-in staff member's browser gets 401 too.
    client.force_login(made.user)
    assert client.get("/api/staff/me").status_code == 401


def test_token_stops_when_the_role_changes_or_the_account_is_switched_off(client, make_staff):
    token, secret = token_for(make_staff, R.ENGAGEMENT_OFFICER)
    user = token.user
    user.role = R.SCRUTINY_READER
    user.save(update_fields=["role"])
    assert client.get("/api/staff/me", **bearer(secret)).status_code == 401
    user.role = R.ENGAGEMENT_OFFICER
    user.is_active = False
    user.save(update_fields=["role", "is_active"])
    assert client.get("/api/staff/me", **bearer(secret)).status_code == 401


def test_stored_hashed_never_in_clear(make_staff):
    import hashlib

    token, secret = token_for(make_staff, R.ANALYST)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert secret.startswith("heard_") and len(secret) == 49
    event = AuditEvent.objects.get(action="api.token_created", subject_id=str(token.pk))
    assert secret not in str(event.after)


def test_rate_limited_per_token(client, make_staff, settings):
    settings.HEARD_API_TOKEN_RATE_LIMIT = 3
    _t, first = token_for(make_staff, R.ANALYST)
    _other, second = token_for(make_staff, R.ANALYST)
    for _ in range(3):
        assert client.get("/api/staff/me", **bearer(first)).status_code == 200
    limited = client.get("/api/staff/me", **bearer(first))
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert client.get("/api/staff/me", **bearer(first)).status_code == 429
    # Another token of the same kind is counted apart.
    assert client.get("/api/staff/me", **bearer(second)).status_code == 200
    # One audit event per window, not one per refused request.
    assert (
        AuditEvent.objects.filter(action="api.token_refused", after__reason="rate limit").count()
        == 1
    )
