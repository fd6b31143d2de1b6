"""`python manage.py heard_worker`: the database task worker, made to outlive its database.

django-tasks-db's ``db_worker`` exits when the database goes away (a PostgreSQL restart,
a full disk). This runs the same worker with an id of ``host:pid`` (so the sweeper can
tell when it has died) and, when the database connection fails, closes the connections,
waits (1 s, doubling to 30 s) and carries on; a task it was running when the connection
failed is marked failed (its import is resumed by the job sweeper). Same options as
``db_worker``.

Beside the tasks, a second thread drains the queues apps keep in the database
(``heard.core.jobs.register_drain``: the insight bank's owed queue, ADR 11), one batch
after another while full batches come, every ``--interval`` seconds when there is
none, and ``HEARD_DRAIN_GATHER_SECONDS`` (0.5 s) after a part batch, so that under a
steady trickle the work is done in batches rather than one response at a time (the
per-batch cost, a few queries and one model load, is then shared); it reconnects the
same way.
"""

import contextlib
import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from heard.core.jobs import drain_pass, sweep_task_results, worker_id

logger = logging.getLogger("heard.worker")


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        with contextlib.suppress(Exception):  # it is already broken
            conn.close()


class ReconnectingWorker(Worker):
    def drain_loop(self) -> None:
        """Drain the apps' queues until the worker stops (its own thread and connection)."""
        delay = 1.0
        gather = float(getattr(settings, "HEARD_DRAIN_GATHER_SECONDS", 0.5))
        while self.running:
            try:
                close_old_connections()
                done, full = drain_pass()
                delay = 1.0
            except (OperationalError, InterfaceError) as exc:
                logger.warning("Database unavailable to drain (%s): retrying in %.0f s", exc, delay)
                _close_connections()
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            if not done:
                time.sleep(self.interval)
            elif not full:
                time.sleep(gather)
        _close_connections()

    def run(self) -> None:
        drainer = threading.Thread(target=self.drain_loop, name="heard-drain", daemon=True)
        drainer.start()
        try:
            self.run_tasks()
        finally:
            self.running = False
            drainer.join(timeout=30)

    def run_tasks(self) -> None:
        delay = 1.0
        while self.running:
            try:
                super().run()
                return
            except (OperationalError, InterfaceError) as exc:
                logger.warning("Database unavailable (%s): retrying in %.0f s", exc, delay)
                _close_connections()
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                try:  # whatever it was running when the connection broke did not finish
                    sweep_task_results(only_worker=self.worker_id)
                    delay = 1.0
                except (OperationalError, InterfaceError):
                    pass


class Command(DbWorkerCommand):
    help = "Run the database task worker; reconnects when the database restarts."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)  # host:pid unless one is given

    def handle(self, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = ReconnectingWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or worker_id(),
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
