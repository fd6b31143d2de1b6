"""Importing PALS, complaints, FFT and Healthwatch CSVs through the staff pages."""

import csv
import io

import pytest
from django.urls import reverse

from heard.accounts.tests.factories import staff_member
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.insight.models import Insight, InsightImport
from heard.insight.selectors import InsightFilter, insight_search
from heard.people.models import Topic

pytestmark = pytest.mark.django_db

GOOD = (
    "Comment,Date,Source,Locality,Service,Topics\r\n"
    "The discharge lounge was chaotic,12/03/2025,PALS,Norwich,NNUH,Hospital care\r\n"
    "Lovely midwives,2025-04-01,FFT,Great Yarmouth,JPUH maternity,\r\n"
    ",2025-04-01,FFT,,,\r\n"
    "Waited 6 hours,01/05/2025,Carrier pigeon,,,\r\n"
    "=HYPERLINK(bad),2025-04-01,PALS,Atlantis,,\r\n"
).encode("cp1252")


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    def post(client, data: bytes, name: str = "pals.csv", source: str = "pals"):
        handle = io.BytesIO(data)
        handle.name = name
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("insight:imports"), {"file": handle, "default_source": source}
            )
        if response.status_code == 302:  # the import ran on commit: see where it went
            return client.get(response["Location"])
        return response

    return post


def test_import_adds_insights_keeps_rejected_rows_and_is_audited(staff_client, upload):
    Topic.objects.get_or_create(slug="hospital-care", defaults={"name": "Hospital care"})
    client, _ = staff_client(Role.ANALYST)
    response = upload(client, GOOD)
    page = response.content.decode()
    assert "Import finished" in page
    batch = InsightImport.objects.get()
    assert (batch.imported_rows, batch.rejected_rows, batch.status) == (2, 3, "done")
    assert batch.content == ""  # the file is not kept once imported
    discharge = Insight.objects.get(text__startswith="The discharge")
    assert (discharge.source, discharge.locality, discharge.service) == ("pals", "Norwich", "NNUH")
    assert list(discharge.topics.values_list("slug", flat=True)) == ["hospital-care"]
    assert discharge.import_batch == batch and discharge.import_row == 2
    assert Insight.objects.get(text="Lovely midwives").source == "fft"
    assert insight_search(InsightFilter(q="discharge lounge")).total == 1

    rejected = client.get(reverse("insight:import_rejected", args=[batch.pk]))
    rows = list(csv.reader(io.StringIO(rejected.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Row" and rows[0][-1] == "Reason"
    assert [r[0] for r in rows[1:]] == ["4", "5", "6"]
    assert "empty" in rows[1][-1] and "Carrier pigeon" in rows[2][-1]
    assert rows[3][1].startswith("'=")  # formula neutralised for spreadsheets

    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert Action.INSIGHT_IMPORT_REJECTED_DOWNLOADED in actions
    assert Action.INSIGHT_IMPORT_UPLOADED in actions and Action.INSIGHT_IMPORT_COMPLETED in actions
    for event in AuditEvent.objects.filter(action__startswith="insight_import"):
        assert "discharge" not in str(event.after).lower()


def test_themes_coded_at_the_source_are_kept_on_the_insights(staff_client, upload):
    client, _ = staff_client(Role.ANALYST)
    data = (
        b"Comment,Date,Theme\r\n"
        b"The nurse explained everything,2025-03-01,Communication; Staff\r\n"
        b"Nothing to add,2025-03-01,-\r\n"
    )
    upload(client, data, name="fft.csv", source="fft")
    assert InsightImport.objects.get().imported_rows == 2
    assert Insight.objects.get(text__startswith="The nurse").themes == ["Communication", "Staff"]
    assert Insight.objects.get(text="Nothing to add").themes == []
    assert insight_search(InsightFilter(theme="Staff")).total == 1


def test_the_same_file_is_not_imported_twice(staff_client, upload):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    upload(client, GOOD)
    response = upload(client, GOOD, name="again.csv")
    assert response.status_code == 400
    assert "already imported" in response.content.decode()
    assert InsightImport.objects.count() == 1
    assert Insight.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04....", "comments.csv", "Excel workbook"),
        (b"who,what\nme,that\n", "comments.csv", "no &quot;text&quot; and &quot;date&quot; column"),
        (b"text,date\nhi,2025-01-01\n", "comments.pdf", "Choose a CSV file"),
    ],
)
def test_garbage_files_get_a_clear_message_and_nothing_is_stored(
    staff_client, upload, data, name, message
):
    client, _ = staff_client(Role.ADMINISTRATOR)
    response = upload(client, data, name=name)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "nhsuk-error-summary" in page
    assert not InsightImport.objects.exists()


def test_missing_choices_are_explained(staff_client, upload):
    client, _ = staff_client(Role.ADMINISTRATOR)
    response = client.post(reverse("insight:imports"), {})
    page = response.content.decode()
    assert "Choose a CSV file to import." in page
    assert "Select where these comments come from." in page


def test_an_unexpected_failure_is_explained_and_keeps_no_text(staff_client, upload, monkeypatch):
    from heard.insight import services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "insights_create", broken)
    client, _ = staff_client(Role.ANALYST)
    page = upload(client, GOOD).content.decode()
    assert "The import did not finish" in page
    assert "unexpected error" in page and "disk full" not in page
    batch = InsightImport.objects.get()
    assert batch.status == "failed" and batch.content == ""
    assert AuditEvent.objects.filter(action=Action.INSIGHT_IMPORT_FAILED).exists()


def _many(rows: int) -> bytes:
    lines = ["Comment,Date"] + [f"Comment number {i},01/03/2025" for i in range(1, rows + 1)]
    return ("\r\n".join(lines) + "\r\n").encode()


class Killed(BaseException):
    """Stands for kill -9 of the worker: nothing after it runs."""


def test_a_killed_insight_import_is_resumed_by_the_sweeper_without_duplicates(
    monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from heard.core import jobs
    from heard.insight import services

    monkeypatch.setattr(services, "CHUNK_ROWS", 100)
    with django_capture_on_commit_callbacks(execute=False):
        batch = services.insight_import_upload(
            filename="fft.csv",
            data=_many(750),
            default_source="fft",
            actor=staff_member(Role.ENGAGEMENT_OFFICER),
        )
    real, calls = jobs.checkpoint, {"n": 0, "die": True}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["die"] and calls["n"] > 3:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "checkpoint", dying)
    with pytest.raises(Killed):
        services.insight_import_run(batch_id=batch.pk)
    calls["die"] = False
    assert Insight.objects.filter(import_batch=batch).count() == 300
    InsightImport.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep_all()["insight imports"].resumed == 1
    batch.refresh_from_db()
    assert batch.status == InsightImport.Status.DONE and batch.attempt == 2
    insights = Insight.objects.filter(import_batch=batch)
    assert insights.count() == batch.imported_rows == 750
    assert insights.values("import_row").distinct().count() == 750  # none stored twice


def test_an_insight_import_can_be_stopped_and_removed_with_its_insights(
    staff_client, upload, monkeypatch, django_capture_on_commit_callbacks
):
    from heard.insight import services

    client, officer = staff_client(Role.ENGAGEMENT_OFFICER)
    monkeypatch.setattr(services, "REMOVE_CHUNK", 40)
    other = upload(client, GOOD)
    assert other.status_code == 200
    with django_capture_on_commit_callbacks(execute=False):
        batch = services.insight_import_upload(
            filename="many.csv", data=_many(120), default_source="pals", actor=officer
        )
    page = client.get(reverse("insight:import_detail", args=[batch.pk])).content.decode()
    assert "Stop the import" in page
    client.post(reverse("insight:import_cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == InsightImport.Status.CANCELLED
    services.insight_import_run(batch_id=batch.pk, attempt=1)  # the old task: stores nothing
    assert not Insight.objects.filter(import_batch=batch).exists()

    done = InsightImport.objects.exclude(pk=batch.pk).get()
    kept = Insight.objects.exclude(import_batch=done).count()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("insight:import_delete", args=[done.pk]))
    done.refresh_from_db()
    assert done.status == InsightImport.Status.DELETED and done.removed_rows == 2
    assert not Insight.objects.filter(import_batch=done).exists()
    assert not done.rejected.exists()
    assert Insight.objects.count() == kept
    page = client.get(reverse("insight:import_detail", args=[done.pk])).content.decode()
    assert "This import has been removed: 2 insights" in page
    assert AuditEvent.objects.filter(action=Action.INSIGHT_IMPORT_DELETED).count() == 2
