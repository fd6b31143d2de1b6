"""Group commit: many request threads' writes committed together by one writer thread.

On the busiest public path (a survey answered by hundreds of people a second) most of a
write's cost is per transaction, not per row: BEGIN and COMMIT with its flush to disk,
the audit chain head read and rewritten, one round trip per statement, and on SQLite
the single write lock passed from thread to thread. A :class:`GroupCommitter` lets each
request thread hand its item to one writer thread per process and wait; the writer
takes whatever has queued up meanwhile (by default nothing is held back to fill a batch) and
stores it in one transaction with multi-row statements. A request is answered only
after the transaction holding its item has committed, so what a person is told was
stored, was stored.

With ``linger`` (seconds, read before each batch; 0 by default) the writer waits that
long after the first item for others to join, trading a little latency for larger
batches.

The batch function gets the items and returns one outcome per item, in order: a result,
or the exception that item's caller should see. It decides itself what to do when the
batch cannot be stored together (the responses service then stores the items one by
one, so one bad item cannot fail the others).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

CONNECTION_CHECK_SECONDS = 5.0
_STOP: Any = object()

T = TypeVar("T")
R = TypeVar("R")

BatchFunction = Callable[[Sequence[T]], Sequence["R | BaseException"]]


class GroupCommitter(Generic[T, R]):
    """One writer thread per process, started on first use (and again after a fork)."""

    def __init__(
        self,
        name: str,
        batch: BatchFunction[T, R],
        *,
        max_batch: int = 64,
        wait_seconds: float = 60.0,
        linger: Callable[[], float] = lambda: 0.0,
    ) -> None:
        self.name = name
        self._batch = batch
        self.max_batch = max_batch
        self.wait_seconds = wait_seconds
        self._linger = linger
        self._queue: queue.SimpleQueue[tuple[T, Future[R]]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._checked_at = 0.0
        # Figures for the benchmark and the tests: batches written and items in them.
        self.batches = 0
        self.items = 0

    def submit(self, item: T) -> R:
        """Store ``item`` with whatever else is waiting; its result once committed.

        Raises what the batch function gave for this item, or TimeoutError if the
        writer has not answered within ``wait_seconds`` (the item may still be stored
        later: callers make their items safe to send again).
        """
        future: Future[R] = Future()
        self._ensure_writer()
        self._queue.put((item, future))
        return future.result(timeout=self.wait_seconds)

    def _ensure_writer(self) -> None:
        pid = os.getpid()
        if self._thread is not None and self._pid == pid and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or self._pid != pid or not self._thread.is_alive():
                if self._pid != pid:
                    # A forked child inherits the parent's queue object but not its thread.
                    self._queue = queue.SimpleQueue()
                self._pid = pid
                self._thread = threading.Thread(
                    target=self._run, name=f"group-commit-{self.name}", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            pending = []
            first = self._queue.get()
            deadline = time.monotonic() + self._linger()
            while True:
                if first is _STOP:
                    stopping = True
                    break
                pending.append(first)
                if len(pending) >= self.max_batch:
                    break
                try:
                    first = self._queue.get_nowait()
                except queue.Empty:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    try:  # linger a moment for more to join the batch
                        first = self._queue.get(timeout=left)
                    except queue.Empty:
                        break
            live = [(item, fut) for item, fut in pending if fut.set_running_or_notify_cancel()]
            if live:
                self._write(live)
        connections.close_all()  # this thread's connections

    def stop(self, timeout: float = 10.0) -> None:
        """Write what is queued, close the writer's connection and end its thread (at
        shutdown, and in tests, so that nothing holds the database open). A later
        ``submit`` starts a new writer."""
        with self._lock:
            thread = self._thread
            if thread is None or self._pid != os.getpid() or not thread.is_alive():
                return
            self._queue.put(_STOP)
        thread.join(timeout)

    def _write(self, live: list[tuple[T, Future[R]]]) -> None:
        try:
            now = time.monotonic()
            if now - self._checked_at > CONNECTION_CHECK_SECONDS:
                # This thread's connection: past its age, or broken (as Django does at the
                # start of each request; not every batch, which would cost a round trip).
                self._checked_at = now
                close_old_connections()
            outcomes = list(self._batch([item for item, _ in live]))
            if len(outcomes) != len(live):
                raise RuntimeError(f"{self.name}: {len(outcomes)} outcomes for {len(live)} items")
        except BaseException as exc:  # every waiting request must be answered
            logger.exception("%s: a batch of %d failed", self.name, len(live))
            outcomes = [exc] * len(live)
            self._checked_at = 0.0  # check the connection before the next batch
        self.batches += 1
        self.items += len(live)
        for (_, future), outcome in zip(live, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)
