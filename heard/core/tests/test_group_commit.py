"""The group committer answers every caller with its own item's outcome, after its batch."""

import threading

import pytest

from heard.core.group_commit import GroupCommitter


def test_each_caller_gets_its_own_result_and_waiting_items_go_together():
    first_started = threading.Event()
    release = threading.Event()
    batches: list[list[int]] = []

    def batch(items):
        batches.append(list(items))
        if len(batches) == 1:
            first_started.set()
            release.wait(10)
        return [item * 10 for item in items]

    committer = GroupCommitter("test", batch, wait_seconds=10)
    results: dict[int, int] = {}

    def send(n: int) -> None:
        results[n] = committer.submit(n)

    first = threading.Thread(target=send, args=(0,))
    first.start()
    assert first_started.wait(10)
    # While the writer is busy with item 0, five more arrive: they are written together.
    others = [threading.Thread(target=send, args=(n,)) for n in range(1, 6)]
    for t in others:
        t.start()
    while committer._queue.qsize() < 5:
        threading.Event().wait(0.01)
    release.set()
    for t in [first, *others]:
        t.join(10)
    assert results == {n: n * 10 for n in range(6)}
    assert batches[0] == [0]
    assert sorted(batches[1]) == [1, 2, 3, 4, 5]
    assert (committer.batches, committer.items) == (2, 6)


def test_an_item_given_an_exception_raises_it_for_that_caller_only():
    def batch(items):
        return [ValueError(f"bad {i}") if i < 0 else i for i in items]

    committer = GroupCommitter("test", batch, wait_seconds=10)
    assert committer.submit(3) == 3
    with pytest.raises(ValueError, match="bad -1"):
        committer.submit(-1)
    assert committer.submit(4) == 4


def test_a_failing_batch_answers_every_caller_and_the_writer_carries_on():
    calls = []

    def batch(items):
        calls.append(list(items))
        if len(calls) == 1:
            raise RuntimeError("database gone")
        return list(items)

    committer = GroupCommitter("test", batch, wait_seconds=10)
    with pytest.raises(RuntimeError, match="database gone"):
        committer.submit(1)
    assert committer.submit(2) == 2


def test_a_batch_answering_the_wrong_number_of_items_is_an_error():
    committer = GroupCommitter("test", lambda items: [], wait_seconds=10)
    with pytest.raises(RuntimeError, match="0 outcomes for 1 items"):
        committer.submit(1)


def test_a_caller_is_not_kept_waiting_for_ever():
    never = threading.Event()
    committer = GroupCommitter(
        "test", lambda items: never.wait(5) and list(items), wait_seconds=0.2
    )
    with pytest.raises(TimeoutError):
        committer.submit(1)
    never.set()


def test_stop_writes_what_is_queued_and_a_later_submit_starts_a_new_writer():
    seen = []
    committer = GroupCommitter("test", lambda items: seen.extend(items) or list(items))
    assert committer.submit(1) == 1
    first = committer._thread
    committer.stop()
    assert first is not None and not first.is_alive()
    assert committer.submit(2) == 2
    assert committer._thread is not first and seen == [1, 2]
    committer.stop()
