"""Response imports survive a worker that dies, can be stopped and removed with their rows."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.core import jobs
from heard.core.roles import Role
from heard.engagement import services_response_imports as services
from heard.engagement.models import Response, ResponseImport
from heard.engagement.tests.test_respond import make_questionnaire

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """Stands for kill -9 of the worker: nothing after it runs."""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _file(rows: int) -> bytes:
    lines = ["Ref,As,Used,Experience"] + [
        f"P-{i},individual,{'yes' if i % 9 else 'maybe'},Row {i}" for i in range(1, rows + 1)
    ]
    return ("\n".join(lines) + "\n").encode()


def _start(client, q, data: bytes, capture) -> ResponseImport:
    url = reverse("engagement:responses_import", args=[q.activity_id])
    page = client.post(url, {"file": SimpleUploadedFile("paper.csv", data)}).content.decode()
    found = re.search(r'name="stored" value="([^"]+)"', page)
    assert found is not None
    stored = found[1]
    with capture(execute=False):  # the test runs the task itself, to kill it
        r = client.post(
            url,
            {
                "stored": stored,
                "col_0": "__source_id",
                "col_1": "as",
                "col_2": "used",
                "col_3": "experience",
            },
        )
    assert r.status_code == 302
    return ResponseImport.objects.get()


def test_a_killed_response_import_resumes_from_its_last_chunk_and_can_be_removed(
    staff_client, monkeypatch, django_capture_on_commit_callbacks
):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    q = make_questionnaire()
    monkeypatch.setattr(services, "CHUNK_ROWS", 50)
    monkeypatch.setattr(services, "REMOVE_CHUNK", 30)
    batch = _start(client, q, _file(300), django_capture_on_commit_callbacks)
    real, calls = jobs.checkpoint, {"n": 0, "die": True}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["die"] and calls["n"] > 2:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "checkpoint", dying)
    with pytest.raises(Killed):
        services.response_import_run(batch_id=batch.pk)
    calls["die"] = False
    batch.refresh_from_db()
    assert batch.status == "running" and batch.processed_rows == 100
    page = client.get(reverse("engagement:responses_import_detail", args=[q.activity_id, batch.pk]))
    assert "Importing: 100 of 300 rows checked" in page.content.decode()
    ResponseImport.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep_all()["response imports"].resumed == 1
    batch.refresh_from_db()
    maybes = len([i for i in range(1, 301) if i % 9 == 0])
    assert batch.status == "done", batch.error
    assert batch.duplicate_rows == 0, (batch.duplicate_rows, batch.rejected_rows)
    assert batch.rejected_rows == maybes, list(batch.rejected.values_list("reason", flat=True)[:3])
    assert (
        batch.imported_rows == 300 - maybes == Response.objects.filter(import_batch=batch).count()
    )
    assert batch.rejected_rows == maybes == batch.rejected.count()
    assert Response.objects.values("import_key").distinct().count() == Response.objects.count()
    assert not batch.stored_name  # the upload is not kept
    page = client.get(reverse("engagement:responses_import_detail", args=[q.activity_id, batch.pk]))
    html = page.content.decode()
    assert re.search(rf'id="imported-count">{300 - maybes}<', html)
    csv_file = client.get(
        reverse("engagement:responses_import_rejected", args=[q.activity_id, batch.pk])
    )
    assert b"".join(csv_file.streaming_content).decode("utf-8-sig").count("P-") == maybes

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("engagement:responses_import_delete", args=[q.activity_id, batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "deleted" and batch.removed_rows == 300 - maybes
    assert not Response.objects.filter(questionnaire=q).exists()
    assert AuditEvent.objects.filter(action=Action.RESPONSE_IMPORT_DELETED).count() == 2


def test_a_response_import_can_be_stopped_and_its_old_task_stores_nothing(
    staff_client, django_capture_on_commit_callbacks
):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    q = make_questionnaire()
    batch = _start(client, q, _file(40), django_capture_on_commit_callbacks)
    client.post(reverse("engagement:responses_import_cancel", args=[q.activity_id, batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "cancelled"
    services.response_import_run(batch_id=batch.pk, attempt=1)
    assert not Response.objects.exists()
    page = client.get(reverse("engagement:responses_import_detail", args=[q.activity_id, batch.pk]))
    assert "The import was stopped" in page.content.decode()
