"""With DEBUG on (the demo), a missing page is the product's own, not Django's."""

import pytest
from django.test import override_settings

MIDDLEWARE_OWN_404 = "heard.core.errors.OwnNotFoundPageMiddleware"


@pytest.mark.django_db
def test_missing_page_with_debug_on_is_our_own(client, settings):
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE_OWN_404]
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert "DEBUG = True" not in html and "URLconf" not in html


@pytest.mark.django_db
def test_without_the_middleware_django_shows_its_technical_page(client, settings):
    """The check above can fail: with DEBUG on and no middleware, Django's page shows."""
    settings.DEBUG = True
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != MIDDLEWARE_OWN_404]):
        response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"DEBUG = True" in response.content


def test_dev_settings_add_it():
    from heard.settings import dev

    assert MIDDLEWARE_OWN_404 in dev.MIDDLEWARE


@pytest.mark.django_db
def test_staff_refused_a_page_keep_the_staff_header(staff_client, client):
    """Found in a click-through: a signed-in officer refused the audit trail saw the
    public header ("Member sign in"), with no staff navigation and no sign-out."""
    from django.urls import reverse

    from heard.core.roles import Role

    officer, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    page = officer.get(reverse("audit:events"))
    assert page.status_code == 403
    text = page.content.decode()
    assert "You do not have permission to see this page" in text
    assert "– staff</span>" in text and "Member sign in" not in text
