"""Analysis results (signed-off themes with counts, codings) and open data of a published
outcome (only what was approved, OGL v3.0, small numbers suppressed)."""

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from heard.analysis.models import Theme
from heard.core.roles import Role
from heard.exports import services
from heard.exports.models import Export
from heard.servicechange.outcomes import services as outcome_services
from heard.servicechange.outcomes.models import Publication
from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal, respond_to_all

pytestmark = pytest.mark.django_db

MAY_ANALYSE = {
    Role.ADMINISTRATOR,
    Role.ENGAGEMENT_OFFICER,
    Role.ANALYST,
    Role.PROGRAMME_LEAD,
    Role.DECISION_MAKER,
}


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_analysis_export_uses_the_signed_off_codeframe_and_lists_every_coding(make_staff):
    made = make_consulted_proposal()
    # the live codeframe changes after sign-off: the export reports the signed-off version
    Theme.objects.filter(pk=made["themes"]["Parking"].pk).update(name="Renamed since")
    analyst = make_staff(Role.ANALYST)
    export = services.export_request(
        kind="analysis", fmt="xlsx", actor=analyst, question=made["question"]
    )
    book = openpyxl.load_workbook(io.BytesIO(bytes(export.data)))
    themes = [[c.value for c in row] for row in book["Themes"].iter_rows(min_row=2)]
    assert [(r[1], r[5]) for r in themes] == [("Travel to the new site", 3), ("Parking", 2)]
    codings = [[c.value for c in row] for row in book["Codings"].iter_rows(min_row=2)]
    assert len(codings) == 5
    assert {r[4] for r in codings} == {"Travel to the new site", "Parking"}
    assert {(r[5], r[7]) for r in codings} == {("Person", "Accepted")}
    assert "signed off" in book["About"]["B3"].value
    # a ZIP of two CSV files, and JSON
    zipped = services.export_request(
        kind="analysis", fmt="csv", actor=analyst, question=made["question"]
    )
    with zipfile.ZipFile(io.BytesIO(bytes(zipped.data))) as archive:
        assert len(_rows(archive.read("codings.csv"))) == 6
        assert _rows(archive.read("themes.csv"))[2][1] == "Parking"
    doc = json.loads(
        bytes(
            services.export_request(
                kind="analysis", fmt="json", actor=analyst, question=made["question"]
            ).data
        )
    )
    assert doc["metadata"]["signed_off_version"] == 1
    assert len(doc["codings"]) == 5 and doc["themes"][0]["Answers"] == 3


def test_without_sign_off_the_live_codeframe_is_exported_and_said_so(make_staff):
    made = make_consulted_proposal(sign_off=False)
    export = services.export_request(
        kind="analysis", fmt="json", actor=make_staff(Role.ANALYST), question=made["question"]
    )
    doc = json.loads(bytes(export.data))
    assert doc["metadata"]["signed_off_version"] is None
    assert "not signed off" in doc["metadata"]["themes_from"]


@pytest.mark.parametrize("role", sorted(Role))
def test_who_may_export_analysis(make_staff, role):
    made = make_consulted_proposal()
    user = make_staff(role)
    if role in MAY_ANALYSE:
        assert (
            services.export_request(
                kind="analysis", fmt="csv", actor=user, question=made["question"]
            ).status
            == Export.Status.DONE
        )
    else:
        with pytest.raises(PermissionDenied):
            services.export_request(
                kind="analysis", fmt="csv", actor=user, question=made["question"]
            )


def _published(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    respond_to_all(proposal, made["themes"], officer)
    outcome_services.outcome_update(
        proposal=proposal,
        actor=officer,
        summary="Most people were worried about travel.",
        why="A substantial change.",
        next_steps="We will review it.",
    )
    outcome_services.report_issue(proposal=proposal, actor=officer, issued_to="ICB board")
    # issuing sends the outcome for approval
    item = Publication.objects.get(proposal=proposal, status=Publication.Status.PENDING)
    return made, item, officer


def test_open_data_only_from_an_approved_publication(client, make_staff):
    made, item, _ = _published(make_staff)
    reader = make_staff(Role.SCRUTINY_READER)
    client.force_login(reader)
    url = reverse("exports:open_data", args=[item.pk])
    assert client.post(url).status_code == 404  # pending: not published
    with pytest.raises(PermissionDenied):
        services.export_request(kind="open_data", fmt="zip", actor=reader, publication=item)
    outcome_services.publication_approve(publication=item, actor=make_staff(Role.ADMINISTRATOR))
    # the live record changes after approval: open data keeps what was approved
    Theme.objects.filter(pk=made["themes"]["Parking"].pk).update(name="Changed live")
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert set(archive.namelist()) == {"themes.csv", "data.json", "README.txt", "LICENCE.txt"}
        licence = archive.read("LICENCE.txt").decode()
        assert "Open Government Licence v3.0" in licence
        assert "Open Government Licence v3.0" in archive.read("README.txt").decode()
        doc = json.loads(archive.read("data.json"))
        rows = _rows(archive.read("themes.csv"))
    assert doc["metadata"]["licence"]["name"] == "Open Government Licence v3.0"
    assert doc["metadata"]["publication_id"] == item.pk
    names = [t["Theme"] for t in doc["themes"]]
    assert names == ["Travel to the new site", "Parking"]
    assert "Changed live" not in json.dumps(doc)
    # 3 and 2 answers, 5 responses: all under 10, so not shown
    assert {t["Answers"] for t in doc["themes"]} == {"fewer than 10"}
    assert doc["metadata"]["total_responses"] == "fewer than 10"
    assert rows[0][0] == "Theme" and rows[1][2] == "fewer than 10"


def test_open_data_of_a_withdrawn_or_rejected_publication_is_refused(make_staff):
    _, item, _ = _published(make_staff)
    Publication.objects.filter(pk=item.pk).update(status=Publication.Status.REJECTED)
    item.refresh_from_db()
    with pytest.raises(PermissionDenied, match="published"):
        services.export_request(
            kind="open_data", fmt="zip", actor=make_staff(Role.ADMINISTRATOR), publication=item
        )
