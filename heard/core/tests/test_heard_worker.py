"""The task worker outlives a database restart instead of exiting."""

import pytest
from django.db.utils import OperationalError
from django_tasks_db.management.commands.db_worker import Worker

from heard.core.management.commands import heard_worker


def test_the_worker_waits_and_carries_on_when_the_database_goes_away(monkeypatch):
    calls = {"run": 0, "swept": []}
    naps: list[float] = []

    def run(self):
        calls["run"] += 1
        if calls["run"] <= 3:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Worker, "run", run)
    monkeypatch.setattr(heard_worker.time, "sleep", naps.append)
    monkeypatch.setattr(
        heard_worker, "sweep_task_results", lambda only_worker: calls["swept"].append(only_worker)
    )
    worker = heard_worker.ReconnectingWorker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="host:1",
        excluded_queue_names=[],
    )
    worker.run_tasks()
    assert calls["run"] == 4  # three failures, then it ran (and returned) normally
    assert naps == [1.0, 1.0, 1.0]  # each reconnect succeeded, so the wait starts again
    assert calls["swept"] == ["host:1"] * 3  # the task it was running is marked failed


def test_the_wait_doubles_while_the_database_stays_away(monkeypatch):
    naps: list[float] = []

    def run(self):
        if len(naps) < 6:
            raise OperationalError("could not connect to server")

    def sweep(only_worker):
        raise OperationalError("still down")

    monkeypatch.setattr(Worker, "run", run)
    monkeypatch.setattr(heard_worker.time, "sleep", naps.append)
    monkeypatch.setattr(heard_worker, "sweep_task_results", sweep)
    worker = heard_worker.ReconnectingWorker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="host:1",
        excluded_queue_names=[],
    )
    worker.run_tasks()
    assert naps == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0]


def test_other_errors_are_not_swallowed(monkeypatch):
    def run(self):
        raise RuntimeError("a bug")

    monkeypatch.setattr(Worker, "run", run)
    worker = heard_worker.ReconnectingWorker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="host:1",
        excluded_queue_names=[],
    )
    with pytest.raises(RuntimeError):
        worker.run_tasks()
