"""Only public activity documents are served from the media folder."""

from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import clear_url_caches


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "activities").mkdir()
    (tmp_path / "activities" / "easy-read.txt").write_text("Easy Read version")
    (tmp_path / "imports").mkdir()
    (tmp_path / "imports" / "members.csv").write_text("name,email\nJo,jo@example.com")
    return Path(tmp_path)


def _reload_urls():
    import importlib

    import heard.urls

    clear_url_caches()
    importlib.reload(heard.urls)


@pytest.mark.django_db
def test_debug_serves_activity_documents_but_not_private_uploads(client, media):
    try:
        with override_settings(DEBUG=True):
            _reload_urls()
            assert client.get("/media/activities/easy-read.txt").status_code == 200
            assert client.get("/media/imports/members.csv").status_code == 404
            assert client.get("/media/activities/../imports/members.csv").status_code in (400, 404)
    finally:
        _reload_urls()
    # With DEBUG off (production), Django serves no media at all.
    assert client.get("/media/activities/easy-read.txt").status_code == 404
