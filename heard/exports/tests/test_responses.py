"""Responses of an activity as CSV, XLSX and JSON: one column per question key across
versions, redacted by default, unredacted only for a role allowed it (checked in the
service), never equality answers or contact details, hostile cells neutralised."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.exports import services
from heard.exports.models import Export
from heard.exports.tests.helpers import HOSTILE, make_activity_with_versions
from heard.exports.writers import Table, cell, write_csv, write_xlsx
from heard.insight.models import Insight

pytestmark = pytest.mark.django_db

MAY_EXPORT = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.ANALYST, Role.PROGRAMME_LEAD}
MAY_UNREDACT = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER}


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _export(actor, made, fmt="csv", unredacted=False) -> Export:
    return services.export_request(
        kind="responses", fmt=fmt, actor=actor, activity=made["activity"], unredacted=unredacted
    )


def test_one_column_per_question_key_across_versions_with_version_and_channel(make_staff):
    made = make_activity_with_versions()
    export = _export(make_staff(Role.ANALYST), made)
    assert export.status == Export.Status.DONE
    rows = _csv(bytes(export.data))
    header = rows[0]
    assert header[:4] == ["Reference", "Submitted", "Channel", "Questionnaire version"]
    questions = header[7:]
    # the newest version's wording and order, then the key only version 1 asked
    assert questions == [
        "What do you think of the plan? [views]",
        "Do you agree? [choice]",
        "Anything else? [extra]",
        "Your postcode [postcode]",
    ]
    body = {r[0]: r for r in rows[1:]}
    assert len(body) == 3
    r1, r2, r3 = (body[r.reference] for r in made["responses"])
    assert (r1[2], r1[3], r3[2], r3[3]) == ("Online", "1", "Paper", "2")
    assert r1[8] == "Yes" and r2[8] == "No" and r3[8] == "Yes"
    assert r3[7] == "Good plan"
    assert r1[9] == "" and r3[10] == ""  # not asked in that version
    assert export.rows == 3


def test_never_equality_answers_and_postcode_cut_to_district(make_staff):
    made = make_activity_with_versions()
    for fmt in ("csv", "json"):
        export = _export(make_staff(Role.ENGAGEMENT_OFFICER), made, fmt=fmt, unredacted=True)
        text = bytes(export.data).decode("utf-8-sig")
        assert "secret-equality-answer" not in text
        assert "secret-age-band" not in text
        assert "About you" not in text
        assert "NR1 3SR" not in text and "3SR" not in text
        assert "NR1" in text


def test_free_text_redacted_by_default_using_the_insight_banks_copy(make_staff):
    made = make_activity_with_versions()
    r3 = made["responses"][2]
    answer = r3.answers.get(question__key="views")
    Insight.objects.create(
        text=answer.text,
        redacted_text="STORED REDACTED COPY",
        source="response",
        occurred_on=r3.submitted_at.date(),
        response=r3,
        answer=answer,
    )
    data = bytes(_export(make_staff(Role.ANALYST), made).data).decode("utf-8-sig")
    assert "John Smith" not in data and "07700 900123" not in data
    assert "[NAME]" in data or "[PHONE]" in data
    assert "STORED REDACTED COPY" in data and "Good plan" not in data


@pytest.mark.parametrize("role", sorted(Role))
def test_who_may_export_and_who_gets_the_words_unredacted(make_staff, role):
    made = make_activity_with_versions()
    user = make_staff(role)
    if role not in MAY_EXPORT:
        with pytest.raises(PermissionDenied):
            _export(user, made)
        return
    redacted = _export(user, made)
    assert redacted.redacted and "John Smith" not in bytes(redacted.data).decode("utf-8-sig")
    if role in MAY_UNREDACT:
        full = _export(user, made, unredacted=True)
        assert not full.redacted
        assert "John Smith" in bytes(full.data).decode("utf-8-sig")
    else:
        # the service refuses, whatever the view showed
        with pytest.raises(PermissionDenied, match="placeholders"):
            _export(user, made, unredacted=True)


def test_an_unredacted_file_is_not_downloadable_by_a_role_that_gets_redacted(client, make_staff):
    made = make_activity_with_versions()
    full = _export(make_staff(Role.ENGAGEMENT_OFFICER), made, unredacted=True)
    client.force_login(make_staff(Role.ANALYST))
    assert client.get(reverse("exports:download", args=[full.pk])).status_code == 403
    assert client.get(reverse("exports:detail", args=[full.pk])).status_code == 403
    client.force_login(make_staff(Role.ADMINISTRATOR))
    assert client.get(reverse("exports:download", args=[full.pk])).status_code == 200


def test_hostile_cells_are_neutralised_in_csv_and_xlsx(make_staff):
    made = make_activity_with_versions()
    # staff wording can be hostile too: the header row is neutralised
    made["q2"]["extra"].text = "=cmd|' /C calc'!A0"
    made["q2"]["extra"].save()
    rows = _csv(bytes(_export(make_staff(Role.ENGAGEMENT_OFFICER), made, unredacted=True).data))
    cells = [c for row in rows for c in row]
    assert "'=cmd|' /C calc'!A0 [extra]" in rows[0]
    assert "'" + HOSTILE[0] in cells and "'" + HOSTILE[1] in cells
    assert not any(c[:1] in "=+-@\t\r" for c in cells if c)
    book = openpyxl.load_workbook(
        io.BytesIO(
            bytes(
                _export(make_staff(Role.ENGAGEMENT_OFFICER), made, fmt="xlsx", unredacted=True).data
            )
        )
    )
    sheet = book["Responses"]
    values = [c for row in sheet.iter_rows() for c in row if c.value not in (None, "")]
    assert all(c.data_type != "f" for c in values)
    assert not any(isinstance(c.value, str) and c.value[:1] in "=+-@\t\r" for c in values)
    assert "'" + HOSTILE[0] in [c.value for c in values]


@pytest.mark.parametrize("value", [*HOSTILE, "\uff1dSUM(A1)", "\nline"])
def test_every_leading_formula_character_gets_an_apostrophe(value):
    assert cell(value) == "'" + value
    out = io.BytesIO()
    write_csv(out, Table("t", [value], [[value, 5, -3]]))
    assert _csv(out.getvalue()) == [["'" + value], ["'" + value, "5", "-3"]]
    book_out = io.BytesIO()
    write_xlsx(book_out, [Table("t", ["h"], [[value, -3]])])
    sheet = openpyxl.load_workbook(io.BytesIO(book_out.getvalue())).active
    assert sheet["A2"].value.startswith("'") and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -3  # numbers stay numbers


def test_json_has_metadata_and_a_row_per_response_keyed_by_question(make_staff):
    made = make_activity_with_versions()
    doc = json.loads(bytes(_export(make_staff(Role.ANALYST), made, fmt="json").data))
    assert doc["metadata"]["redacted"] is True
    assert doc["metadata"]["questionnaire_versions"] == [1, 2]
    assert [q["key"] for q in doc["metadata"]["questions"]] == [
        "views",
        "choice",
        "extra",
        "postcode",
    ]
    assert len(doc["responses"]) == 3
    paper = next(r for r in doc["responses"] if r["channel"] == "Paper")
    assert paper["questionnaire_version"] == 2 and paper["extra"] == HOSTILE[1]


def test_a_large_export_runs_as_a_task_with_progress_and_a_download_link(
    client, make_staff, settings, django_capture_on_commit_callbacks
):
    settings.HEARD_EXPORTS_INLINE_ROWS = 1
    made = make_activity_with_versions()
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exports:responses", args=[made["activity"].pk]), {"format": "xlsx"}
        )
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    assert export.status == Export.Status.DONE and export.progress == 100
    page = client.get(response["Location"]).content.decode()
    assert reverse("exports:download", args=[export.pk]) in page
    download = client.get(reverse("exports:download", args=[export.pk]))
    assert download["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(download.content))["Responses"]
    assert sheet.max_row == 4
    actions = list(
        AuditEvent.objects.filter(action__startswith="export.")
        .order_by("sequence")
        .values_list("action", "actor_id")
    )
    assert actions == [
        (Action.EXPORT_REQUESTED, officer.pk),
        (Action.EXPORT_MADE, officer.pk),
        (Action.EXPORT_DOWNLOADED, officer.pk),
    ]


def test_a_small_export_is_sent_at_once_and_audited(client, make_staff):
    made = make_activity_with_versions()
    client.force_login(make_staff(Role.PROGRAMME_LEAD))
    response = client.post(
        reverse("exports:responses", args=[made["activity"].pk]), {"format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert len(_csv(response.content)) == 4
    assert AuditEvent.objects.filter(action=Action.EXPORT_DOWNLOADED).count() == 1


def test_a_refused_form_names_the_field(client, make_staff):
    made = make_activity_with_versions()
    client.force_login(make_staff(Role.ANALYST))
    url = reverse("exports:responses", args=[made["activity"].pk])
    response = client.post(url, {"format": "exe"})
    assert response.status_code == 422
    assert "Select the format of the export from the list" in response.content.decode()
    # an analyst's form has no unredacted box; posting it anyway gets a redacted file
    response = client.post(url, {"format": "csv", "unredacted": "on"})
    assert response.status_code == 200 and b"John Smith" not in response.content


def test_old_export_files_are_deleted(make_staff, client):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    made = make_activity_with_versions()
    user = make_staff(Role.ANALYST)
    old = _export(user, made)
    new = _export(user, made)
    Export.objects.filter(pk=old.pk).update(requested_at=timezone.now() - timedelta(hours=73))
    out = io.StringIO()
    call_command("exports_cleanup", stdout=out)
    assert "Deleted 1 export file" in out.getvalue()
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Export.Status.EXPIRED and bytes(old.data) == b""
    assert new.status == Export.Status.DONE and bytes(new.data)
    client.force_login(user)
    assert client.get(reverse("exports:download", args=[old.pk])).status_code == 404
    assert AuditEvent.objects.filter(action=Action.EXPORTS_DELETED).count() == 1


def test_nothing_to_export_is_refused_and_a_double_click_makes_one_export(make_staff, settings):
    from heard.engagement.models import Response

    made = make_activity_with_versions()
    user = make_staff(Role.ANALYST)
    settings.HEARD_EXPORTS_INLINE_ROWS = 1
    first = _export(user, made, fmt="xlsx")  # queued: the task has not run
    again = _export(user, made, fmt="xlsx")
    assert again.pk == first.pk and Export.objects.count() == 1
    assert first.status == Export.Status.QUEUED
    Response.objects.filter(activity=made["activity"]).delete()
    with pytest.raises(services.ExportRefused, match="no responses"):
        _export(user, made, fmt="csv")
