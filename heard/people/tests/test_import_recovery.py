"""Imports survive a worker that dies: chunks, heartbeat, the sweeper, stop, carry on, remove."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action, AuditEvent
from heard.core import jobs
from heard.core.roles import Role
from heard.people.models import ImportBatch, ImportRejectedRow, Member
from heard.people.services import imports as services


class Killed(BaseException):
    """Stands for kill -9: nothing after it runs, no except Exception catches it."""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.HEARD_JOB_STALE_MINUTES = 10
    settings.HEARD_JOB_MAX_ATTEMPTS = 3


def _csv(rows: int, *, repeat_every: int = 0, bad_every: int = 0) -> bytes:
    lines = ["Full name,Email,Postcode"]
    for i in range(1, rows + 1):
        if repeat_every and i % repeat_every == 0:
            lines.append(f"Repeat {i},person{i - 1}@example.org,NR1 1AA")
        elif bad_every and i % bad_every == 0:
            lines.append(f"Bad {i},not-an-email,NR1 1AA")
        else:
            lines.append(f"Person {i},person{i}@example.org,NR1 1AA")
    return ("\n".join(lines) + "\n").encode()


def _started(data: bytes, capture) -> ImportBatch:
    batch = services.import_upload(filename="people.csv", data=data, actor=None)
    mapping = {"full_name": "Full name", "email": "Email", "postcode": "Postcode"}
    # The task is queued on commit; the test runs it itself, to kill it part-way.
    with capture(execute=False):
        services.import_start(batch=batch, mapping=mapping, group=None, actor=None)
    batch.refresh_from_db()
    return batch


def _kill_after(monkeypatch, chunks: int) -> dict[str, int]:
    """The worker dies inside the transaction of chunk ``chunks + 1`` (it rolls back).

    Set ``switch["after"]`` to None to let later runs live."""
    real = jobs.checkpoint
    switch: dict[str, int] = {"after": chunks, "n": 0}

    def dying(*args, **kwargs):
        switch["n"] += 1
        if switch["after"] is not None and switch["n"] > switch["after"]:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "checkpoint", dying)
    monkeypatch.setattr(jobs, "checkpoint", dying)  # the shared removal, delete_in_chunks
    return switch


def _go_stale(batch: ImportBatch, minutes: int = 11) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=minutes)
    )


@pytest.mark.django_db
def test_a_killed_import_is_resumed_by_the_sweeper_with_no_row_stored_twice(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "CHUNK_ROWS", 500)
    batch = _started(_csv(5000, repeat_every=7, bad_every=11), django_capture_on_commit_callbacks)
    switch = _kill_after(monkeypatch, 3)
    with pytest.raises(Killed):
        services.import_run(batch_id=batch.pk, attempt=batch.attempt)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING
    assert batch.processed_rows == 1500  # three chunks committed, the fourth rolled back
    stored = Member.objects.filter(import_batch=batch).count()
    assert stored == batch.imported_rows > 0
    switch["after"] = None

    # A fresh heartbeat is left alone: that worker may still be running.
    assert jobs.sweep_all()["people imports"].resumed == 0
    _go_stale(batch)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("jobs_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE, batch.error
    assert batch.attempt == 2
    assert batch.processed_rows == batch.total_rows == 5000
    rejected = ImportRejectedRow.objects.filter(batch=batch)
    bad = {i for i in range(1, 5001) if i % 11 == 0 and i % 7 != 0}
    # A repeat of a bad row's number is a new address, not a repeat.
    expected_repeats = len([i for i in range(1, 5001) if i % 7 == 0 and i - 1 not in bad])
    expected_bad = len(bad)
    assert rejected.count() == batch.rejected_rows == expected_repeats + expected_bad
    assert rejected.values("row_number").distinct().count() == rejected.count()
    assert batch.imported_rows == 5000 - expected_repeats - expected_bad
    members = Member.objects.filter(import_batch=batch)
    assert members.count() == batch.imported_rows
    assert members.values("email").distinct().count() == members.count()  # no duplicates
    # A repeat just after the resume point of a row stored before the kill is still found:
    # file row 1503 is person 1502 (1502 % 7 == 4): take 1505 = person 1504 → 1505 % 7 == 0.
    assert "person1504@example.org" in str(rejected.get(row_number=1506).data)
    assert "1505" in rejected.get(row_number=1506).reason
    assert AuditEvent.objects.filter(action=Action.IMPORT_COMPLETED).count() == 1


@pytest.mark.django_db
def test_an_import_killed_every_time_is_marked_failed_with_a_clear_message(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "CHUNK_ROWS", 200)
    batch = _started(_csv(1000), django_capture_on_commit_callbacks)
    switch = _kill_after(monkeypatch, 1)
    for _ in range(3):
        switch["n"] = 0
        batch.refresh_from_db()
        with pytest.raises(Killed):
            services.import_run(batch_id=batch.pk, attempt=batch.attempt)
        _go_stale(batch)
        with django_capture_on_commit_callbacks(execute=False):
            jobs.sweep_all()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "background worker running it stopped 3 times" in batch.error
    assert batch.processed_rows == 600 == Member.objects.filter(import_batch=batch).count()
    switch["after"] = None
    # Carrying it on by hand finishes it, again without duplicates.
    with django_capture_on_commit_callbacks(execute=True):
        services.import_resume(batch=batch, actor=None)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert Member.objects.filter(import_batch=batch).count() == 1000


@pytest.mark.django_db
def test_an_older_attempt_stops_without_storing_once_the_sweeper_gave_the_job_on(
    django_capture_on_commit_callbacks,
):
    batch = _started(_csv(300), django_capture_on_commit_callbacks)
    _go_stale(batch)
    with django_capture_on_commit_callbacks(execute=False):
        assert jobs.sweep_all()["people imports"].resumed == 1
    services.import_run(batch_id=batch.pk, attempt=1)  # the first task, late
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING
    assert batch.processed_rows == 0
    assert not Member.objects.filter(import_batch=batch).exists()
    services.import_run(batch_id=batch.pk, attempt=2)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert Member.objects.filter(import_batch=batch).count() == 300


@pytest.mark.django_db
def test_a_stopped_import_stores_nothing_more_and_can_be_removed_with_its_people(
    monkeypatch, django_capture_on_commit_callbacks, staff_client
):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    already = Member.objects.create(full_name="Held Before", email="person5@example.org")
    monkeypatch.setattr(services, "CHUNK_ROWS", 100)
    monkeypatch.setattr(services, "REMOVE_CHUNK", 70)
    batch = _started(_csv(1000), django_capture_on_commit_callbacks)
    switch = _kill_after(monkeypatch, 4)
    with pytest.raises(Killed):
        services.import_run(batch_id=batch.pk, attempt=batch.attempt)
    switch["after"] = None
    page = client.get(reverse("people:import", args=[batch.pk]))
    assert "Stop the import" in page.content.decode()
    response = client.post(reverse("people:import_cancel", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED
    services.import_run(batch_id=batch.pk, attempt=1)  # the old task wakes: stores nothing
    assert Member.objects.filter(import_batch=batch).count() == 399  # person5 was held
    page = client.get(reverse("people:import", args=[batch.pk])).content.decode()
    assert "The import was stopped after 400 of 1000 rows" in page
    assert "Carry on from row 401" in page
    confirm = client.get(reverse("people:import_delete", args=[batch.pk]))
    assert "399 people" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:import_delete", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DELETED
    assert batch.removed_rows == 399
    assert not Member.objects.filter(import_batch=batch).exists()
    assert Member.objects.filter(pk=already.pk).exists()  # held before: not touched
    assert not batch.stored_file
    events = AuditEvent.objects.filter(action=Action.IMPORT_DELETED)
    assert [e.after.get("people_removed") for e in events.order_by("pk")] == [None, 399]
    again = client.post(reverse("people:import_delete", args=[batch.pk]))
    assert again.status_code == 302  # refused with a message, nothing changes
    assert Member.objects.filter(pk=already.pk).exists()


@pytest.mark.django_db
def test_a_removal_killed_part_way_is_finished_by_the_sweeper(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "REMOVE_CHUNK", 50)
    batch = _started(_csv(400), django_capture_on_commit_callbacks)
    services.import_run(batch_id=batch.pk)
    with django_capture_on_commit_callbacks(execute=False):
        services.import_delete(batch=ImportBatch.objects.get(pk=batch.pk), actor=None)
    switch = _kill_after(monkeypatch, 5)
    with pytest.raises(Killed):
        services.import_remove_run(batch_id=batch.pk)
    switch["after"] = None
    assert Member.objects.filter(import_batch=batch).count() == 150  # 5 chunks of 50 gone
    _go_stale(batch)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.sweep_all()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DELETED
    assert batch.removed_rows == 400
    assert not Member.objects.filter(import_batch=batch).exists()


@pytest.mark.django_db
def test_old_files_rejected_rows_and_abandoned_uploads_are_cleaned_up(
    django_capture_on_commit_callbacks, tmp_path
):
    done = _started(_csv(30, bad_every=5), django_capture_on_commit_callbacks)
    services.import_run(batch_id=done.pk)
    abandoned = services.import_upload(filename="a.csv", data=_csv(3), actor=None)
    recent = _started(_csv(20, bad_every=5), django_capture_on_commit_callbacks)
    services.import_run(batch_id=recent.pk)
    long_ago = timezone.now() - timedelta(days=15)
    ImportBatch.objects.filter(pk=done.pk).update(completed_at=long_ago)
    ImportBatch.objects.filter(pk=abandoned.pk).update(created_at=long_ago)
    done_file = tmp_path / ImportBatch.objects.get(pk=done.pk).stored_file.name
    assert done_file.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("imports_cleanup", stdout=open("/dev/null", "w"))  # noqa: SIM115
    done.refresh_from_db()
    assert not done.stored_file and not done_file.exists()
    assert not done.rejected.exists() and done.rejected_rows == 6  # counts kept
    assert not ImportBatch.objects.filter(pk=abandoned.pk).exists()
    recent.refresh_from_db()
    assert recent.stored_file and recent.rejected.exists()
    assert AuditEvent.objects.filter(action=Action.IMPORT_FILES_CLEANED).count() == 1


@pytest.mark.django_db
def test_task_results_left_running_by_a_dead_worker_are_failed():
    import socket

    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    def result(worker: str, started):
        return DBTaskResult.objects.create(
            status=TaskResultStatus.RUNNING,
            task_path="heard.people.tasks.import_members",
            args_kwargs={"args": [1], "kwargs": {}},
            queue_name="default",
            backend_name="default",
            priority=0,
            worker_ids=[worker],
            started_at=started,
        )

    host = socket.gethostname()[:50]
    dead = result(f"{host}:{2**22 + 12345}", timezone.now())  # no such pid
    alive = result(jobs.worker_id(), timezone.now())
    elsewhere = result("another-host:1", timezone.now())
    ancient = result("another-host:2", timezone.now() - timedelta(days=2))
    assert jobs.sweep_task_results() == 2
    statuses = {
        r.pk: r.status
        for r in DBTaskResult.objects.filter(pk__in=[dead.pk, alive.pk, elsewhere.pk, ancient.pk])
    }
    assert statuses[dead.pk] == TaskResultStatus.FAILED
    assert statuses[ancient.pk] == TaskResultStatus.FAILED
    assert statuses[alive.pk] == statuses[elsewhere.pk] == TaskResultStatus.RUNNING
