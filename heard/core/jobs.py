"""Long-running background jobs that survive a dead worker (imports and their deletion).

A job is a row with ``status``, ``attempt`` and ``heartbeat_at``. The task that runs it
works in chunks; each chunk's transaction starts with ``checkpoint`` (the row locked,
the attempt and status checked, the heartbeat moved) and ends by storing the progress,
so what is committed and the progress recorded never disagree. A job whose heartbeat is
older than ``HEARD_JOB_STALE_MINUTES`` was left by a worker that died: the sweeper
(``jobs_sweep``, also run by ``heard_clock``) gives it a new attempt – the task resumes
from the last committed chunk – or, after ``HEARD_JOB_MAX_ATTEMPTS``, marks it failed
with a message saying so. A new attempt makes any older task for the job stop at its
next checkpoint without storing anything, so two workers never run one job.

Apps register a sweeper for each kind of job in their ``AppConfig.ready``.
"""

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


class JobStopped(Exception):
    """The job was cancelled, finished, or given to a newer attempt: stop, store nothing."""


def stale_minutes() -> int:
    return int(getattr(settings, "HEARD_JOB_STALE_MINUTES", 10))


def max_attempts() -> int:
    return int(getattr(settings, "HEARD_JOB_MAX_ATTEMPTS", 3))


def checkpoint(model: type[Any], pk: int, attempt: int, *, running: tuple[str, ...]) -> None:
    """Call first inside each chunk's transaction: lock the job, check it is still ours.

    Raises JobStopped if the job's status is no longer one of ``running`` (cancelled,
    failed by the sweeper) or its attempt is not ``attempt`` (a newer task has it).
    """
    row = (
        model._default_manager.select_for_update().filter(pk=pk).values("status", "attempt").first()
    )
    if row is None or row["status"] not in running or row["attempt"] != attempt:
        raise JobStopped
    model._default_manager.filter(pk=pk).update(heartbeat_at=timezone.now())


def delete_in_chunks(
    model: type[Any],
    pk: int,
    attempt: int,
    rows: Callable[[], Any],
    *,
    chunk: int,
    running: tuple[str, ...],
) -> None:
    """Delete what a job stored, ``chunk`` rows at a time: each chunk in its own
    transaction, opened by ``checkpoint`` and closed by adding to the job's
    ``removed_rows``, so a worker killed between chunks leaves a count that matches what
    is gone and the next attempt carries on. ``rows()`` is the queryset of what is left
    (asked anew for each chunk). Returns when nothing is left; raises ``JobStopped`` when
    the job is no longer this attempt's, and lets a database's protection errors
    (``ProtectedError``, ``RestrictedError``) through for the caller to explain."""
    from django.db.models import F

    while True:
        with transaction.atomic():
            checkpoint(model, pk, attempt, running=running)
            ids = list(rows().values_list("pk", flat=True)[:chunk])
            if not ids:
                return
            rows().filter(pk__in=ids).delete()
            model._default_manager.filter(pk=pk).update(removed_rows=F("removed_rows") + len(ids))


@dataclass
class SweepResult:
    resumed: int = 0
    failed: int = 0

    def __add__(self, other: "SweepResult") -> "SweepResult":
        return SweepResult(self.resumed + other.resumed, self.failed + other.failed)


def sweep_stale(
    model: type[Any],
    *,
    running: tuple[str, ...],
    enqueue: Callable[[int, int], None],
    fail: Callable[[Any, str], None],
    what: str,
    now: datetime | None = None,
) -> SweepResult:
    """Give every stale job of ``model`` a new attempt, or fail it after the last one.

    ``enqueue(pk, attempt)`` queues the task (after the commit); ``fail(job, message)``
    marks the job failed and records why, inside the sweeper's transaction.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=stale_minutes())
    result = SweepResult()
    manager = model._default_manager
    for pk in manager.filter(status__in=running, heartbeat_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            job = manager.select_for_update().filter(pk=pk).first()
            if job is None or job.status not in running or job.heartbeat_at >= cutoff:
                continue  # it moved on since we looked
            if job.attempt >= max_attempts():
                fail(
                    job,
                    f"The {what} stopped: the background worker running it stopped "
                    f"{job.attempt} time{'s' if job.attempt != 1 else ''} and it was not "
                    "tried again. What was stored before it stopped is kept.",
                )
                result.failed += 1
                continue
            job.attempt += 1
            job.heartbeat_at = now
            job.save(update_fields=["attempt", "heartbeat_at"])
            attempt = job.attempt
            logger.warning("Resuming stale %s %s (attempt %s)", what, pk, attempt)
            transaction.on_commit(functools.partial(enqueue, pk, attempt))
            result.resumed += 1
    return result


_SWEEPERS: dict[str, Callable[[], SweepResult]] = {}


def register_sweeper(name: str, sweeper: Callable[[], SweepResult]) -> None:
    """Called from an AppConfig.ready: ``sweeper()`` resumes or fails that app's jobs."""
    _SWEEPERS[name] = sweeper


def sweep_all() -> dict[str, SweepResult]:
    """Run every registered sweeper; one failing does not stop the others."""
    results: dict[str, SweepResult] = {}
    for name, sweeper in sorted(_SWEEPERS.items()):
        try:
            results[name] = sweeper()
        except Exception:
            logger.exception("Sweeper %s failed", name)
    return results


_CLEANERS: dict[str, Callable[[int], dict[str, int]]] = {}


def register_cleaner(name: str, cleaner: Callable[[int], dict[str, int]]) -> None:
    """``cleaner(keep_days)`` deletes that app's old uploads and rejected rows."""
    _CLEANERS[name] = cleaner


def clean_all(keep_days: int) -> dict[str, dict[str, int]]:
    return {name: cleaner(keep_days) for name, cleaner in sorted(_CLEANERS.items())}


# Periodic safety nets (heard_clock runs them when due) ----------------------------------


@dataclass
class _Periodic:
    every_minutes: Callable[[], float]
    run: Callable[[], Any]
    last: float | None = None


_PERIODIC: dict[str, _Periodic] = {}


def register_periodic(
    name: str, every_minutes: Callable[[], float], run: Callable[[], Any]
) -> None:
    """Called from an AppConfig.ready: ``run()`` every ``every_minutes()`` minutes, by
    ``heard_clock`` (e.g. the insight catch-up, which makes what a lost task owed)."""
    _PERIODIC[name] = _Periodic(every_minutes, run)


def periodic_run_due(*, monotonic: float, force: bool = False) -> dict[str, Any]:
    """Run each periodic job whose time has come (all of them with ``force``, and each
    on the first call of a process); one failing does not stop the others."""
    results: dict[str, Any] = {}
    for name, job in sorted(_PERIODIC.items()):
        due = job.last is None or monotonic - job.last >= job.every_minutes() * 60
        if not (due or force):
            continue
        job.last = monotonic
        try:
            results[name] = job.run()
        except Exception:
            logger.exception("Periodic job %s failed", name)
    return results


# Queues drained by the task worker -------------------------------------------------------

_DRAINS: dict[str, tuple[Callable[[], int], Callable[[], int]]] = {}


def register_drain(name: str, drain: Callable[[], int], *, batch: Callable[[], int]) -> None:
    """Called from an AppConfig.ready: ``drain()`` takes one batch (at most ``batch()``
    rows) off an app's queue in the database and returns how many it did (0 when empty);
    ``heard_worker`` runs it again and again beside the tasks (the insight bank's owed
    queue, ADR 11)."""
    _DRAINS[name] = (drain, batch)


def drain_all() -> int:
    """One batch from each registered queue; how many were done in all."""
    return drain_pass()[0]


def drain_pass() -> tuple[int, bool]:
    """One batch from each registered queue: how many were done in all, and whether a
    queue gave a full batch (so more is probably waiting). Database errors are raised
    (the worker reconnects); others are logged, so one queue cannot stop the others."""
    from django.db import DatabaseError

    done, full = 0, False
    for name, (drain, batch) in sorted(_DRAINS.items()):
        try:
            n = drain()
        except DatabaseError:
            raise
        except Exception:
            logger.exception("Draining %s failed", name)
            continue
        done += n
        full = full or n >= batch()
    return done, full


# Task results a dead worker left "running" --------------------------------------------


class WorkerDied(RuntimeError):
    """Recorded as the failure of a task whose worker stopped while running it."""


def worker_id() -> str:
    """This worker's id, ``host:pid``, so a sweeper on the same host can tell it died."""
    import os
    import socket

    return f"{socket.gethostname()[:50]}:{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_task_results(*, now: datetime | None = None, only_worker: str | None = None) -> int:
    """Mark failed the database task results left "running" by a worker that stopped.

    A result is left behind when its worker is killed. It is failed when its worker
    (``host:pid`` from ``heard_worker``) ran on this host and is no longer alive, when
    ``only_worker`` names it (a worker that lost its database connection mid-task), or
    when it has been running longer than HEARD_TASK_STALE_HOURS (24) whatever its worker.
    The job the task was running is resumed by its own sweeper, not by this.
    """
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return 0
    import socket

    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    host = socket.gethostname()[:50]
    too_old = now - timedelta(hours=int(getattr(settings, "HEARD_TASK_STALE_HOURS", 24)))
    failed = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        last = result.worker_ids[-1] if result.worker_ids else ""
        worker_host, _, pid = str(last).rpartition(":")
        if only_worker is not None:
            dead = last == only_worker
        else:
            dead = (worker_host == host and pid.isdigit() and not _pid_alive(int(pid))) or bool(
                result.started_at and result.started_at < too_old
            )
        if dead:
            result.set_failed(WorkerDied(f"The worker {last or '?'} stopped while running it."))
            failed += 1
    return failed
