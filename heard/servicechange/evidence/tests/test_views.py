"""The staff page: build a pack (a task), see it ready, download it; each step audited."""

import io
import zipfile

import pytest
from django.urls import reverse

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.servicechange.evidence import verify
from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal

pytestmark = pytest.mark.django_db


def test_a_programme_lead_builds_and_downloads_a_pack(
    staff_client, django_capture_on_commit_callbacks
) -> None:
    client, lead = staff_client(Role.PROGRAMME_LEAD)
    proposal = make_consulted_proposal()["proposal"]
    page = reverse("evidence:proposal", args=[proposal.pk])
    assert "No evidence pack has been built" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evidence:build", args=[proposal.pk]))
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert "Ready," in html and "Download" in html
    link = html.split('href="/staff/evidence/pack/')[1].split('"')[0]
    download = client.get(f"/staff/evidence/pack/{link}")
    assert download["Content-Type"] == "application/zip"
    assert verify.verify_pack(io.BytesIO(download.content)).ok
    assert zipfile.ZipFile(io.BytesIO(download.content)).read("proposal.json")
    for action in (
        Action.EVIDENCE_PACK_REQUESTED,
        Action.EVIDENCE_PACK_BUILT,
        Action.EVIDENCE_PACK_DOWNLOADED,
    ):
        event = AuditEvent.objects.get(action=action)
        assert event.actor_id == lead.pk and event.subject_id == str(proposal.pk)
    # the proposal's staff page links to it
    proposal_page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert page in proposal_page
