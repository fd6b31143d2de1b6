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
