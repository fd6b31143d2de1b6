"""The public site shell: titles, no cookies, security headers, friendly errors."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

PAGES = [
    ("public:home", None),
    ("public:about", "How we involve people"),
    ("public:accessibility", "Accessibility statement"),
    ("public:privacy", "Privacy notice"),
    ("public:cookies", "Cookies"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "title"), PAGES)
def test_public_page_has_title_h1_and_sets_no_cookies(client, name, title):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    page_title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    if title:
        assert page_title == f"{title} – {settings.HEARD_SITE_NAME}"
    else:
        assert page_title == f"{settings.HEARD_SITE_NAME} – {settings.HEARD_ORGANISATION_NAME}"
    assert html.count("<h1") == 1
    assert settings.HEARD_ORGANISATION_NAME in html
    assert 'href="#maincontent"' in html and 'id="maincontent"' in html
    assert not response.cookies, "public pages must not set any cookie"


@pytest.mark.django_db
def test_content_security_policy_uses_a_fresh_nonce_per_response(client):
    first = client.get(reverse("public:home"))
    second = client.get(reverse("public:home"))
    policy = first["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'nonce="{nonce}"' in first.content.decode()
    assert nonce not in second["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert first["X-Frame-Options"] == "DENY"
    assert first["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    response = client.get(reverse("public:home"))
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    echoed = client.get(reverse("public:home"), headers={"X-Request-ID": "proxy-abc-12345"})
    assert echoed["X-Request-ID"] == "proxy-abc-12345"
    hostile = client.get(
        reverse("public:home"), headers={"X-Request-ID": "<script>alert(1)</script>"}
    )
    assert "<" not in hostile["X-Request-ID"]


@pytest.mark.django_db
def test_unknown_url_gets_a_styled_404(client):
    response = client.get("/no-such-page/../%00/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "nhsuk-header" in html
    assert "Traceback" not in html


@pytest.mark.django_db
def test_server_error_page_is_styled_and_gives_a_reference(rf):
    from heard.core.views import server_error

    request = rf.get("/")
    request.request_id = "abc123"
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html and "abc123" in html


@pytest.mark.django_db
def test_form_posted_without_csrf_token_is_refused_clearly(make_staff):
    client = Client(enforce_csrf_checks=True)
    user = make_staff()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "x"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
