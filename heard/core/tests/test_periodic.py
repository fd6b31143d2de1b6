"""Periodic safety nets run by heard_clock: each when its time comes, one failing alone."""

from heard.core import jobs


def test_each_periodic_job_runs_first_then_when_due_and_a_failure_does_not_stop_others() -> None:
    runs: list[str] = []

    def boom() -> None:
        runs.append("boom")
        raise RuntimeError("broken")

    def ok() -> int:
        runs.append("ok")
        return 1

    saved = dict(jobs._PERIODIC)
    try:
        jobs._PERIODIC.clear()
        jobs.register_periodic("a boom", lambda: 1, boom)
        jobs.register_periodic("b ok", lambda: 5, ok)
        assert jobs.periodic_run_due(monotonic=1000.0) == {"b ok": 1}  # first pass: both
        assert runs == ["boom", "ok"]
        jobs.periodic_run_due(monotonic=1030.0)  # 30 s later: neither is due
        jobs.periodic_run_due(monotonic=1061.0)  # a minute later: the 1-minute one
        assert runs == ["boom", "ok", "boom"]
        jobs.periodic_run_due(monotonic=1301.0)  # five minutes after the first: both
        assert runs == ["boom", "ok", "boom", "boom", "ok"]
        jobs.periodic_run_due(monotonic=1302.0, force=True)  # --once: all of them
        assert runs[-2:] == ["boom", "ok"]
    finally:
        jobs._PERIODIC.clear()
        jobs._PERIODIC.update(saved)
