"""Importing members and contacts through the staff pages, end to end."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.people.models import Group, GroupMembership, ImportBatch, Member, Topic

GOOD_AND_BAD = (
    "Full name,Email,Postcode,Phone,Interests,Role\n"
    "Ada Lovelace,ada@example.org,NR2 1AA,01603 111111,Cancer care; Mental health,chair\n"
    "Zoë Brontë,zoe@example.org,nr1 3sr,,,\n"
    "Bad Email,not-an-email,NR1 1AA,,,\n"
    "Bad Postcode,bad.postcode@example.org,XX1 ZZZ9,,,\n"
    ",nobody@example.org,NR3 1AA,,,\n"
    "\n"
    "Ada Again,ADA@example.org,NR4 1AA,,,\n"
    "Postcode Only,,NR5 9ZZ,,,\n"
    "=cmd(),formula@example,NR1 1AA,,,\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def officer(staff_client):
    client, _user = staff_client(Role.ENGAGEMENT_OFFICER)
    return client


def _upload(client, content: bytes, name: str = "members.csv", group=None):
    data = {"file": SimpleUploadedFile(name, content)}
    if group is not None:
        data["group"] = group.pk
    return client.post(reverse("people:imports"), data)


def _run(client, batch, django_capture_on_commit_callbacks, **mapping):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:import", args=[batch.pk]), mapping)
    assert response.status_code == 302, response.content.decode()
    batch.refresh_from_db()
    return batch


def _auto_mapping(batch) -> dict[str, str]:
    return dict(batch.mapping)


def test_upload_shows_preview_and_guessed_mapping(officer):
    response = _upload(officer, GOOD_AND_BAD.encode())
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    page = officer.get(response["Location"]).content.decode()
    assert "Ada Lovelace" in page and "Zoë Brontë" in page  # the preview
    assert batch.mapping["email"] == "Email"
    assert batch.mapping["full_name"] == "Full name"
    assert '<option value="Postcode" selected>' in page


def test_import_keeps_valid_rows_and_rejects_the_rest_with_reasons(
    officer, django_capture_on_commit_callbacks
):
    for name in ("Cancer care", "Mental health"):
        Topic.objects.get_or_create(name=name, defaults={"slug": name.lower().replace(" ", "-")})
    _upload(officer, GOOD_AND_BAD.encode())
    batch = ImportBatch.objects.get()
    batch = _run(officer, batch, django_capture_on_commit_callbacks, **_auto_mapping(batch))

    assert batch.status == ImportBatch.Status.DONE
    assert (batch.total_rows, batch.imported_rows, batch.existing_rows, batch.rejected_rows) == (
        8,
        3,
        0,
        5,
    )
    ada = Member.objects.get(email="ada@example.org")
    assert ada.postcode == "NR2 1AA" and ada.locality == "Norwich"
    assert ada.source == Member.Source.IMPORT
    assert sorted(t.name for t in ada.interests.all()) == ["Cancer care", "Mental health"]
    assert Member.objects.get(email="zoe@example.org").full_name == "Zoë Brontë"
    assert Member.objects.filter(full_name="Postcode Only", postcode="NR5 9ZZ").exists()

    page = officer.get(reverse("people:import", args=[batch.pk])).content.decode()
    assert "Import finished" in page
    assert "Why rows were rejected" in page
    assert "Same email address as an earlier row of this file" in page
    download = officer.get(reverse("people:import_rejected", args=[batch.pk]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Row",
        "Full name",
        "Email",
        "Postcode",
        "Phone",
        "Interests",
        "Role",
        "Reason",
    ]
    reasons = {row[0]: row[-1] for row in rows[1:]}
    assert "email address is not valid" in reasons["4"]
    assert "not a UK postcode" in reasons["5"]
    assert "name is missing" in reasons["6"]
    assert reasons["8"].startswith("Same email address as row 2")
    formula_row = next(row for row in rows[1:] if row[0] == "10")
    assert formula_row[1] == "'=cmd()"  # not run as a formula when opened in a spreadsheet
    assert AuditEvent.objects.filter(
        action=Action.IMPORT_REJECTED_DOWNLOADED, subject_id=str(batch.pk)
    ).exists()


def test_reimporting_the_same_file_adds_nobody_twice(officer, django_capture_on_commit_callbacks):
    for _ in range(2):
        _upload(officer, GOOD_AND_BAD.encode())
        batch = ImportBatch.objects.order_by("-pk").first()
        batch = _run(officer, batch, django_capture_on_commit_callbacks, **_auto_mapping(batch))
    assert Member.objects.count() == 3
    assert (batch.imported_rows, batch.existing_rows, batch.rejected_rows) == (0, 3, 5)
    page = officer.get(reverse("people:import", args=[batch.pk])).content.decode()
    assert "Already held" in page


def test_existing_people_are_added_to_the_chosen_group_with_their_role(
    officer, django_capture_on_commit_callbacks
):
    Member.objects.create(full_name="Ada L", email="ada@example.org")
    group = Group.objects.create(name="Dereham PPG", kind="ppg", gp_practice="Dereham Surgery")
    _upload(officer, GOOD_AND_BAD.encode(), group=group)
    batch = ImportBatch.objects.get()
    assert batch.group == group
    batch = _run(
        officer, batch, django_capture_on_commit_callbacks, **_auto_mapping(batch), group=group.pk
    )
    assert batch.existing_rows == 1 and batch.imported_rows == 2
    roles = dict(GroupMembership.objects.values_list("member__email", "role"))
    assert roles["ada@example.org"] == "chair"
    assert len(roles) == 3


def test_first_and_last_name_columns_and_windows_1252(officer, django_capture_on_commit_callbacks):
    content = "Forename,Surname,E-mail\nSeán,Ó Dálaigh,sean@example.org\n".encode("cp1252")
    _upload(officer, content)
    batch = ImportBatch.objects.get()
    assert batch.encoding == "cp1252"
    _run(officer, batch, django_capture_on_commit_callbacks, **_auto_mapping(batch))
    assert Member.objects.get().full_name == "Seán Ó Dálaigh"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x00\x01\x02garbage" * 500, "members.csv", "does not look like a table"),
        (b"", "members.csv", "The file is empty"),
        (b"Name,Email\n", "members.csv", "no people in it"),
        (b"Ada Lovelace,ada@example.org\nBob,bob@example.org\n", "members.csv", "column names"),
        (b"Name,Email\nA,a@example.org\n", "members.txt", "must be a CSV"),
    ],
)
def test_unreadable_upload_gets_a_clear_message_and_nothing_is_kept(
    officer, content, name, message
):
    response = _upload(officer, content, name)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "nhsuk-error-summary" in page
    assert not ImportBatch.objects.exists()


def test_mapping_without_name_column_is_refused_and_nothing_runs(
    officer, django_capture_on_commit_callbacks
):
    _upload(officer, GOOD_AND_BAD.encode())
    batch = ImportBatch.objects.get()
    response = officer.post(reverse("people:import", args=[batch.pk]), {"email": "Email"})
    assert response.status_code == 200
    assert "Choose the column with the full name" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UPLOADED
    assert not Member.objects.exists()


def test_progress_fragment_for_htmx_and_refresh_link(officer):
    _upload(officer, GOOD_AND_BAD.encode())
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, total_rows=8, processed_rows=4
    )
    page = officer.get(reverse("people:import", args=[batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "4 of 8 rows checked (50%)" in page
    assert "refresh it" in page
    fragment = officer.get(
        reverse("people:import_progress", args=[batch.pk]), HTTP_HX_REQUEST="true"
    )
    assert fragment.content.decode().lstrip().startswith('<div id="import-status"')


def test_import_is_audited_with_counts_only(officer, django_capture_on_commit_callbacks):
    _upload(officer, GOOD_AND_BAD.encode())
    batch = ImportBatch.objects.get()
    _run(officer, batch, django_capture_on_commit_callbacks, **_auto_mapping(batch))
    actions = list(
        AuditEvent.objects.filter(subject_type="people.importbatch").values_list(
            "action", flat=True
        )
    )
    assert set(actions) == {Action.IMPORT_UPLOADED, Action.IMPORT_STARTED, Action.IMPORT_COMPLETED}
    completed = AuditEvent.objects.get(action=Action.IMPORT_COMPLETED)
    assert completed.after["imported_rows"] == 3
    everything = str(list(AuditEvent.objects.values_list("before", "after")))
    assert "ada@example.org" not in everything and "Lovelace" not in everything


def test_xlsx_import_end_to_end(officer, django_capture_on_commit_callbacks):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "E-mail", "Post Code", "Telephone"])
    sheet.append(["Ada Lovelace", "ada@example.org", "NR2 1AA", 1603123456])
    sheet.append(["No Contact", None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    _upload(officer, buffer.getvalue(), "members.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.mapping == {
        "full_name": "Name",
        "email": "E-mail",
        "postcode": "Post Code",
        "phone": "Telephone",
    }
    batch = _run(officer, batch, django_capture_on_commit_callbacks, **_auto_mapping(batch))
    assert (batch.imported_rows, batch.rejected_rows) == (1, 1)
    assert Member.objects.get().phone == "1603123456"


def test_a_file_that_cannot_be_read_at_run_time_fails_with_a_message(
    officer, django_capture_on_commit_callbacks
):
    _upload(officer, GOOD_AND_BAD.encode())
    batch = ImportBatch.objects.get()
    batch.stored_file.storage.delete(batch.stored_file.name)
    batch = _run(officer, batch, django_capture_on_commit_callbacks, **_auto_mapping(batch))
    assert batch.status == ImportBatch.Status.FAILED
    page = officer.get(reverse("people:import", args=[batch.pk])).content.decode()
    assert "The import did not finish" in page
    assert "Upload the file again" in page
    assert AuditEvent.objects.filter(action=Action.IMPORT_FAILED).count() == 1
    assert not Member.objects.exists()


def test_an_import_that_never_starts_says_the_worker_may_be_down(officer):
    _upload(officer, GOOD_AND_BAD.encode())
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, created_at=timezone.now() - timedelta(minutes=10)
    )
    page = officer.get(reverse("people:import", args=[batch.pk])).content.decode()
    assert "background worker may not be running" in page


def test_deleting_the_file_and_rejected_rows_keeps_the_counts(
    officer, django_capture_on_commit_callbacks
):
    _upload(officer, GOOD_AND_BAD.encode())
    batch = ImportBatch.objects.get()
    batch = _run(officer, batch, django_capture_on_commit_callbacks, **_auto_mapping(batch))
    stored = batch.stored_file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(reverse("people:import_purge", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert not batch.stored_file and not batch.rejected.exists()
    assert (batch.imported_rows, batch.rejected_rows) == (3, 5)
    assert not Path(stored).exists()
    page = officer.get(reverse("people:import", args=[batch.pk])).content.decode()
    assert "have been deleted" in page and "Download the" not in page
    assert AuditEvent.objects.get(action=Action.IMPORT_PURGED).after["rejected_rows_deleted"] == 5


def test_a_running_import_cannot_be_deleted(officer):
    _upload(officer, GOOD_AND_BAD.encode())
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    officer.post(reverse("people:import_purge", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.stored_file


def test_rejected_rows_file_neutralises_formulas_in_the_header_and_every_cell(
    officer, django_capture_on_commit_callbacks
):
    content = (
        'Full name,Email,Postcode,"=HYPERLINK(""http://evil.example"",""x"")"\n'
        'Tab Led,not-an-email,NR1 1AA,"\tcmd"\n'
        "+Plus,also-bad,NR1 1AA,@SUM(A1)\n"
    )
    _upload(officer, content.encode())
    batch = ImportBatch.objects.get()
    _run(officer, batch, django_capture_on_commit_callbacks, **_auto_mapping(batch))
    download = officer.get(reverse("people:import_rejected", args=[batch.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0][4].startswith("'=HYPERLINK")
    cells = [cell for row in rows for cell in row]
    assert "'+Plus" in cells and "'@SUM(A1)" in cells
    assert not any(cell[:1] in "=+-@\t\r" and cell for cell in cells)


def test_rows_that_do_not_fit_the_columns_are_rejected_with_the_reason(
    officer, django_capture_on_commit_callbacks
):
    """Found in a demo click-through: a row with six values under three columns was cut
    to three without a word, and an unclosed quote read the rest of the file into one
    name. Both are now rejected, saying why; the good rows are still imported."""
    content = (
        "Full name,Email,Postcode\n"
        "Ada Lovelace,ada@example.org,NR2 1AA\n"
        "Grace Hopper,grace@example.org,NR1 3SR,extra,values,here\n"
        "Mary Somerville,mary@example.org,NR4 7TJ\n"
        '"Alan Turing,alan@example.org,NR3 1AB\n'
        "Ida Wells,ida@example.org,NR5 9ZZ\n"
    )
    _upload(officer, content.encode())
    batch = ImportBatch.objects.get()
    batch = _run(officer, batch, django_capture_on_commit_callbacks, **_auto_mapping(batch))
    assert batch.status == ImportBatch.Status.DONE
    assert Member.objects.filter(email__in=["ada@example.org", "mary@example.org"]).count() == 2
    assert not Member.objects.filter(email="grace@example.org").exists()
    # The unclosed quote swallowed Ida's row: it is in the rejected row, not lost unseen.
    assert batch.rejected_rows == 2
    page = officer.get(reverse("people:import", args=[batch.pk])).content.decode()
    assert "The row has 6 values but the file has 3 columns" in page
    assert "a quote mark" in page and "may not have been closed" in page
