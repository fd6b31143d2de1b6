"""Saved searches: per user, named, re-runnable, audited."""

import pytest
from django.urls import reverse

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.insight.models import SavedSearch
from heard.insight.tests.helpers import add_insights

pytestmark = pytest.mark.django_db


def test_save_rerun_and_delete_a_search(staff_client, make_staff):
    add_insights(["Parking at the hospital is awful"], locality="Norwich")
    add_insights(["Parking in Lowestoft is fine"], locality="Waveney")
    client, user = staff_client(Role.PROGRAMME_LEAD)
    response = client.post(
        reverse("insight:saved_create"),
        {"name": "Norwich parking", "q": "parking", "locality": "Norwich", "page": "3"},
        follow=True,
    )
    page = response.content.decode()
    assert "Search saved as “Norwich parking”" in page
    saved = SavedSearch.objects.get(owner=user)
    assert saved.params == {"q": "parking", "locality": "Norwich"}
    # The saved search is listed with a link that runs it again.
    link = reverse("insight:search") + "?q=parking&amp;locality=Norwich"
    assert link in page
    rerun = client.get(reverse("insight:search"), {"q": "parking", "locality": "Norwich"})
    assert "1 insight found" in rerun.content.decode()
    assert AuditEvent.objects.filter(action=Action.SAVED_SEARCH_SAVED).count() == 1

    # Another user cannot see or delete it.
    other = make_staff(Role.ANALYST)
    client.force_login(other)
    assert "Norwich parking" not in client.get(reverse("insight:search")).content.decode()
    response = client.post(reverse("insight:saved_delete"), {"saved": saved.pk}, follow=True)
    assert "no longer exists" in response.content.decode()
    assert SavedSearch.objects.filter(pk=saved.pk).exists()

    client.force_login(user)
    response = client.post(reverse("insight:saved_delete"), {"saved": saved.pk}, follow=True)
    assert "has been deleted" in response.content.decode()
    assert not SavedSearch.objects.exists()
    assert AuditEvent.objects.filter(action=Action.SAVED_SEARCH_DELETED).count() == 1


def test_a_search_needs_a_name(staff_client):
    client, _ = staff_client(Role.ANALYST)
    response = client.post(reverse("insight:saved_create"), {"q": "parking"}, follow=True)
    assert "Enter a name for the search" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_search_page_shows_highlighted_escaped_results(staff_client):
    add_insights(["<b>Parking</b> & waiting were bad"])
    client, _ = staff_client(Role.DECISION_MAKER)
    page = client.get(reverse("insight:search"), {"q": "parking"}).content.decode()
    assert "&lt;b&gt;<mark>Parking</mark>&lt;/b&gt; &amp; waiting" in page
    assert "<b>Parking" not in page


def test_bad_dates_are_explained(staff_client):
    client, _ = staff_client(Role.DECISION_MAKER)
    page = client.get(
        reverse("insight:search"), {"date_from": "2025-05-01", "date_to": "2025-01-01"}
    ).content.decode()
    assert "nhsuk-error-summary" in page
    assert "must be the same as or after" in page


def test_themes_coded_by_analysis_can_be_chosen_as_a_filter(staff_client):
    add_insights(["Could not get through on the phone"], themes=("Access to GP",))
    add_insights(["Lovely staff"])
    client, _ = staff_client(Role.ANALYST)
    page = client.get(reverse("insight:search")).content.decode()
    assert '<option value="Access to GP">Access to GP</option>' in page
    found = client.get(reverse("insight:search"), {"q": "phone", "theme": "Access to GP"})
    assert "1 insight found" in found.content.decode()
