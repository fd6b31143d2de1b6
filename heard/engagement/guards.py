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
from contextvars import ContextVar
from datetime import datetime
from typing import Any

TransitionGuard = Callable[[Any, str, datetime, bool], list[str]]
_guards: list[TransitionGuard] = []


def register(guard: TransitionGuard) -> None:
    if guard not in _guards:
        _guards.append(guard)


_acting: ContextVar[Any] = ContextVar("heard_transition_actor", default=None)


def problems(
    activity: Any, target: str, now: datetime, by_clock: bool, *, actor: Any = None
) -> list[str]:
    token = _acting.set(actor)
    try:
        return [problem for guard in _guards for problem in guard(activity, target, now, by_clock)]
    finally:
        _acting.reset(token)


def acting_person() -> Any:
    """While the guards run: the person whose move they check (None for the clock), so
    that a consequence a guard records is attributed to the person who caused it."""
    return _acting.get()
