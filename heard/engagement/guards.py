"""Extra lifecycle guards registered by apps above engagement.

A formal consultation is an engagement activity, but whether it may open is decided by
the consultations app (the Gunning checks). engagement may not import that app, so it
registers a guard in ``AppConfig.ready``:

    from heard.engagement import guards
    guards.register(my_guard)   # my_guard(activity, target_status, now, by_clock) -> list[str]

``activity_transition`` refuses the move if any guard returns a problem, whoever asks
(a person or the clock).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

TransitionGuard = Callable[[Any, str, datetime, bool], list[str]]
_guards: list[TransitionGuard] = []


def register(guard: TransitionGuard) -> None:
    if guard not in _guards:
        _guards.append(guard)


def problems(activity: Any, target: str, now: datetime, by_clock: bool) -> list[str]:
    return [problem for guard in _guards for problem in guard(activity, target, now, by_clock)]
