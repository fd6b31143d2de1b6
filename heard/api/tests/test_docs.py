"""The schema and its documentation page: served, and the page asks no outside host."""

import re

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_openapi_schema_lists_every_endpoint(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = set(response.json()["paths"])
    assert {
        "/api/public/activities",
        "/api/public/activities/{slug}",
        "/api/public/consultations",
        "/api/public/consultations/{slug}",
        "/api/public/outcomes",
        "/api/public/outcomes/{publication_id}",
        "/api/public/groups",
        "/api/public/groups/{slug}",
        "/api/staff/me",
        "/api/staff/activities",
        "/api/staff/activities/{activity_id}/responses",
        "/api/staff/activities/{activity_id}/codings",
        "/api/staff/insights",
        "/api/staff/people/counts",
    } <= paths
    schemes = response.json()["components"]["securitySchemes"]
    assert schemes["TokenAuth"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_docs_page_names_no_outside_host_and_passes_the_csp(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    # Swagger UI from our own static files, not a CDN.
    assert f"{settings.STATIC_URL}ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    hosts = set(re.findall(r"https?://([^/\"'\s]+)", html))
    assert hosts <= {"testserver"}, hosts
    # No inline script that runs: the one inline <script> holds JSON settings only.
    for attrs, _body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    # Swagger UI asks the validator at validator.swagger.io unless told not to.
    assert '"validatorUrl": null' in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    # Everything the page loads is ours: served (or collected) from the static files.
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert src.startswith(settings.STATIC_URL), src


def test_swagger_ui_files_are_shipped_with_ninja():
    from django.contrib.staticfiles import finders

    for name in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        assert finders.find(f"ninja/{name}"), name
