"""The public API gives what the public pages give, and nothing that is not yet public."""

import pytest

from heard.api.tests.helpers import world

pytestmark = pytest.mark.django_db


def _slugs(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


def test_activities_by_status_derived_from_the_dates(client):
    w = world()
    open_now = _slugs(client, "/api/public/activities?when=open")
    assert "pharmacy-hours" in open_now
    assert "dentistry" in open_now  # scheduled, but its opening time has passed
    assert "crisis-line" not in open_now
    assert _slugs(client, "/api/public/activities?when=forthcoming") == ["crisis-line"]
    closed = _slugs(client, "/api/public/activities?when=closed")
    assert w["activity"].slug in closed
    everything = open_now + closed + _slugs(client, "/api/public/activities?when=forthcoming")
    assert "secret-draft" not in everything
    item = client.get("/api/public/activities?when=open&topic=urgent-care").json()["items"]
    assert [i["slug"] for i in item] == ["pharmacy-hours"]
    assert item[0]["status"] == "open"
    assert item[0]["areas"] == ["Norwich"]


def test_activities_filter_by_area_date_and_paginate(client):
    world()
    assert _slugs(client, "/api/public/activities?when=open&area=Norwich") == ["pharmacy-hours"]
    assert _slugs(client, "/api/public/activities?when=open&area=Nowhere") == []
    # Closing before the chosen day: not included.
    from django.utils import timezone

    far = (timezone.localdate().replace(year=timezone.localdate().year + 5)).isoformat()
    assert _slugs(client, f"/api/public/activities?when=open&date_from={far}") == []
    page = client.get("/api/public/activities?when=open&page_size=1&page=2").json()
    assert page["count"] == 2 and page["page"] == 2 and len(page["items"]) == 1
    assert client.get("/api/public/activities?when=open&page=0").status_code == 422
    assert client.get("/api/public/activities?when=soon").status_code == 422
    assert client.get("/api/public/activities?q=%00").status_code == 422


def test_public_responses_are_cached_for_five_minutes(client):
    world()
    response = client.get("/api/public/activities")
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]


def test_activity_detail_shows_documents_but_never_unapproved_feedback(client):
    world()
    detail = client.get("/api/public/activities/pharmacy-hours").json()
    assert detail["documents"][0]["url"].endswith("/media/activities/background.pdf")
    assert detail["you_said_we_did"] == []
    assert (
        "not approved" not in client.get("/api/public/activities/pharmacy-hours").content.decode()
    )
    assert client.get("/api/public/activities/secret-draft").status_code == 404


def test_consultation_with_every_published_version(client):
    w = world()
    listed = _slugs(client, "/api/public/consultations")
    assert listed == [w["consultation"].slug]
    detail = client.get(f"/api/public/consultations/{w['consultation'].slug}").json()
    assert [d["number"] for d in detail["documents"]] == [1, 2]
    assert detail["documents"][0]["sections"][0]["text"] == "We propose to move the unit."
    assert detail["documents"][1]["is_correction"] is True
    assert detail["documents"][1]["reason"] == "the site was named wrongly"
    assert detail["document_versions"] == 2


def test_unpublished_or_private_consultations_are_not_there(client):
    w = world()
    proposal = w["proposal"]
    proposal.is_private = True
    proposal.save(update_fields=["is_private"])
    assert _slugs(client, "/api/public/consultations") == []
    assert client.get(f"/api/public/consultations/{w['consultation'].slug}").status_code == 404


def test_outcomes_only_approved(client):
    w = world()
    body = client.get("/api/public/outcomes").json()
    assert [i["id"] for i in body["items"]] == [w["approved"].pk]
    detail = client.get(f"/api/public/outcomes/{w['approved'].pk}").json()
    assert detail["html"] == "<p>approved words</p>"
    assert detail["activity"] == w["closed"].slug
    assert client.get(f"/api/public/outcomes/{w['pending'].pk}").status_code == 404
    assert client.get("/api/public/outcomes?kind=outcome").json()["items"] == []
    assert "NOT PUBLIC" not in client.get("/api/public/outcomes").content.decode()
    closed = client.get(f"/api/public/activities/{w['closed'].slug}").json()
    assert [f["id"] for f in closed["you_said_we_did"]] == [w["approved"].pk]
    assert client.get("/api/public/outcomes/99999999999999999999").status_code == 422


def test_groups_public_pages_only(client):
    w = world()
    assert _slugs(client, "/api/public/groups") == [w["group"].slug]
    detail = client.get(f"/api/public/groups/{w['group'].slug}").json()
    assert detail["chairs"] == ["Ada Chair"]
    assert detail["past_meetings"][0]["minutes"] == "The group discussed the stroke pathway."
    assert client.get(f"/api/public/groups/{w['hidden_group'].slug}").status_code == 404


def test_unknown_parameter_refused_rather_than_ignored(client):
    response = client.get("/api/public/activities?topics=urgent-care")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "topics"]
    assert client.get("/api/public/groups/some-group?x=1").status_code == 422
